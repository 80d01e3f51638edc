import Foundation
public import Testing

/// A program or library that some tests run and that README's prerequisites (Swift, libxml2-dev,
/// tzdata) do not include: the independent checkers (`xmllint`, Python's `jsonschema` and
/// `zoneinfo`).
///
/// A test that needs one says so by adding the trait `.requires(.xmllint)`
/// (``Testing/Trait/requires(_:sourceLocation:)``) to its traits. (RequiredToolTests checks this
/// type; this file holds no tests.)
///
/// Where the tool is installed the test runs. Where it is not, the test is skipped and the output
/// says why (`Test "…" skipped: "needs xmllint: apt-get install libxml2-utils"`), so `swift test`
/// passes on a machine with only the prerequisites. With `PURCHASE_ACTIONS_REQUIRE_TOOLS=1` in the
/// environment (`.ci/run` sets it, after installing every tool) a missing tool fails the test
/// instead, naming the tool and how to install it.
///
/// Add a tool in the file of the tests that need it, as an extension:
///
/// ```swift
/// extension RequiredTool {
///     static let tidy = RequiredTool(program: "tidy", for: "the HTML check", install: "apt-get install tidy")
/// }
/// ```
public struct RequiredTool: Sendable, CustomStringConvertible {
    /// What the tool is called in messages: `xmllint`, `Python's jsonschema`.
    public let name: String
    /// What the tests use it for.
    public let purpose: String
    /// How to install it on Debian / Ubuntu.
    public let install: String
    /// Whether it was found on this machine (probed once, when the tool is first used).
    public let isInstalled: Bool

    /// The name of the environment variable under which a missing tool fails its tests instead of
    /// skipping them.
    public static let requireVariable = "PURCHASE_ACTIONS_REQUIRE_TOOLS"

    /// Whether missing tools fail their tests (`PURCHASE_ACTIONS_REQUIRE_TOOLS=1`, set by `.ci/run`).
    public static let areRequired = ProcessInfo.processInfo.environment[requireVariable] == "1"

    /// A tool found by a probe.
    public init(name: String, for purpose: String, install: String, isInstalled: Bool) {
        self.name = name
        self.purpose = purpose
        self.install = install
        self.isInstalled = isInstalled
    }

    /// A program found on `PATH`.
    public init(program: String, for purpose: String, install: String) {
        self.init(name: program, for: purpose, install: install, isInstalled: Self.executable(named: program) != nil)
    }

    /// A Python module: installed when `python3` on `PATH` runs `statement` (such as
    /// `import jsonschema`) and exits 0.
    public init(python statement: String, name: String, for purpose: String, install: String) {
        self.init(name: name, for: purpose, install: install, isInstalled: Self.pythonRuns(statement))
    }

    /// `needs xmllint (the independent XSD check of the fixtures): apt-get install libxml2-utils`.
    public var description: String { "needs \(name) (\(purpose)): \(install)" }

    /// The error a test gets when the tool is missing and tools are required.
    public struct Missing: Error, CustomStringConvertible {
        /// The missing tool.
        public let tool: RequiredTool

        /// The error for a missing `tool`.
        public init(tool: RequiredTool) { self.tool = tool }

        /// Names the tool, says how to install it and why the test was not skipped.
        public var description: String {
            "\(tool.name) is missing and \(RequiredTool.requireVariable)=1 requires it (\(tool.purpose)): \(tool.install)"
        }
    }

    // MARK: The tools

    /// libxml2's `xmllint`, the independent XSD validator of the export fixtures.
    public static let xmllint = RequiredTool(
        program: "xmllint", for: "the independent XSD check of the export fixtures", install: "apt-get install libxml2-utils")

    /// Python 3 with `jsonschema` (draft 2020-12), the independent validator of the JSON files
    /// (`Tools/check-json.py`).
    public static let jsonschema = RequiredTool(
        python: "from jsonschema import Draft202012Validator", name: "Python 3 with jsonschema",
        for: "the independent JSON Schema check, Tools/check-json.py",
        install: "apt-get install python3 python3-jsonschema, or pip install jsonschema")

    /// Python 3.9 or later, whose `zoneinfo` is the independent timezone oracle (`Tools/tz-oracle.py`).
    public static let pythonZoneinfo = RequiredTool(
        python: "import zoneinfo", name: "Python 3.9+ (zoneinfo)", for: "the independent timezone oracle, Tools/tz-oracle.py",
        install: "apt-get install python3")

    /// Graphviz's `dot`, which draws the DOT pictures of `import-actions --pictures` as SVG (and
    /// checks that the DOT text parses).
    public static let dot = RequiredTool(program: "dot", for: "the SVG pictures of import-actions --pictures", install: "apt-get install graphviz")

    // MARK: Finding programs

    /// The full path of an executable `name` in a folder of `PATH`, or nil.
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The path of this tool's program when it is one (`xmllint`), or nil.
    public var path: String? { Self.executable(named: name) }

    /// Whether `python3 -c statement` exits 0.
    static func pythonRuns(_ statement: String) -> Bool {
        guard let python = executable(named: "python3") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", statement]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only where `tool` is installed: elsewhere it is skipped with the tool
    /// and how to install it as the visible reason, or, under `PURCHASE_ACTIONS_REQUIRE_TOOLS=1`,
    /// it fails with ``RequiredTool/Missing``.
    public static func requires(_ tool: RequiredTool, sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        if tool.isInstalled {
            return .enabled(if: true, "uses \(tool.name)", sourceLocation: sourceLocation)
        }
        if RequiredTool.areRequired {
            return .enabled("\(tool)", sourceLocation: sourceLocation) { throw RequiredTool.Missing(tool: tool) }
        }
        return .enabled(if: false, "\(tool)", sourceLocation: sourceLocation)
    }
}
