import PurchaseActions
import PurchaseActionsCore

/// What `import-actions diff` found between two migrations: workflows and steps added, removed and
/// changed (by id), and findings added and removed (by code, message and workflow).
///
/// What is compared is what a workflow does, not where it came from: every `source` (file, element
/// path, line) is left out of the comparison, so the same export read from another path, or with
/// lines moved, compares equal; the lines are shown beside each difference. A step is compared
/// without the steps inside it (an `if` step's branches name their steps by id), so a change inside
/// a branch is shown on that step alone.
struct DiffResult {
    /// Where something is in its input: the `source` of a workflow, step or finding.
    struct Place: Hashable {
        var file: String
        var line: Int

        init?(_ source: SourceTrace?) {
            guard let source else { return nil }
            self.init(file: source.file, line: source.line)
        }

        init(file: String, line: Int) {
            self.file = file
            self.line = line
        }

        var json: JSONValue { .members(["file": file.json, "line": line.json]) }
        var text: String { file.isEmpty ? "line \(line)" : "\(file):\(line)" }
    }

    /// A workflow or step only one side has.
    struct Entry {
        var id: String
        var place: Place?
    }

    /// A step both sides have, different.
    struct ChangedStep {
        var id: String
        var old: Place?
        var new: Place?
        /// The members that differ, as paths inside the step (`action.subject`), at most
        /// ``DiffResult/maxMembers`` (then `…`).
        var members: [String]
    }

    /// A workflow both sides have, different.
    struct ChangedWorkflow {
        var id: String
        var old: Place?
        var new: Place?
        /// The workflow's own members that differ (`name`, `triggers[0].filters`, `steps` for
        /// their order).
        var members: [String]
        var addedSteps: [Entry]
        var removedSteps: [Entry]
        var changedSteps: [ChangedStep]
    }

    /// A workflow only one side has, or one both have that differs, in the order of their ids.
    enum WorkflowChange {
        case added(Entry)
        case removed(Entry)
        case changed(ChangedWorkflow)

        var id: String {
            switch self {
            case .added(let entry), .removed(let entry): entry.id
            case .changed(let workflow): workflow.id
            }
        }
    }

    /// The most member paths listed for one changed workflow or step: 10.
    static let maxMembers = 10

    /// Two dunning policies that differ (Docs/cli.md, "import-actions diff").
    struct ChangedPolicy {
        /// The policy files (an export's path for a policy compiled from it).
        var oldFile: String
        var newFile: String
        /// The policies' ids.
        var oldID: String
        var newID: String
        /// The members that differ, as paths in the policy (`retries.gaps[1]`, `plans.plan-gold.retries`,
        /// `timezone`, `sendWindow.from`), at most ``DiffResult/maxMembers`` (then `…`).
        var members: [String]
    }

    var workflows: [WorkflowChange] = []
    var addedFindings: [DiffInput.Finding] = []
    var removedFindings: [DiffInput.Finding] = []
    /// The dunning policies, when both sides have one and they differ.
    var policy: ChangedPolicy?

    /// Whether the two sides are the same.
    var isEmpty: Bool { workflows.isEmpty && addedFindings.isEmpty && removedFindings.isEmpty && policy == nil }

    /// Compares two inputs.
    init(old: DiffInput, new: DiffInput) {
        for id in Set(old.workflows.keys).union(new.workflows.keys).sorted() {
            switch (old.workflows[id], new.workflows[id]) {
            case (nil, let added?): workflows.append(.added(Entry(id: id, place: Place(added.source))))
            case (let removed?, nil): workflows.append(.removed(Entry(id: id, place: Place(removed.source))))
            case (let before?, let after?):
                if let change = Self.compare(before, after) { workflows.append(.changed(change)) }
            case (nil, nil): break
            }
        }
        if let before = old.policy, let after = new.policy, before.policy.json != after.policy.json {
            var members: [String] = []
            Self.differences(before.policy.json, after.policy.json, "", into: &members)
            policy = ChangedPolicy(oldFile: before.file, newFile: after.file, oldID: before.policy.id, newID: after.policy.id, members: members)
        }
        // Findings as multisets by code, message and workflow.
        var remaining: [[String]: Int] = [:]
        for finding in new.findings { remaining[finding.key, default: 0] += 1 }
        for finding in old.findings {
            if let count = remaining[finding.key], count > 0 {
                remaining[finding.key] = count - 1
            } else {
                removedFindings.append(finding)
            }
        }
        var matched: [[String]: Int] = [:]
        for finding in old.findings { matched[finding.key, default: 0] += 1 }
        for finding in new.findings {
            if let count = matched[finding.key], count > 0 {
                matched[finding.key] = count - 1
            } else {
                addedFindings.append(finding)
            }
        }
    }

    // MARK: Comparing

