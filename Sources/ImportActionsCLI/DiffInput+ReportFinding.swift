import PurchaseActions
import PurchaseActionsCore

// A migration report's findings read by the rules of Docs/migration-report.schema.json ($defs
// "finding" and "source"), so nothing `diff` prints or writes (Docs/diff.schema.json) is outside them.

extension DiffInput {
    /// The bytes of `<folder>/migration-report.json`: its size is checked before it is read, so a
    /// report past ``maxReportBytes`` is refused (`limit-exceeded`, exit 65) without being read,
    /// and one that cannot be read is `io` (exit 74).
    static func readReport(_ file: String) throws(LoadError) -> [UInt8] {
        try FileAccess.contents(
            of: file, "a migration report (migration-report.json)", maxBytes: maxReportBytes,
            tooLarge: "the file is larger than \(maxReportBytes) bytes (512 MiB), the most a migration report read by diff may hold (Docs/cli.md, \"diff\")")
    }

    /// One finding of the report's `findings`, at `path`: `code` one of the finding codes,
    /// `message` a string of at least one character, `workflow` the empty string or a workflow id,
    /// `source` an object with `file` and `path` strings and `line` an integer of at least 0.
    static func finding(_ value: JSONValue, at path: JSONPath, refuse: (JSONPath, String) -> LoadError) throws(LoadError) -> Finding {
        guard case .object(let members) = value else { throw refuse(path, "expected a finding (an object)") }
        guard case .string(let code)? = members["code"], MigrationFinding.Code(rawValue: code) != nil else {
            let known = MigrationFinding.Code.allCases.map(\.rawValue).joined(separator: ", ")
            throw refuse(path.member("code"), "expected a finding code (one of \(known))")
        }
        guard case .string(let message)? = members["message"], !message.isEmpty else {
            throw refuse(path.member("message"), "expected a message (a string of at least one character)")
        }
        guard case .string(let workflow)? = members["workflow"], workflow.isEmpty || Self.isWorkflowID(workflow) else {
            throw refuse(
                path.member("workflow"),
                "expected a workflow id (a letter or digit, then at most 127 letters, digits, '.', '_', ':' or '-') or the empty string")
        }
        let sourcePath = path.member("source")
        guard case .object(let source)? = members["source"] else { throw refuse(sourcePath, "expected a source (file, path, line)") }
        guard case .string(let file)? = source["file"] else { throw refuse(sourcePath.member("file"), "expected the export's file name (a string)") }
        guard case .string? = source["path"] else { throw refuse(sourcePath.member("path"), "expected the element path (a string)") }
        guard case .integer(let line)? = source["line"], line >= 0 else {
            throw refuse(sourcePath.member("line"), "expected a line number (an integer of at least 0; 0 when unknown)")
        }
        return Finding(code: code, message: message, workflow: workflow, file: file, line: line)
    }

    /// Whether `text` matches the schema's id: `^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`.
    static func isWorkflowID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return isAlphanumeric(first) && bytes.dropFirst().allSatisfy { isAlphanumeric($0) || Array("._:-".utf8).contains($0) }
    }
}
