/// What ``WorkflowValidation`` found: the problems (the first `maxProblems` of all, sorted by file,
/// line, column and JSON path), and the count of every problem, kept or not.
public struct ValidationReport: Hashable, Sendable {
    /// The problems kept, at most ``WorkflowValidation/maxProblems``.
    public var problems: [ValidationProblem] = []
    /// How many errors were found in all (kept or not).
    public var errors = 0
    /// How many warnings were found in all (kept or not).
    public var warnings = 0
    /// How many problems of each code were found in all.
    public var counts: [ValidationProblem.Code: Int] = [:]
    /// How many workflow files were read.
    public var workflowFiles = 0
    /// How many template files were read.
    public var templateFiles = 0
    /// How many `account.json` files were read.
    public var accountFiles = 0

    /// Creates an empty report.
    public init() {}

    /// The problems found but not kept (past the maximum).
    public var omitted: Int { errors + warnings - problems.count }

    /// `3 errors, 1 warning in 12 workflow files (4 templates, account.json)` (templates and account when read), with
    /// `; 20 more not shown` when problems were left out.
    public var summary: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        var read: [String] = []
        if templateFiles > 0 { read.append(count(templateFiles, "template")) }
        if accountFiles > 0 { read.append(accountFiles == 1 ? "account.json" : "\(accountFiles) account.json files") }
        var text = "\(count(errors, "error")), \(count(warnings, "warning")) in \(count(workflowFiles, "workflow file"))"
        if !read.isEmpty { text += " (\(read.joined(separator: ", ")))" }
        if omitted > 0 {
            let byCode = counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            text += "; \(omitted) more not shown (all: \(byCode))"
        }
        return text
    }

    /// `{"errors", "warnings", "omitted", "workflowFiles", "templateFiles", "accountFiles", "counts", "problems"}`.
    public var json: JSONValue {
        var byCode: [String: JSONValue] = [:]
        for (code, number) in counts { byCode[code.rawValue] = number.json }
        return .members([
            "errors": errors.json, "warnings": warnings.json, "omitted": omitted.json, "workflowFiles": workflowFiles.json,
            "templateFiles": templateFiles.json, "accountFiles": accountFiles.json, "counts": .object(byCode),
            "problems": .array(problems.map(\.json)),
        ])
    }
}