    static func compare(_ old: Workflow, _ new: Workflow) -> ChangedWorkflow? {
        var members: [String] = []
        differences(own(old), own(new), "", into: &members)
        // The top-level steps are listed by id: a difference there is in their order or ids, shown step by step.
        members = members.reduce(into: []) { list, path in
            let shown = path.hasPrefix("steps[") ? "steps" : path
            if !list.contains(shown) { list.append(shown) }
        }
        let oldSteps = flattened(old.steps)
        let newSteps = flattened(new.steps)
        let oldByID = Dictionary(oldSteps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let newByID = Dictionary(newSteps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let removed = oldSteps.filter { newByID[$0.id] == nil }.map { Entry(id: $0.id, place: $0.place) }
        let added = newSteps.filter { oldByID[$0.id] == nil }.map { Entry(id: $0.id, place: $0.place) }
        var changed: [ChangedStep] = []
        for step in newSteps {
            guard let before = oldByID[step.id], before.json != step.json else { continue }
            var paths: [String] = []
            differences(before.json, step.json, "", into: &paths)
            changed.append(ChangedStep(id: step.id, old: before.place, new: step.place, members: paths))
        }
        guard !members.isEmpty || !removed.isEmpty || !added.isEmpty || !changed.isEmpty else { return nil }
        return ChangedWorkflow(
            id: new.id, old: Place(old.source), new: Place(new.source), members: members, addedSteps: added, removedSteps: removed,
            changedSteps: changed)
    }

    /// A workflow's own members, without sources, its top-level steps by id.
    static func own(_ workflow: Workflow) -> JSONValue {
        guard case .object(var object) = workflow.json else { return .null }
        object["formatVersion"] = nil
        object["steps"] = .array(workflow.steps.map { $0.id.json })
        return withoutSources(.object(object))
    }

    /// A step as compared: its JSON without sources, the steps inside it named by id.
    struct FlatStep {
        var id: String
        var place: Place?
        var json: JSONValue
    }

    /// Every step, nested ones included, in document order (depth first), without recursion.
    static func flattened(_ steps: [Step]) -> [FlatStep] {
        var result: [FlatStep] = []
        var pending: [ArraySlice<Step>] = [steps[...]]
        while var list = pending.popLast() {
            guard let step = list.first else { continue }
            list = list.dropFirst()
            pending.append(list)
            var children: [ArraySlice<Step>] = []
            guard case .object(var object) = step.json else { continue }
            let ids = { (steps: [Step]) in JSONValue.array(steps.map { $0.id.json }) }
            switch step.kind {
            case .branch(let branches, let otherwise):
                object["branches"] = .array(branches.map { .members(["name": $0.name.json, "when": $0.when.json, "steps": ids($0.steps)]) })
                object["otherwise"] = ids(otherwise)
                children = branches.map { $0.steps[...] } + [otherwise[...]]
            case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)):
                if case .object(var wait)? = object["wait"] {
                    wait["onTimeout"] = ids(onTimeout)
                    object["wait"] = .object(wait)
                }
                children = [onTimeout[...]]
            default: break
            }
            result.append(FlatStep(id: step.id, place: Place(step.source), json: withoutSources(.object(object))))
            // Children next, in order: pushed last first.
            pending += children.reversed()
        }
        return result
    }

    /// `value` with every `source` member of every object removed.
    static func withoutSources(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var result: [String: JSONValue] = [:]
            for (key, member) in object where key != "source" { result[key] = withoutSources(member) }
            return .object(result)
        case .array(let values): return .array(values.map(withoutSources))
        default: return value
        }
    }

    /// Appends the paths where `old` and `new` differ (`name`, `action.subject`, `branches[1].when`),
    /// the deepest object member or array element that differs, at most ``maxMembers`` (then `…`).
    static func differences(_ old: JSONValue, _ new: JSONValue, _ path: String, into paths: inout [String]) {
        /// Whether the list is full (then ends with `…`).
        func full() -> Bool {
            guard paths.count >= maxMembers else { return false }
            if paths.last != "…" { paths.append("…") }
            return true
        }
        guard old != new, !full() else { return }
        switch (old, new) {
        case (.object(let before), .object(let after)):
            for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
                guard !full() else { return }
                let inner = path.isEmpty ? key : path + "." + key
                if let b = before[key], let a = after[key] {
                    differences(b, a, inner, into: &paths)
                } else {
                    paths.append(inner)
                }
            }
        case (.array(let before), .array(let after)) where before.count == after.count:
            for (index, pair) in zip(before, after).enumerated() where pair.0 != pair.1 {
                guard !full() else { return }
                differences(pair.0, pair.1, path + "[\(index)]", into: &paths)
            }
        default:
            paths.append(path.isEmpty ? "(value)" : path)
        }
    }
}
