// Reading and writing a template file (`templates/<id>.json`, Docs/workflow-format.md, "Templates").

extension WorkflowTemplate: JSONRepresentable {
    /// The version of the template file format this type reads and writes.
    public static let formatVersion = 1

    /// `{"formatVersion", "id", "kind", "name", "action", "legacy", "source"}`: the template file's
    /// content (`legacy` only when ``legacyContent`` is not empty).
    public var json: JSONValue {
        .members([
            "formatVersion": Self.formatVersion.json, "id": id.json, "kind": kind.rawValue.json, "name": name.json,
            "action": .object(action), "source": source.json,
            "legacy": legacyContent.isEmpty ? nil : .object(legacyContent.mapValues(\.json)),
        ])
    }

    /// Whether `text` may be a template's id, and so a file's name (`<id>.json`): the rule of every
    /// id and reference in a workflow file (``Workflow/isValidID(_:)``: 1 to 128 characters from
    /// `A-Z a-z 0-9 . _ : -`, starting with a letter or digit). Such an id has no `/` and is never
    /// `.` or `..`, so its file stays inside `templates/`; export ids (``StableID``) all pass.
    public static func isValidID(_ text: String) -> Bool { Workflow.isValidID(text) }

    /// Decodes a template file's JSON form, refusing anything the format does not allow: an
    /// unknown member, an id that is not ``isValidID(_:)``, an `action` without a `type` of
    /// ``WorkflowAction/typeNames``, or one naming a `template` itself. The members of `action`
    /// are checked where a workflow uses them (``Workflow/load(_:templates:)``).
    public init(json: JSONValue, at path: JSONPath = .root) throws(JSONError) {
        var object = try JSONObjectReader(json, at: path)
        let formatVersion = try object.integer("formatVersion")
        guard formatVersion == Self.formatVersion else {
            throw JSONError(
                .invalidValue, "formatVersion \(formatVersion) is not one this reader knows: it reads formatVersion \(Self.formatVersion)",
                at: path.member("formatVersion"))
        }
        let id = try object.id("id")
        let kind = try object.enumeration("kind", TemplateKind.self)
        let name = try object.string("name")
        let actionPath = path.member("action")
        let value = try object.required("action")
        guard case .object(let action) = value else { throw JSONError(.wrongType, "expected an object, found \(value.kindName)", at: actionPath) }
        var members = try JSONObjectReader(.object(action), at: actionPath)
        _ = try members.choice("type", WorkflowAction.typeNames)
        if action["template"] != nil {
            throw JSONError(.unknownMember, "a template's action does not name a template: its id is the template's own", at: actionPath.member("template"))
        }
        let source = try object.optionalDecode("source", SourceTrace.init(json:at:))
        var legacyContent: [String: String] = [:]
        if let legacy = object.optional("legacy") {
            let legacyPath = path.member("legacy")
            guard case .object(let members) = legacy else { throw JSONError(.wrongType, "expected an object, found \(legacy.kindName)", at: legacyPath) }
            for (name, value) in members {
                guard ["body", "recording", "script"].contains(name) else {
                    throw JSONError(.unknownMember, "a template's legacy content holds only body, recording and script", at: legacyPath.member(name))
                }
                legacyContent[name] = try value.string(at: legacyPath.member(name))
            }
        }
        try object.finish()
        self.init(id: id, kind: kind, name: name, action: action, source: source, legacyContent: legacyContent)
    }

    /// Parses and decodes one template file (UTF-8 JSON). Every error has a line, as
    /// `Workflow.load(_:)` gives.
    public static func load(_ bytes: [UInt8]) throws(JSONError) -> WorkflowTemplate {
        try JSONValue.decodeLocated(bytes) { json throws(JSONError) in try WorkflowTemplate(json: json) }
    }
}

extension JSONValue {
    /// Parses `bytes` and decodes them with `decode`; a decoding error without a line gets the
    /// line of its path (or of the nearest enclosing value) in `bytes`.
    static func decodeLocated<T>(_ bytes: [UInt8], _ decode: (JSONValue) throws(JSONError) -> T) throws(JSONError) -> T {
        let json = try JSONValue.parse(bytes)
        do {
            return try decode(json)
        } catch {
            var located = error
            if located.line == nil { located.line = line(of: error.path, in: bytes) }
            throw located
        }
    }

    /// The line of the value at `path` in `bytes`, or of the nearest enclosing value that is there
    /// (a member a template gave, or one that is missing, is not in the file).
    static func line(of path: JSONPath, in bytes: [UInt8]) -> Int? {
        var path = path
        while true {
            if let found = position(of: path, in: bytes) { return found.line }
            guard !path.components.isEmpty else { return nil }
            path.components.removeLast()
        }
    }
}
