// Templates in workflow files (Docs/workflow-format.md, "Templates"): each action naming a template
// (`"template": "<id>"`) is checked against templates/ before the workflow is decoded with its
// templates (`Workflow(json:templates:)` fills it in).

extension WorkflowValidation {
    /// Checks every action of `json` that names a template: one not in `templates`, or one made for
    /// another action type, is a problem at its `template` member; its path goes into `refused`
    /// and, in the JSON returned (to decode), it is replaced by an action with no members, so the
    /// rest of the workflow is still decoded and checked. `used` gains every template named.
    ///
    /// `complete-tasks` names a task template (`create-task`) and `legacy` any template: both are
    /// checked for the template's existence (and `complete-tasks` for its type). A template in
    /// `broken` (its file is there but could not be read, a problem of its own) is not reported
    /// again; the actions naming it are not decoded. With `allBroken` (templates/ could not be
    /// listed), every template not in `templates` is taken as such.
    static func checkTemplates(
        _ json: JSONValue, templates: [String: WorkflowTemplate], broken: Set<String>, allBroken: Bool = false, used: inout Set<String>,
        problems: inout [(ValidationProblem.Code, String, JSONPath)], refused: inout [JSONPath]
    ) -> JSONValue {
        guard case .object(var root) = json, case .array(let steps)? = root["steps"] else { return json }
        var walk = TemplateWalk(templates: templates, broken: broken, allBroken: allBroken)
        root["steps"] = .array(walk.steps(steps, at: JSONPath.root.member("steps"), depth: 0))
        used.formUnion(walk.used)
        problems += walk.problems
        refused += walk.refused
        return .object(root)
    }
}

/// The walk of ``WorkflowValidation/checkTemplates(_:templates:broken:used:problems:refused:)`` over the raw steps.
private struct TemplateWalk {
    let templates: [String: WorkflowTemplate]
    let broken: Set<String>
    let allBroken: Bool
    var used: Set<String> = []
    var problems: [(ValidationProblem.Code, String, JSONPath)] = []
    var refused: [JSONPath] = []

    /// Below the parser's own depth limit, so the walk ends on any document it gives.
    static let maximumDepth = JSONValue.maximumDepth

    mutating func steps(_ steps: [JSONValue], at path: JSONPath, depth: Int) -> [JSONValue] {
        guard depth < Self.maximumDepth else { return steps }
        return steps.enumerated().map { index, step in self.step(step, at: path.index(index), depth: depth + 1) }
    }

    mutating func step(_ json: JSONValue, at path: JSONPath, depth: Int) -> JSONValue {
        guard case .object(var step) = json else { return json }
        if case .object(let action)? = step["action"] {
            step["action"] = .object(self.action(action, at: path.member("action")))
        }
        if case .array(let branches)? = step["branches"] {
            step["branches"] = .array(
                branches.enumerated().map { index, branch in
                    guard case .object(var members) = branch, case .array(let inner)? = members["steps"] else { return branch }
                    members["steps"] = .array(steps(inner, at: path.member("branches").index(index).member("steps"), depth: depth + 1))
                    return .object(members)
                })
        }
        if case .array(let otherwise)? = step["otherwise"] {
            step["otherwise"] = .array(steps(otherwise, at: path.member("otherwise"), depth: depth + 1))
        }
        if case .object(var wait)? = step["wait"], case .array(let onTimeout)? = wait["onTimeout"] {
            wait["onTimeout"] = .array(steps(onTimeout, at: path.member("wait").member("onTimeout"), depth: depth + 1))
            step["wait"] = .object(wait)
        }
        return .object(step)
    }

    mutating func action(_ action: [String: JSONValue], at path: JSONPath) -> [String: JSONValue] {
        guard case .string(let id)? = action["template"] else { return action }
        let templatePath = path.member("template")
        guard let template = templates[id] else {
            if allBroken || broken.contains(id) {
                refused.append(path)
                return Self.placeholder
            }
            problems.append((
                .unknownTemplate,
                "template '\(DisplayText.escape(id))' is not in templates/ (no templates/\(DisplayText.escape(id)).json)", templatePath
            ))
            refused.append(path)
            return Self.placeholder
        }
        used.insert(id)
        guard case .string(let templateType)? = template.action["type"] else { return action }
        let actionType: String? = if case .string(let type)? = action["type"] { type } else { nil }
        switch actionType {
        case nil, templateType?, "legacy"?:
            return action
        case "complete-tasks"? where templateType == "create-task":
            return action
        case let type?:
            let expected = type == "complete-tasks" ? "create-task (a task template)" : type
            problems.append((
                .templateTypeMismatch,
                "a '\(DisplayText.escape(type))' action names template '\(DisplayText.escape(id))', which is for '\(DisplayText.escape(templateType))' actions (expected \(DisplayText.escape(expected)))",
                templatePath
            ))
            refused.append(path)
            return Self.placeholder
        }
    }

    /// What a refused action is replaced with, so the rest of the workflow still decodes and its
    /// other references are checked: an action with no members (the file is already an error).
    static let placeholder: [String: JSONValue] = ["type": .string("retry-charge")]
}
