import Foundation

// The dunning policy of a migration folder: beyond reading it (`invalid-policy`), what `publish`
// refuses of a policy that reads (Docs/dunning.md, "Checks"), as `dunning check` reports it.

extension WorkflowValidation {
    /// Adds the errors `publish` and `dunning check` find in `policy` (the migration's
    /// `dunning-policy.yaml` at `file`, read): `DunningPolicy.checkErrors(templates:)` with the
    /// migration's templates. An `email` whose template is not in `templates/` is `unknown-template`
    /// (as a workflow action's), one whose template does not make a whole email `invalid-template`,
    /// a tag that is not a tag id `invalid-policy`; each at its JSON path and line in the policy
    /// file. The templates are checked only when the folder has a `templates/` that could be listed
    /// (`templates` not `nil`), as for workflows; an email naming a template whose own file is
    /// broken (`broken`, reported there) is not reported again.
    static func checkPolicyErrors(
        _ policy: DunningPolicy, file: String, templates: [String: WorkflowTemplate]?, broken: Set<String>, into sink: inout ProblemSink
    ) {
        let errors = policy.checkErrors(templates: templates)
        guard !errors.isEmpty else { return }
        let bytes = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
        for error in errors {
            let code: ValidationProblem.Code
            switch error.code {
            case "missing-template":
                if case .string(let id)? = policy.json.value(at: error.path), broken.contains(id) { continue }
                code = .unknownTemplate
            case "invalid-template": code = .invalidTemplate
            default: code = .invalidPolicy
            }
            let place = bytes.flatMap { Self.position(of: error.path, in: $0) }
            sink.add(code, "the dunning policy: \(error.message) (\(error.code))", file: file, line: place?.line, column: place?.column, path: error.path)
        }
    }

    /// The line and column of the value at `path` in a policy file's bytes (JSON or YAML), or of
    /// the nearest value holding it that is in the file.
    static func position(of path: JSONPath, in bytes: [UInt8]) -> (line: Int, column: Int)? {
        let isJSON = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "{")
        var path = path
        while true {
            if isJSON {
                if let place = JSONValue.position(of: path, in: bytes) { return place }
            } else {
                var finder = PolicyYAMLReader(target: path)
                _ = try? finder.read(bytes)
                if let place = finder.found { return place }
            }
            guard !path.components.isEmpty else { return nil }
            path.components.removeLast()
        }
    }
}
