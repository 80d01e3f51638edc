import CommandLineSupport
import PurchaseActions
import Testing

/// Swift Testing has an `ExitStatus` of its own.
private typealias Status = CommandLineSupport.ExitStatus

/// The one mapping from errors to exit codes (Docs/cli.md, "Exit codes"), in CommandLineSupport:
/// each library error code to its status, and the numbers themselves.
@Suite("CommandLineSupport: errors to exit codes")
struct CommandLineErrorTests {
    @Test("The exit statuses are the numbers of Docs/cli.md")
    func numbers() {
        let statuses: [(Status, Int32)] = [
            (.ok, 0), (.findings, 1), (.usage, 64), (.invalidData, 65), (.missingInput, 66), (.internalError, 70), (.outputExists, 73), (.io, 74),
        ]
        for (status, code) in statuses {
            #expect(status.code == code)
            #expect(status.exitStatus == status && status.diagnostic.isEmpty, "an ExitStatus prints nothing")
        }
    }

    @Test("Each LoadError code has its exit status: missing 66, invalid 65, io 74")
    func loadErrors() {
        let expected: [LoadError.Code: Status] = [
            .missing: .missingInput, .wrongKind: .missingInput, .notAFileURL: .missingInput, .invalid: .invalidData,
            .limitExceeded: .invalidData, .io: .io,
        ]
        for code in LoadError.Code.allCases {
            let error = LoadError(code, "m", file: "f")
            #expect(error.exitStatus == expected[code], "\(code)")
            #expect(error.diagnostic == "f: error: m")
        }
    }

    @Test("ImportError: missing input 66, io 74, anything else 65; the diagnostic is its description")
    func importErrors() {
        let here = FileLocation(file: "x.xml", line: 3, column: 4)
        #expect(ImportError(.missingInput, "m", at: here).exitStatus == .missingInput)
        #expect(ImportError(.io, "m", at: here).exitStatus == .io)
        for code in [ImportError.Code.notWellFormed, .limitExceeded, .cycle, .schema, .duplicateID] {
            #expect(ImportError(code, "m", at: here).exitStatus == .invalidData)
        }
        #expect(ImportError(.cycle, "m", at: here).diagnostic == "x.xml:3:4: error: m")
    }

    @Test("CommandError and InputPath's refusal")
    func commandErrors() throws {
        #expect(CommandError(.outputExists, "m").exitStatus == .outputExists)
        #expect(CommandError(.io, "m").exitStatus == .io)
        #expect(CommandError(.oldOutputLeft, "m").exitStatus == .io)
        #expect(CommandError(.usage, "m").exitStatus == .usage)
        #expect(CommandError(.usage, "m").diagnostic == "error: m")
        do {
            try InputPath.check("no-such-file", is: .file, takes: "--x takes a file")
            Issue.record("a missing file passed")
        } catch {
            #expect(error.exitStatus == .missingInput)
            #expect(error.diagnostic == "no-such-file: error: no such file or folder; --x takes a file")
        }
    }
}
