/// Where something came from: a file as it was named on the command line, an element path, a line and a column.
///
/// Every error, warning and generated part carries one, so a person can open the file at the right place.
/// The file is kept exactly as given (never made absolute), so outputs are the same on every machine.
public struct FileLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file as given by the user, for example `exports/acme.xml`.
    public var file: String
    /// The 1-based line, or 0 when unknown.
    public var line: Int
    /// The 1-based column, when known.
    public var column: Int?
    // The path is kept in parts and joined when asked for: readers make a location for every
    // element they model, and most paths are never printed.
    private var parentPath: String
    private var element: String?
    private var elementID: String?

    /// Creates a location.
    public init(file: String, path: String = "", line: Int = 0, column: Int? = nil) {
        self.file = file
        self.parentPath = path
        self.line = line
        self.column = column
    }

    /// Creates the location of an element below a parent path: its path is
    /// `parentPath/element[@id='elementID']`, built only when read.
    public init(file: String, parentPath: String, element: String, id: String?, line: Int, column: Int?) {
        self.file = file
        self.parentPath = parentPath
        self.element = element
        self.elementID = id
        self.line = line
        self.column = column
    }

    /// The element path, for example `/export/action-sets/action-set[@id='as-vip']/send-email`.
    public var path: String {
        get {
            guard let element else { return parentPath }
            // One string of the right size, its bytes copied in place (a chain of `+` makes a
            // string for each): a trace is made for every compiled step and condition.
            return ElementPath.join(parent: parentPath, name: element, id: elementID)
        }
        set {
            parentPath = newValue
            element = nil
            elementID = nil
        }
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
        let path = path
        return path.isEmpty ? position : "\(position) (\(path))"
    }

    public static func == (lhs: FileLocation, rhs: FileLocation) -> Bool {
        lhs.file == rhs.file && lhs.line == rhs.line && lhs.column == rhs.column && lhs.path == rhs.path
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(line)
        hasher.combine(column)
        hasher.combine(path)
    }

    private enum CodingKeys: String, CodingKey {
        case file, path, line, column
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            file: try container.decode(String.self, forKey: .file), path: try container.decode(String.self, forKey: .path),
            line: try container.decode(Int.self, forKey: .line), column: try container.decodeIfPresent(Int.self, forKey: .column))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
        try container.encodeIfPresent(column, forKey: .column)
    }
}
