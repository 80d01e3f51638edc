/// Where something came from: a file as it was named on the command line, an element path, a line and a column.
///
/// Every error, warning and generated part carries one, so a person can open the file at the right place.
/// The file is kept exactly as given (never made absolute), so outputs are the same on every machine.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file as given by the user, for example `exports/acme.xml`.
    public var file: String
    /// The element path, for example `/export/action-sets/action-set[@id='as-vip']/send-email`.
    public var path: String
    /// The 1-based line, or 0 when unknown.
    public var line: Int
    /// The 1-based column, when known.
    public var column: Int?

    /// Creates a location.
    public init(file: String, path: String = "", line: Int = 0, column: Int? = nil) {
        self.file = file
        self.path = path
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    public var position: String {
        var text = file
        if line > 0 {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    /// `file:line:column (path)`.
    public var description: String {
        path.isEmpty ? position : "\(position) (\(path))"
    }
}
