import CommandLineTesting
import Foundation
import Testing

/// Runs the built `purchase-actions` executable as a user would, from the package root.
enum Tool {
    static let root = BuiltProducts.root

    static func run(_ executable: String, _ arguments: [String]) throws -> BuiltProducts.Result {
        try BuiltProducts.run(executable, arguments)
    }

    static func scratch() throws -> URL { try BuiltProducts.scratch("pa-sim") }

    /// Runs `purchase-actions simulate` with `arguments`.
    static func simulate(_ arguments: [String]) throws -> BuiltProducts.Result {
        try run("purchase-actions", ["simulate"] + arguments)
    }

    /// Runs `body` with a new scratch folder, removed afterwards.
    static func withScratch(_ body: (URL) throws -> Void) throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }
}

@Suite("purchase-actions simulate, end to end")
struct SimulateTests {
    static let exports = ["course-creator", "membership-site", "physical-goods-store"]

    @Test("Each bundled export's events simulate exactly as the golden output", arguments: exports)
    func golden(name: String) throws {
        let result = try Tool.run(
            "purchase-actions", ["simulate", "--export", "Fixtures/exports/\(name).xml", "--events", "Fixtures/events/\(name).jsonl", "--until", "30d"])
        #expect(result.status == 0, "\(result.errors)")
        let golden = try String(contentsOf: Tool.root.appendingPathComponent("Fixtures/expected/\(name).simulation.txt"), encoding: .utf8)
        #expect(result.output == golden, "regenerate with Tools/update-goldens.sh after a deliberate change, and review the diff")
    }

    @Test("Workflow files written by import-actions run the same steps as the export", arguments: exports)
    func workflowsFolder(name: String) throws {
        let fromExport = try Tool.run(
            "purchase-actions", ["simulate", "--export", "Fixtures/exports/\(name).xml", "--events", "Fixtures/events/\(name).jsonl", "--until", "30d"])
        let fromFiles = try Tool.run(
            "purchase-actions",
            ["simulate", "--workflows", "Fixtures/expected/\(name)/workflows", "--events", "Fixtures/events/\(name).jsonl", "--until", "30d"])
        #expect(fromFiles.status == 0, "\(fromFiles.errors)")
        // Workflow files carry no catalogue; a product filter names the product's plans itself, so
        // the same workflows run the same steps. Only the explanations may differ: without the
        // catalogue, `order.products` does not list a subscription's product.
        let steps = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("             ") } }
        #expect(steps(fromFiles.output) == steps(fromExport.output))
    }

    @Test("--json prints the execution log, one JSON record per line")
    func json() throws {
        let result = try Tool.run(
            "purchase-actions",
            ["simulate", "--export", "Fixtures/exports/physical-goods-store.xml", "--events", "Fixtures/events/physical-goods-store.jsonl", "--until", "30d", "--json"])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count > 50)
        for line in lines {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(record["status"] is String && record["at"] is String && record["message"] is String)
        }
        #expect(result.output.contains(#""why":{"#))
    }

    @Test("A bad event line is reported with its line and JSON path; nothing after it runs unless --keep-going")
    func badLine() throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try String(contentsOf: Tool.root.appendingPathComponent("Fixtures/events/course-creator.jsonl"), encoding: .utf8).split(separator: "\n")
        let bad = good[1].replacing(#""chargeMode""#, with: #""colour":"red","chargeMode""#)
        let file = folder.appendingPathComponent("events.jsonl")
        try ([good[0], bad, good[2]].joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let stopped = try Tool.run("purchase-actions", ["simulate", "--export", "Fixtures/exports/course-creator.xml", "--events", file.path])
        #expect(stopped.status == 65)
        #expect(stopped.errors.contains("\(file.path):2: error: $.order.colour: "))
        #expect(stopped.output.contains("cc-1") && !stopped.output.contains("cc-3"))
        // Review of issue 12: the summary of what ran, and a note naming the line the run stopped at.
        #expect(stopped.output.contains("\n1 event, "), "\(stopped.output)")
        #expect(stopped.errors.contains("note: the run stopped at line 2 of \(file.path), the first bad line: nothing after it ran (--keep-going skips bad lines and runs the rest)"))
        let kept = try Tool.run("purchase-actions", ["simulate", "--export", "Fixtures/exports/course-creator.xml", "--events", file.path, "--keep-going"])
        #expect(!kept.errors.contains("note: the run stopped"))
        #expect(kept.status == 65)
        #expect(kept.output.contains("cc-3"))
    }

    @Test("CRLF line ends are read as LF; a line of bad UTF-8 fails alone")
    func lineEnds() throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: Tool.root.appendingPathComponent("Fixtures/events/course-creator.jsonl"), encoding: .utf8)
        let crlf = folder.appendingPathComponent("crlf.jsonl")
        try Data(text.replacing("\n", with: "\r\n").utf8).write(to: crlf)
        let fromCRLF = try Tool.run("purchase-actions", ["simulate", "--export", "Fixtures/exports/course-creator.xml", "--events", crlf.path, "--until", "30d"])
        let golden = try String(contentsOf: Tool.root.appendingPathComponent("Fixtures/expected/course-creator.simulation.txt"), encoding: .utf8)
        #expect(fromCRLF.status == 0, "\(fromCRLF.errors)")
        #expect(fromCRLF.output == golden)
        var bytes = Array(text.utf8)
        let secondLine = bytes.firstIndex(of: 0x0A)! + 1
        bytes.insert(contentsOf: [UInt8(ascii: "\""), 0xFF], at: secondLine + 200)
        let broken = folder.appendingPathComponent("broken.jsonl")
        try Data(bytes).write(to: broken)
        let result = try Tool.run("purchase-actions", ["simulate", "--export", "Fixtures/exports/course-creator.xml", "--events", broken.path, "--keep-going"])
        #expect(result.status == 65)
        #expect(result.errors.contains("\(broken.path):2:"))
        #expect(result.output.contains("cc-1") && result.output.contains("cc-3"))
    }

    @Test("The command line is checked: one source of workflows, a readable --until", arguments: [
        ["simulate", "--events", "x.jsonl"],
        ["simulate", "--export", "a.xml", "--workflows", "d", "--events", "x.jsonl"],
        ["simulate", "--export", "a.xml", "--events", "x.jsonl", "--until", "soon"],
        ["simulate", "--export", "a.xml", "--events", "x.jsonl", "--until", "999999999999999d"],
    ])
    func usage(arguments: [String]) throws {
        let result = try Tool.run("purchase-actions", arguments)
        #expect(result.status == 64, "\(result.errors)")
    }

    @Test("--help teaches with examples")
    func help() throws {
        let result = try Tool.run("purchase-actions", ["simulate", "--help"])
        #expect(result.status == 0)
        for text in ["--export", "--workflows", "--events", "--until", "--json", "--keep-going", "Examples:"] {
            #expect(result.output.contains(text), "help lacks \(text)")
        }
    }
}
