public import ArgumentParser
import CommandLineSupport
import PurchaseActionsCore

/// `import-actions diff OLD NEW`: what changed between two migrations.
public struct Diff: ParsableCommand {
    /// Creates the command.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two migrations: two exports, or two output folders of import-actions.",
        discussion: """
            Compares the workflows each input gives (an export is compiled as import-actions \
            compiles it; a folder is read as simulate --workflows reads it) and the findings of \
            their migration reports. It prints the workflows and steps added (+), removed (-) and \
            changed (~), by id, each with its source line, the members that changed (such as \
            action.subject), the dunning policy's members that changed (retries, plans, timezone...: \
            an export's billing settings as import-actions writes them, a folder's \
            dunning-policy.yaml; a folder without one is not compared), and the findings added and \
            removed (a finding is the same when its \
            code, message and workflow are; its line is shown but not compared). Sources (file, element path, line) are not compared: \
            the same export under another name, or with lines moved, is the same migration.

            Like diff(1): identical inputs print nothing and exit 0; differences exit 1; an \
            input that cannot be read exits 65, 66 or 74 (Docs/cli.md, "Exit codes"). \
            --json prints one JSON document instead (Docs/diff.schema.json), also only when \
            there are differences.

            Examples:
              import-actions diff old.xml new.xml
              import-actions diff migrated-june migrated-july     (two output folders)
              import-actions diff export.xml migrated             (export against folder)
              import-actions diff old.xml new.xml --json | jq '.workflows.changed[].id'

            What it prints (+ added, - removed, ~ changed; file:line of each):
              ~ workflow action-set.as-vip (old.xml:152 → new.xml:152)
                  ~ step as-vip.tier (old.xml:154 → new.xml:154): action.tag
              + workflow action-set.as-refund (new.xml:175)
              - workflow billing.ba-vip-failed-1 (old.xml:185)
              ~ dunning policy legacy-billing (old.xml → new.xml): plans.plan-gold.retries, timezone
              + finding new.xml:126: [unknown-merge-field] the subject ...
              workflows: 1 added, 1 removed, 1 changed (steps: ...); findings: ...
            """
    )

    @Argument(help: ArgumentHelp("The earlier migration: an export (XML) or an output folder of import-actions.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The later migration: an export (XML) or an output folder of import-actions.", valueName: "new"))
    var new: String

    @Flag(help: "Print the differences as one JSON document (Docs/diff.schema.json).")
    var json = false

    @OptionGroup(title: "Reader limits (for exports)")
    var limits: ReaderLimitOptions

    public func run() throws {
        let result = DiffResult(old: try DiffInput(old, limits: limits.limits), new: try DiffInput(new, limits: limits.limits))
        guard !result.isEmpty else { return }
        if json {
            // Line by line: the canonical text's line feeds are its layout (strings escape theirs).
            for line in result.json(old: old, new: new).canonicalText.split(separator: "\n") { Terminal.jsonLine(String(line)) }
        } else {
            for line in result.lines { Terminal.line(line) }
        }
        throw ExitStatus.findings
    }
}

extension DiffResult {
    // MARK: Text

