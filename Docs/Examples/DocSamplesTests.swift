// Every ```swift sample of README.md, Docs/*.md and the DocC catalogues (articles and tutorials) is
// compiled: each must appear, as a contiguous run of lines, in a Swift file the build compiles.
import Foundation
import Testing

/// A sample the docs show: where it is and its lines (dedented, no leading or trailing blank line).
struct DocSample: CustomStringConvertible {
    var file: String
    var line: Int
    var lines: [String]
    var description: String { "\(file):\(line)" }
}

/// Finds the samples of the docs and the compiled files that must contain them.
enum DocSamples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The app package built by Tools/check-app-package.sh: README's program is its App.swift, and
    /// README's manifest is its Package.swift with the dependency given by path.
    static let appPackage = "Tools/AppCheck"
    /// The dependency line of README's manifest, and the one the app package has instead.
    static let remoteDependency = #".package(url: "https://github.com/example/PurchaseActions.git", branch: "main"),"#
    static let localDependency = #".package(path: "../PurchaseActions"),"#

    /// Paths (relative to the root) of every file whose ```swift blocks are samples.
    static func documentFiles() -> [String] {
        var files = ["README.md"]
        files += listing("Docs", recursive: false).filter { $0.hasSuffix(".md") }
        for module in listing("Sources", recursive: false) {
            for catalogue in listing(module, recursive: false) where catalogue.hasSuffix(".docc") {
                files += listing(catalogue, recursive: true).filter { $0.hasSuffix(".md") || $0.hasSuffix(".tutorial") }
            }
        }
        return files.sorted()
    }

    /// The Swift files of the library modules, whose `///` doc comments may hold samples.
    static func librarySources() -> [String] {
        ["PurchaseActions", "PurchaseActionsCore", "LegacyImport", "PurchaseActionsEngine", "PurchaseActionsDunning", "PurchaseActionsSQLite", "PurchaseActionsDelivery"]
            .flatMap { listing("Sources/" + $0, recursive: true) }.filter { $0.hasSuffix(".swift") }
    }

    /// The text of a Swift file's `///` comments, line for line (other lines become blank markers).
    static func docCommentText(_ source: String) -> String {
        source.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("///") else { return "\u{0}" }
            let text = trimmed.dropFirst(3)
            return String(text.first == " " ? text.dropFirst() : text)
        }.joined(separator: "\n")
    }

    /// The compiled Swift files a sample may come from: Docs/Examples (target DocsExampleTests) and
    /// the app package's sources.
    static func compiledFiles() -> [String] {
        (listing("Docs/Examples", recursive: true) + listing(appPackage + "/Sources", recursive: true))
            .filter { $0.hasSuffix(".swift") }.sorted()
    }

    static func listing(_ folder: String, recursive: Bool) -> [String] {
        let base = root.appendingPathComponent(folder)
        let names: [String]
        if recursive {
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
            names = walker.compactMap { $0 as? String }
        } else {
            names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        }
        return names.map { folder + "/" + $0 }.sorted()
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The ```swift blocks of a Markdown or tutorial text, with the line of their opening fence.
    static func blocks(in text: String, file: String) -> [DocSample] {
        var samples: [DocSample] = []
        var current: DocSample?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var open = current {
                if trimmed == "```" {
                    open.lines = normalised(open.lines)
                    samples.append(open)
                    current = nil
                } else {
                    open.lines.append(line)
                    current = open
                }
            } else if trimmed == "```swift" {
                current = DocSample(file: file, line: index + 1, lines: [])
            }
        }
        return samples
    }

    /// Dedents lines and drops leading and trailing blank lines and trailing spaces.
    static func normalised(_ lines: [String]) -> [String] {
        var lines = lines.map { String($0.reversed().drop { $0 == " " || $0 == "\t" }.reversed()) }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        let indent = lines.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.isEmpty ? $0 : String($0.dropFirst(indent)) }
    }

    /// Whether `sample` appears in `file` as a contiguous run of lines, each non-blank line behind
    /// the same extra indentation.
    static func contains(_ file: [String], _ sample: [String]) -> Bool {
        guard let first = sample.first, !sample.isEmpty, sample.count <= file.count else { return sample.isEmpty }
        for start in 0...(file.count - sample.count) {
            let candidate = file[start]
            guard candidate.hasSuffix(first) else { continue }
            let indent = candidate.dropLast(first.count)
            guard indent.allSatisfy({ $0 == " " }) else { continue }
            var matches = true
            for (offset, line) in sample.enumerated() {
                let other = file[start + offset]
                if line.isEmpty ? !other.isEmpty : other != indent + line {
                    matches = false
                    break
                }
            }
            if matches { return true }
        }
        return false
    }

    /// Whether the non-blank lines of `sample` appear in `file` in order (not necessarily together).
    static func isSubsequence(_ sample: [String], of file: [String]) -> Bool {
        var rest = file.filter { !$0.isEmpty }[...]
        for line in sample where !line.isEmpty {
            guard let found = rest.firstIndex(of: line) else { return false }
            rest = rest[(found + 1)...]
        }
        return true
    }

    static func lines(of text: String) -> [String] {
        normalised(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    /// README's manifest as the app package has it: the same, with the dependency given by path.
    static func localManifest(_ sample: [String]) -> [String] {
        sample.map { $0.replacingOccurrences(of: remoteDependency, with: localDependency) }
    }
}

@Suite("Docs: every Swift sample is compiled")
struct DocSamplesTests {
    @Test("Every ```swift block of README.md, Docs/*.md and the DocC catalogues is in a compiled file")
    func everyBlockIsCompiled() throws {
        let compiled = try DocSamples.compiledFiles().map { ($0, DocSamples.lines(of: try DocSamples.read($0))) }
        let manifest = DocSamples.lines(of: try DocSamples.read(DocSamples.appPackage + "/Package.swift"))
        var count = 0
        for document in DocSamples.documentFiles() {
            for sample in DocSamples.blocks(in: try DocSamples.read(document), file: document) {
                count += 1
                if sample.lines.first?.hasPrefix("// swift-tools-version") == true {
                    #expect(DocSamples.localManifest(sample.lines) == manifest, "\(sample): this package manifest is not \(DocSamples.appPackage)/Package.swift with `\(DocSamples.remoteDependency)` for `\(DocSamples.localDependency)`")
                    continue
                }
                let home = compiled.first { DocSamples.contains($0.1, sample.lines) }
                #expect(home != nil, "\(sample): this ```swift block is in no compiled file (Docs/Examples/*.swift or \(DocSamples.appPackage)/Sources); first line: \(sample.lines.first ?? "")")
            }
        }
        #expect(count >= 8, "found only \(count) samples: the search is broken")
    }

    @Test("Every ```swift block in a `///` doc comment of the library modules is in a compiled file")
    func everyDocCommentBlockIsCompiled() throws {
        let compiled = try DocSamples.compiledFiles().map { ($0, DocSamples.lines(of: try DocSamples.read($0))) }
        var count = 0
        for source in DocSamples.librarySources() {
            for sample in DocSamples.blocks(in: DocSamples.docCommentText(try DocSamples.read(source)), file: source) {
                count += 1
                #expect(compiled.contains { DocSamples.contains($0.1, sample.lines) }, "\(sample): this ```swift block of a doc comment is in no compiled file (Docs/Examples/*.swift); first line: \(sample.lines.first ?? "")")
            }
        }
        #expect(count >= 5, "found only \(count) doc-comment samples: the search is broken")
    }

    @Test("README's program is the app package's App.swift, whole")
    func readmeProgramIsTheAppPackage() throws {
        let app = DocSamples.lines(of: try DocSamples.read(DocSamples.appPackage + "/Sources/MyApp/App.swift"))
        let readme = DocSamples.blocks(in: try DocSamples.read("README.md"), file: "README.md")
        #expect(readme.contains { $0.lines == app }, "README.md has no ```swift block equal to \(DocSamples.appPackage)/Sources/MyApp/App.swift")
        #expect(readme.contains { $0.lines.first?.hasPrefix("// swift-tools-version") == true }, "README.md shows no package manifest")
    }

    @Test("Each tutorial code file is compiled: the last of a series whole, the earlier ones as lines of the last")
    func tutorialCodeFilesAreCompiled() throws {
        let compiled = try DocSamples.compiledFiles().map { ($0, DocSamples.lines(of: try DocSamples.read($0))) }
        var referenced = 0
        for tutorial in DocSamples.documentFiles() where tutorial.hasSuffix(".tutorial") {
            let text = try DocSamples.read(tutorial)
            let catalogue = tutorial.components(separatedBy: "/").prefix(3).joined(separator: "/")
            let resources = DocSamples.listing(catalogue, recursive: true)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let range = line.range(of: #"file: ""#) else { continue }
                let name = String(line[range.upperBound...].prefix { $0 != "\"" })
                guard name.hasSuffix(".swift") else { continue }
                referenced += 1
                let place = "\(tutorial):\(index + 1)"
                guard let path = resources.first(where: { $0.hasSuffix("/" + name) }) else {
                    Issue.record("\(place): no code file \(name) in \(catalogue)")
                    continue
                }
                let sample = DocSamples.lines(of: try DocSamples.read(path))
                if sample.first?.hasPrefix("// swift-tools-version") == true {
                    let manifest = DocSamples.lines(of: try DocSamples.read(DocSamples.appPackage + "/Package.swift"))
                    #expect(DocSamples.localManifest(sample) == manifest, "\(place): \(name) is not the app package's manifest")
                    continue
                }
                // A series is Name-01.swift, Name-02.swift, ...: its last file is compiled whole.
                let stem = name.replacingOccurrences(of: #"-[0-9]+\.swift$"#, with: "", options: .regularExpression)
                let last = resources.filter { $0.hasSuffix(".swift") && ($0.hasSuffix("/" + name) || $0.components(separatedBy: "/").last!.hasPrefix(stem + "-")) }.max()!
                let final = DocSamples.lines(of: try DocSamples.read(last))
                #expect(compiled.contains { DocSamples.contains($0.1, final) }, "\(place): \(last) is in no compiled file")
                #expect(DocSamples.isSubsequence(sample, of: final), "\(place): \(name) has lines that \(last) has not")
            }
        }
        #expect(referenced >= 5, "found only \(referenced) tutorial code files: the search is broken")
    }

    @Test("The sample check finds a block that no compiled file has, and one indented inside a function")
    func matcherFindsMissingAndIndented() {
        let file = ["func sample() {", "    let a = 1", "", "    print(a)", "}"]
        #expect(DocSamples.contains(file, ["let a = 1", "", "print(a)"]))
        #expect(!DocSamples.contains(file, ["let a = 2"]))
        #expect(!DocSamples.contains(file, ["let a = 1", "print(a)"]))   // not contiguous
        #expect(!DocSamples.contains(["let a = 1", "  print(a)"], ["let a = 1", "print(a)"]))   // indentation differs
        let blocks = DocSamples.blocks(in: "text\n```swift\n\n    let x = 1\n      go()\n```\n```sh\nls\n```", file: "x.md")
        #expect(blocks.map(\.line) == [2])
        #expect(blocks.first?.lines == ["let x = 1", "  go()"])
        #expect(DocSamples.isSubsequence(["a", "", "c"], of: ["a", "b", "c"]))
        #expect(!DocSamples.isSubsequence(["c", "a"], of: ["a", "b", "c"]))
    }
}
