/// One problem `purchase-actions validate` (``WorkflowValidation``) found: what, how bad, and where
/// (file, line, JSON path).
///
/// Its ``description`` is one line, in the form compilers use, with every control character of the
/// input escaped (``DisplayText``):
///
/// ```
/// migrated/workflows/slot.vip.json:41: error: call of workflow 'action-set.as-missing', which is not in the folder [unknown-workflow] (at $.steps[2].workflow)
/// ```
public struct ValidationProblem: Hashable, Sendable, CustomStringConvertible {
    /// How bad a problem is.
    public enum Severity: String, Hashable, Sendable, CaseIterable {
        /// The automation is wrong: a file the engine refuses, or a reference to nothing (exit 65).
        case error
        /// Probably a mistake, but runnable: a workflow nothing starts, a template nothing uses
        /// (exit 1 with `--strict`, else 0).
        case warning
    }

    /// What kind of problem. Codes are stable: scripts may match on them (Docs/cli.md, "validate").
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// A file or folder could not be read (permissions, a disk error), or is not a regular file.
        case unreadable
        /// A file past the most bytes a workflow file may hold, or a folder past the most files.
        case limitExceeded = "limit-exceeded"
        /// Not JSON (a syntax error, with its line and column).
        case invalidJSON = "invalid-json"
        /// Valid JSON that breaks the workflow format (Docs/workflow-format.md): the reader's first error in the file.
        case schema
        /// A workflow file not named `<id>.json` after the workflow it holds.
        case misnamedFile = "misnamed-file"
        /// Two files hold workflows with the same id.
        case duplicateWorkflow = "duplicate-workflow"
        /// `settings.accountTimezone` is not in the system's timezone database.
        case unknownTimezone = "unknown-timezone"
        /// A folder with no workflow file.
        case noWorkflows = "no-workflows"
        /// `call`, `enroll` or `unenroll` of a workflow that is not there.
        case unknownWorkflow = "unknown-workflow"
        /// An action's `template` is not in `templates/`.
        case unknownTemplate = "unknown-template"
        /// An action's `template` is for another action type (an SMS template in a `send-email`).
        case templateTypeMismatch = "template-type-mismatch"
        /// A file of `templates/` that is not a template, or not named `<id>.json` after it.
        case invalidTemplate = "invalid-template"
        /// `account.json` is not an account file.
        case invalidAccount = "invalid-account"
        /// A migration's `dunning-policy.yaml` is not a dunning policy (Docs/dunning.md), or not a file.
        case invalidPolicy = "invalid-policy"
        /// A condition, wait, `update-field` or `notify` names a contact field that is neither a
        /// standard one nor a custom field of `account.json`.
        case unknownField = "unknown-field"
        /// A tag that `account.json` does not have.
        case unknownTag = "unknown-tag"
        /// A product that `account.json` does not have.
        case unknownProduct = "unknown-product"
        /// A subscription plan that `account.json` does not have.
        case unknownPlan = "unknown-plan"
        /// A user that `account.json` does not have.
        case unknownUser = "unknown-user"
        /// A bundle that `account.json` does not have.
        case unknownBundle = "unknown-bundle"
        /// A payment plan that `account.json` does not have.
        case unknownPaymentPlan = "unknown-payment-plan"
        /// Warning: `call` or `enroll` of a draft workflow, which the engine does not run.
        case callsDraft = "calls-draft"
        /// Warning: a published workflow with no event trigger that no other workflow calls or
        /// enrolls into: nothing starts it but `runActionSet`.
        case unreachableWorkflow = "unreachable-workflow"
        /// Warning: a template no action uses.
        case unusedTemplate = "unused-template"
        /// Warning: a published workflow one run of which may do more than the engine's work budget
        /// (a cycle of calls or enroll steps, or calls repeated past 10,000 steps and enrollments).
        case overBudget = "over-budget"

        /// How bad a problem of this kind is.
        public var severity: Severity {
            switch self {
            case .callsDraft, .unreachableWorkflow, .unusedTemplate, .overBudget: .warning
            default: .error
            }
        }
    }

    /// What kind of problem.
    public var code: Code
    /// What is wrong and what would be right, for people. Input it quotes is escaped.
    public var message: String
    /// The file (or folder), as found from the paths given.
    public var file: String
    /// The 1-based line in the file, when known (the line of the value at ``jsonPath``).
    public var line: Int?
    /// The 1-based column, for a JSON syntax error.
    public var column: Int?
    /// Where in the file's JSON: every problem has one, the root (`$`) for one about the whole
    /// file (a syntax error, a file past its limit) or a folder.
    public var jsonPath: JSONPath

    /// How bad it is (``Code/severity``).
    public var severity: Severity { code.severity }

    /// Creates a problem.
    public init(_ code: Code, _ message: String, file: String, line: Int? = nil, column: Int? = nil, jsonPath: JSONPath = .root) {
        self.code = code
        self.message = message.unicodeScalars.contains(where: DisplayText.isControl) ? DisplayText.escape(message) : message
        self.file = file
        self.line = line
        self.column = column
        self.jsonPath = jsonPath
    }

    /// `file:line[:column]: error: message [code] (at $.path)`, control characters escaped; the
    /// path is `$` for a problem about the whole file.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": \(severity.rawValue): \(message) [\(code.rawValue)]"
        text += " (at \(jsonPath))"
        // The message and path are escaped already; the file name is input too.
        return DisplayText.escapeControls(text)
    }

    /// `{"severity", "code", "message", "file", "line", "column", "path"}`, `line` and `column` left
    /// out when not known.
    public var json: JSONValue {
        .members([
            "severity": severity.rawValue.json, "code": code.rawValue.json, "message": message.json, "file": file.json,
            "line": line.json, "column": column.json, "path": jsonPath.description.json,
        ])
    }
}
