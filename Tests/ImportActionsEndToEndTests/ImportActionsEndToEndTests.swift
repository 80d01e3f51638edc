import CommandLineTesting
import Foundation
import Testing

/// Runs the built `import-actions` executable as a user would, from the package root.
enum CLI {
    static let root = BuiltProducts.root

    static func run(_ arguments: [String], in directory: URL = root) throws -> BuiltProducts.Result {
        try BuiltProducts.run("import-actions", arguments, in: directory)
    }

    static let malformed: [[String: AnyCodableValue]] = {
        let data = try! Data(contentsOf: root.appendingPathComponent("Fixtures/malformed/manifest.json"))
        return try! JSONDecoder().decode([[String: AnyCodableValue]].self, from: data)
    }()
}

/// Just enough JSON to read the manifest without sharing code with the reader's tests.
enum AnyCodableValue: Decodable, Sendable {
    case string(String), int(Int), bool(Bool), strings([String])
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode([String].self) { self = .strings(value) }
        else { self = .string(try container.decode(String.self)) }
    }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int? { if case .int(let value) = self { value } else { nil } }
    var strings: [String] { if case .strings(let value) = self { value } else { [] } }
}

@Suite("import-actions, end to end")
struct ImportActionsEndToEndTests {
    @Test("--check summarises each bundled export and exits 0", arguments: ["course-creator", "membership-site", "physical-goods-store"])
    func checkFixtures(name: String) throws {
        let result = try CLI.run(["Fixtures/exports/\(name).xml", "--check"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.hasPrefix("Fixtures/exports/\(name).xml: valid export, format v1\n"))
        for section in ["account:", "catalogue:", "sequences:", "action sets:", "actions:", "slots:", "billing automation:"] {
            #expect(result.output.contains("  \(section)"), "missing \(section)")
        }
        #expect(result.errors.isEmpty)
    }

    @Test("The same input prints the same output, byte for byte")
    func deterministic() throws {
        let first = try CLI.run(["Fixtures/exports/membership-site.xml", "--check"])
        let second = try CLI.run(["import", "Fixtures/exports/membership-site.xml", "--check"])
        #expect(first.output == second.output)
        #expect(first.output.contains("subscription-purchase:plan-monthly"))
    }

    @Test("Each malformed fixture fails with its documented exit code and a file:line message")
    func malformedFixtures() throws {
        #expect(CLI.malformed.count >= 20)
        for entry in CLI.malformed {
            let file = try #require(entry["file"]?.string)
            let line = entry["line"]?.int ?? 0
            let result = try CLI.run(["Fixtures/malformed/\(file)", "--check"] + (entry["options"]?.strings ?? []))
            #expect(Int(result.status) == entry["exit"]?.int, "\(file): \(result.errors)")
            let prefix = line > 0 ? "Fixtures/malformed/\(file):\(line):" : "Fixtures/malformed/\(file):"
            #expect(result.errors.hasPrefix(prefix), "\(file): \(result.errors)")
            #expect(result.errors.contains(": error: "))
            #expect(result.output.isEmpty, "nothing is printed to stdout for a refused export")
            if let secret = entry["secret"]?.string {
                #expect(!result.output.contains(secret) && !result.errors.contains(secret), "\(file) leaked what it names")
            }
        }
    }

    @Test("A missing file exits 66 and says so")
    func missingFile() throws {
        let result = try CLI.run(["Fixtures/exports/nope.xml", "--check"])
        #expect(result.status == 66)
        #expect(result.errors.hasPrefix("Fixtures/exports/nope.xml: error: no such file"))
    }

    @Test("A bad command line exits 64 with usage", arguments: [["--check"], ["x.xml", "--max-depth", "0"], ["x.xml", "--frobnicate"]])
    func usage(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.errors)")
        #expect(result.errors.contains("Usage:"))
    }

    @Test("--help teaches: examples, exit codes and the limits")
    func help() throws {
        let root = try CLI.run(["--help"])
        #expect(root.status == 0)
        #expect(root.output.contains("import-actions Fixtures/exports/course-creator.xml --check"))
        #expect(root.output.contains("Exit codes"))
        let command = try CLI.run(["import", "--help"])
        for option in ["--check", "--strict", "--no-schema", "--max-depth", "--max-attributes", "--max-text-bytes", "--max-document-bytes"] {
            #expect(command.output.contains(option), "help lacks \(option)")
        }
    }

    @Test("Warnings are findings under --check and --strict, not otherwise")
    func findings() throws {
        let folder = try BuiltProducts.scratch("pa-e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/exports/course-creator.xml"), encoding: .utf8)
        let range = try #require(source.range(of: "<apply-tag "))
        var changed = source
        changed.replaceSubrange(range, with: #"<grant-badge id="badge-1" level="gold"/><apply-tag "#)
        let file = folder.appendingPathComponent("with-unknown.xml")
        try changed.write(to: file, atomically: true, encoding: .utf8)

        let plain = try CLI.run([file.path, "-o", folder.appendingPathComponent("plain").path])
        #expect(plain.status == 0)
        #expect(plain.errors.contains("warning: unknown element <grant-badge>"))
        #expect(try CLI.run([file.path, "--strict", "-o", folder.appendingPathComponent("strict").path]).status == 1)
        #expect(try CLI.run([file.path, "--check", "--no-schema"]).status == 1)
        let check = try CLI.run([file.path, "--check"])
        #expect(check.status == 65, "the schema refuses an unknown element of ours")
        #expect(check.errors.contains("grant-badge"))
    }
}
