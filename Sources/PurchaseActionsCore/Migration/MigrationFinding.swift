/// Something a migration could not map exactly, with the place in the export it came from.
///
/// The migration report lists every finding; nothing is dropped without one.
public struct MigrationFinding: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of finding.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// A merge field the legacy system is not known to have; kept as written.
        case unknownMergeField = "unknown-merge-field"
        /// Legacy text holding `{{` or `}}`, which the modern templates would read as a tag.
        case literalBraces = "literal-braces"
        /// A legacy action with no workflow equivalent; kept as a `legacy` action that does nothing.
        case legacyAction = "legacy-action"
        /// A queued fulfilment list, sent per contact instead of in a daily batch.
        case queuedFulfillmentList = "queued-fulfillment-list"
        /// An extension (an element or attribute outside the format) not carried into the workflow.
        case extensionNotCarried = "extension-not-carried"
        /// A send time on a day-0 sequence step, which runs at once.
        case sendTimeIgnored = "send-time-ignored"
        /// A reference to something the account does not hold (only for accounts built in code: the
        /// reader refuses such exports).
        case missingReference = "missing-reference"
        /// A count or delay past the workflow format's maximum (``WorkflowLimits``), written as that
        /// maximum (only for accounts built in code: the reader refuses such exports).
        case valueOutOfRange = "value-out-of-range"
        /// A line break or NUL in text that goes into an email header (a subject, a sender's name),
        /// written as a space.
        case headerLineBreak = "header-line-break"
        /// An action set whose `run-action-set` calls, counted with repetitions, run more than the
        /// engine's work budget allows for one event (``CallGraph/workBudget``).
        case expansionOverBudget = "expansion-over-budget"
        /// The account's billing defaults or a plan's billing overrides (retries, days between
        /// them, autocharge off): the engine does not retry or schedule charges yet.
        case billingSettingsUnused = "billing-settings-unused"
    }

    /// What kind of finding.
    public var code: Code
    /// What happened and what the workflow does instead, for people.
    public var message: String
    /// Where in the export.
    public var location: FileLocation
    /// The workflow the finding is about.
    public var workflowID: String

    /// Creates a finding.
    public init(_ code: Code, _ message: String, at location: FileLocation, workflowID: String) {
        self.code = code
        self.message = message
        self.location = location
        self.workflowID = workflowID
    }

    /// `file:line: note: message [code]`, the form compilers print.
    public var description: String { "\(location.position): note: \(message) [\(code.rawValue)]" }
}

extension MigrationFinding: JSONRepresentable {
    /// `{"code", "message", "workflow", "source"}`.
    public var json: JSONValue {
        .members(["code": code.rawValue.json, "message": message.json, "workflow": workflowID.json, "source": SourceTrace(location).json])
    }

    /// Writes ``json`` as its canonical text at the writer's depth, without building the tree
    /// (the import writes every finding so: Benchmarks/README.md, "Import throughput").
    package func writeJSON(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.member("code", code.rawValue)
        writer.member("message", message)
        writer.key("source")
        SourceTrace(location).write(to: &writer)
        writer.member("workflow", workflowID)
        writer.endObject()
    }
}

/// The workflows compiled from one legacy account and what could not be mapped exactly.
public struct Migration: Hashable, Sendable {
    /// The workflows, sorted by id.
    public var workflows: [Workflow]
    /// The findings, in document order.
    public var findings: [MigrationFinding]

    /// Creates a migration; workflows are sorted by id and findings into document order.
    public init(workflows: [Workflow], findings: [MigrationFinding]) {
        self.workflows = workflows.sorted { $0.id < $1.id }
        self.findings = Self.documentOrder(findings)
    }

    /// The migration report in its JSON form.
    public var report: JSONValue { Self.report(workflowIDs: workflows.map(\.id), findings: findings) }

    /// The migration report: `{"formatVersion", "workflows", "findings"}`, workflow ids sorted and
    /// findings in document order.
    public static func report(workflowIDs: [String], findings: [MigrationFinding]) -> JSONValue {
        .members(["formatVersion": 1.json, "workflows": workflowIDs.sorted().json, "findings": documentOrder(findings).json])
    }

    /// Findings sorted by line and column, keeping the order of findings at one place.
    public static func documentOrder(_ findings: [MigrationFinding]) -> [MigrationFinding] {
        findings.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column ?? 0, $0.offset) < ($1.element.location.line, $1.element.location.column ?? 0, $1.offset)
        }.map(\.element)
    }
}