    /// The lines `diff` prints: one per workflow, step and finding, then the counts.
    var lines: [String] {
        func at(_ place: Place?) -> String { place.map { " (\($0.text))" } ?? "" }
        func between(_ old: Place?, _ new: Place?) -> String {
            switch (old, new) {
            case (let old?, let new?): " (\(old.text) → \(new.text))"
            default: at(old ?? new)
            }
        }
        func members(_ list: [String]) -> String { list.isEmpty ? "" : ": " + list.joined(separator: ", ") }
        var lines: [String] = []
        for change in workflows {
            switch change {
            case .added(let entry): lines.append("+ workflow \(entry.id)\(at(entry.place))")
            case .removed(let entry): lines.append("- workflow \(entry.id)\(at(entry.place))")
            case .changed(let workflow):
                lines.append("~ workflow \(workflow.id)\(between(workflow.old, workflow.new))\(members(workflow.members))")
                for step in workflow.removedSteps { lines.append("    - step \(step.id)\(at(step.place))") }
                for step in workflow.addedSteps { lines.append("    + step \(step.id)\(at(step.place))") }
                for step in workflow.changedSteps { lines.append("    ~ step \(step.id)\(between(step.old, step.new))\(members(step.members))") }
            }
        }
        func finding(_ sign: String, _ finding: DiffInput.Finding) -> String {
            let place = Place(file: finding.file, line: finding.line).text
            return "\(sign) finding \(place): [\(finding.code)] \(finding.message)" + (finding.workflow.isEmpty ? "" : " (workflow \(finding.workflow))")
        }
        if let policy {
            let ids = policy.oldID == policy.newID ? policy.newID : "\(policy.oldID) → \(policy.newID)"
            lines.append("~ dunning policy \(ids) (\(policy.oldFile) → \(policy.newFile))\(members(policy.members))")
        }
        lines += removedFindings.map { finding("-", $0) }
        lines += addedFindings.map { finding("+", $0) }
        lines.append(summary)
        return lines
    }

    /// `workflows: 1 added, 0 removed, 2 changed (steps: 1 added, 0 removed, 3 changed); findings: 1 added, 1 removed`.
    var summary: String {
        var added = 0, removed = 0, changed = 0, stepsAdded = 0, stepsRemoved = 0, stepsChanged = 0
        for change in workflows {
            switch change {
            case .added: added += 1
            case .removed: removed += 1
            case .changed(let workflow):
                changed += 1
                stepsAdded += workflow.addedSteps.count
                stepsRemoved += workflow.removedSteps.count
                stepsChanged += workflow.changedSteps.count
            }
        }
        return "workflows: \(added) added, \(removed) removed, \(changed) changed (steps: \(stepsAdded) added, \(stepsRemoved) removed, \(stepsChanged) changed); findings: \(addedFindings.count) added, \(removedFindings.count) removed"
            + (policy == nil ? "" : "; dunning policy changed")
    }

    // MARK: JSON

    /// The document `diff --json` prints (Docs/diff.schema.json).
    func json(old: String, new: String) -> JSONValue {
        func entry(_ entry: Entry) -> JSONValue { .members(["id": entry.id.json, "source": entry.place?.json]) }
        func finding(_ finding: DiffInput.Finding) -> JSONValue {
            .members([
                "code": finding.code.json, "message": finding.message.json, "workflow": finding.workflow.json,
                "source": Place(file: finding.file, line: finding.line).json,
            ])
        }
        var added: [JSONValue] = [], removed: [JSONValue] = [], changed: [JSONValue] = []
        for change in workflows {
            switch change {
            case .added(let value): added.append(entry(value))
            case .removed(let value): removed.append(entry(value))
            case .changed(let workflow):
                let steps = JSONValue.members([
                    "added": .array(workflow.addedSteps.map(entry)),
                    "removed": .array(workflow.removedSteps.map(entry)),
                    "changed": .array(
                        workflow.changedSteps.map {
                            .members(["id": $0.id.json, "old": $0.old?.json, "new": $0.new?.json, "members": $0.members.json])
                        }),
                ])
                changed.append(
                    .members([
                        "id": workflow.id.json, "old": workflow.old?.json, "new": workflow.new?.json, "members": workflow.members.json,
                        "steps": steps,
                    ]))
            }
        }
        return .members([
            "formatVersion": 1.json,
            "old": old.json,
            "new": new.json,
            "workflows": .members(["added": .array(added), "removed": .array(removed), "changed": .array(changed)]),
            "findings": .members(["added": .array(addedFindings.map(finding)), "removed": .array(removedFindings.map(finding))]),
            "dunningPolicy": policy.map {
                .members([
                    "old": .members(["file": $0.oldFile.json, "id": $0.oldID.json]), "new": .members(["file": $0.newFile.json, "id": $0.newID.json]),
                    "members": $0.members.json,
                ])
            },
        ])
    }
}
