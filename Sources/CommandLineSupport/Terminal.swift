#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import ArgumentParser
import PurchaseActionsCore

/// The one way the command-line tools print: every line for people goes through
/// `DisplayText.escapeControls`, so no input (an id, a contact's name, a file name) can forge a
/// line, move the cursor or colour the terminal (Docs/cli.md, "Control characters in output").
/// Backslashes are left alone: the values a library error quotes were escaped with
/// `DisplayText.escape` when the error was made, and are not escaped twice.
public enum Terminal {
    /// Prints one line of results to standard output, control characters escaped.
    public static func line(_ text: String) {
        print(DisplayText.escapeControls(text))
    }

    /// Prints an empty line to standard output.
    public static func blankLine() {
        print("")
    }

    /// Prints one line of JSON to standard output. JSON text already escapes C0 controls in
    /// strings; the other characters `DisplayText.isControl` names (DEL, C1 controls, separators,
    /// bidi overrides) are written as `\uXXXX`, which reads back as the same JSON.
    public static func jsonLine(_ text: String) {
        print(DisplayText.escapeJSONText(text))
    }

    /// Prints one line to standard error (an error, warning or note), control characters escaped.
    /// Standard output is flushed first, so the line falls after the results printed before it
    /// when both streams go to one file or pipe (`> out 2>&1`).
    public static func error(_ text: String) {
        fflush(nil)
        writeStandardError(Array((DisplayText.escapeControls(text) + "\n").utf8))
    }

    /// Writes a progress bar to standard error as it is, with no line feed: the caller's text may
    /// hold a carriage return and `ESC [ K` (erase to the end of the line) and nothing from the
    /// input; every other control character is escaped.
    public static func progress(_ text: String) {
        var safe = ""
        var rest = Substring(text)
        while let first = rest.unicodeScalars.first {
            if rest.hasPrefix("\u{1B}[K") {
                safe += "\u{1B}[K"
                rest = rest.dropFirst(3)
            } else if first == "\r" {
                safe += "\r"
                rest = rest.dropFirst()
            } else {
                safe += DisplayText.escapeControls(String(rest.prefix(1)))
                rest = rest.dropFirst()
            }
        }
        writeStandardError(Array(safe.utf8))
    }

    private static func writeStandardError(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}

extension ParsableCommand {
    /// Parses the process's arguments, runs the command and exits, like `main()`, except that every
    /// message goes through ``Terminal/error(_:)``: an error adopting ``CommandLineError`` prints its
    /// ``CommandLineError/diagnostic`` and exits with its ``CommandLineError/exitStatus``; the
    /// parser's own errors (whose messages can repeat what was typed) are printed line by line;
    /// any other error is a bug, exit 70. Help and other successful output is printed as it is.
    public static func mainEscapingErrors() -> Never {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitParsing(error)
        }
        do {
            try command.run()
            terminate(ExitStatus.ok.code)
        } catch let failure as any CommandLineError {
            fail(failure)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // The parser's own: help, version, a validation error, an exit code.
            exitParsing(error)
        } catch {
            fail(InternalError(error: error))
        }
    }

    /// Prints a command's failure as one line (escaped: a line feed from the input cannot start a
    /// line of its own) and exits with its status.
    private static func fail(_ failure: any CommandLineError) -> Never {
        if !failure.diagnostic.isEmpty {
            fflush(nil)
            Terminal.error(failure.diagnostic)
        }
        terminate(failure.exitStatus.code)
    }

    /// Ends as swift-argument-parser would for its own errors (usage, help, version), with their
    /// messages, which can repeat what was typed, escaped.
    private static func exitParsing(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        let message = escapingArguments(in: fullMessage(for: error))
        if code == .success {
            if !message.isEmpty { print(message) }
        } else if !message.isEmpty {
            fflush(nil)
            for line in message.split(separator: "\n", omittingEmptySubsequences: false) { Terminal.error(String(line)) }
        }
        terminate(code.rawValue)
    }
}

/// An error no command should throw: a bug (exit 70).
private struct InternalError: CommandLineError {
    var error: any Error
    var exitStatus: ExitStatus { .internalError }
    var diagnostic: String { "error: internal error (\(error)); please report it with the input" }
}

extension ParsableCommand {
    /// `message` with every command-line argument that holds a control character (and each part of
    /// it after an `=`) written escaped wherever the message repeats it, so that an argument holding
    /// a line feed cannot start a line of its own once the message is printed line by line.
    static func escapingArguments(in message: String, arguments: [String] = CommandLine.arguments) -> String {
        var message = message
        let hostile = arguments.dropFirst().filter { $0.unicodeScalars.contains(where: DisplayText.isControl) }
        // Whole arguments first, longest first, then the values of `--option=value` arguments.
        let parts = hostile.sorted { $0.count > $1.count }
            + hostile.compactMap { argument in argument.firstIndex(of: "=").map { String(argument[argument.index(after: $0)...]) } }
        for part in parts where part.unicodeScalars.contains(where: DisplayText.isControl) {
            message = message.replacing(part, with: DisplayText.escapeControls(part))
        }
        return message
    }
}

/// Flushes standard output and ends the process.
private func terminate(_ status: Int32) -> Never {
    fflush(nil)
    exit(status)
}
