/// Why a file could not be loaded: what went wrong, in which file, and where in it.
///
/// The one error type of the loaders in `PurchaseActions` (``Automation/init(exportFile:limits:)-(String,_)``,
/// ``Automation/init(folder:limits:)-(String,_)``, ``EventsFile``). Its ``description`` is written for people,
/// in the form compilers use: `file:line: error: $.json.path: message`:
///
/// ```
/// w/w.json:5: error: $.version: 2147483648 is more than 2147483647, the most allowed (Docs/workflow-format.md, "Limits")
/// e.jsonl:3: error: $.occurredAt: expected an RFC 3339 time ...
/// export.xml:21:56: error: unknown tag 'tag-customers': ... (/export/action-sets/action-set[@id='as-thanks']/apply-tag)
/// ```
///
/// Nothing in it holds a raw control character: the message quotes input escaped
/// (`DisplayText`), and the file name is escaped when the description is made, so an app may show
/// it as it is. The command-line tools end with the exit code of Docs/cli.md for each ``Code``.
public struct LoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure. Codes are stable: apps and scripts may match on them.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// The file or folder does not exist, or is a symbolic link to nothing or a loop of symbolic
        /// links (exit 66). A name holding U+FFFD (bytes that were not UTF-8) says so.
        case missing
        /// The path is the wrong kind: a folder where a file is expected, a file where a folder
        /// is, or a device or socket (exit 66).
        case wrongKind = "wrong-kind"
        /// The URL is not a `file:` URL: the loaders read local files only (exit 66).
        case notAFileURL = "not-a-file-url"
        /// The content is not valid: not a valid export, workflow file or event line (exit 65).
        case invalid
        /// A limit was exceeded: a file's size, a folder's number of files, a line's length, a
        /// reader limit (exit 65).
        case limitExceeded = "limit-exceeded"
        /// The file could not be read: permissions, a disk error (exit 74).
        case io
    }

    /// What kind of failure.
    public var code: Code
    /// What went wrong and what would be right, for people. Input it quotes is escaped.
    public var message: String {
        didSet { message = Self.safe(message) }
    }
    /// The file or folder, as given.
    public var file: String
    /// The 1-based line in the file, when known (for an events file, the line of the event).
    public var line: Int?
    /// The 1-based column, when known: of an XML error, or of a JSON syntax error in an event line.
    public var column: Int?
    /// Where in a JSON document (a workflow file, an event line), when the error is about its content.
    public var jsonPath: JSONPath?
    /// Where in an export: the element path, such as `/export/action-sets/action-set[@id='as-vip']`.
    public var elementPath: String?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, file: String, line: Int? = nil, column: Int? = nil, jsonPath: JSONPath? = nil,
        elementPath: String? = nil
    ) {
        self.code = code
        self.message = Self.safe(message)
        self.file = file
        self.line = line
        self.column = column
        self.jsonPath = jsonPath
        self.elementPath = elementPath
    }

    /// The error of an export that could not be read, at its place (file, line, column, element path).
    public init(_ error: ImportError) {
        let code: Code =
            switch error.code {
            case .missingInput: .missing
            case .io: .io
            case .limitExceeded: .limitExceeded
            default: .invalid
            }
        let location = error.location
        let path = location.path
        self.init(
            code, error.message, file: location.file, line: location.line > 0 ? location.line : nil,
            column: location.line > 0 ? location.column : nil, elementPath: path.isEmpty ? nil : path)
    }

    /// The error of a JSON document (a workflow file, an event line) in `file`, at `line` of the file.
    public init(_ error: JSONError, file: String, line: Int?, column: Int? = nil) {
        self.init(error.code == .limit ? .limitExceeded : .invalid, error.message, file: file, line: line, column: column, jsonPath: error.path)
    }

    /// `file:line:column: error: $.path: message (element path)`, each part when known.
    public var description: String {
        var text = DisplayText.escapeControls(file)
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": error: "
        if let jsonPath { text += "\(jsonPath): " }
        text += message
        if let elementPath { text += " (\(DisplayText.escapeControls(elementPath)))" }
        return text
    }

    /// `message`, escaped whole when it holds a control character (input it quotes is escaped
    /// where it is quoted; this is the guard for any that is not).
    static func safe(_ message: String) -> String {
        message.unicodeScalars.contains(where: DisplayText.isControl) ? DisplayText.escape(message) : message
    }
}
