// Workflow files that refer to templates (Docs/workflow-format.md, "Templates"): an action naming a
// template (`"template": "<id>"`) leaves out the members its template gives; loading puts them back.
// Both work on the JSON form, so a `Workflow` in memory is always whole and the engine is unchanged.

extension Workflow {
    /// Parses and decodes one workflow file whose actions may take members from `templates` (by
    /// id): each action naming a template (`"template": "<id>"`) whose `type` is the template's, or
    /// that has no `type`, gets every member of the template's ``WorkflowTemplate/action`` it does not
    /// write itself (its own members win; a member written `null` leaves the template's out), then
    /// the whole workflow is decoded as `load(_:)` does.
    ///
    /// - Throws: ``JSONError`` with a line, as `load(_:)`; for an action that names a template not
    ///   in `templates` and lacks a member the format requires, the error is at the path of its
    ///   `template` member and says the template is missing from `templates/`.
    public static func load(_ bytes: [UInt8], templates: [String: WorkflowTemplate]) throws(JSONError) -> Workflow {
        let json = try JSONValue.parse(bytes)
        do {
            return try Workflow(json: json, templates: templates)
        } catch {
            var located = error
            if located.line == nil { located.line = JSONValue.line(of: error.path, in: bytes) }
            throw located
        }
    }

    /// Decodes a workflow's JSON form whose actions may take members from `templates`
    /// (``load(_:templates:)`` says how).
    public init(json: JSONValue, templates: [String: WorkflowTemplate]) throws(JSONError) {
        do {
            try self.init(json: templates.isEmpty ? json : Self.hydrated(json, templates: templates))
        } catch {
            throw Self.explained(error, json: json, templates: templates)
        }
    }

    /// `error` saying which template it involves: a required member missing from an action naming
    /// a template nobody gave is an error at its `template` member; a member the action took from
    /// its template names the template's file.
    private static func explained(_ error: JSONError, json: JSONValue, templates: [String: WorkflowTemplate]) -> JSONError {
        let naming = namingActions(json)
        if error.code == .missingMember, let (id, _) = naming[error.path] {
            guard templates[id] != nil else {
                return JSONError(
                    .missingMember,
                    "\(error.message), and the action names template '\(DisplayText.escape(id))', which is not in templates/ (an action naming a template takes the members it leaves out from templates/<id>.json)",
                    at: error.path.member("template"), line: error.line, column: error.column)
            }
            var explained = error
            explained.message += ", even with the members of template '\(DisplayText.escape(id))' (templates/\(DisplayText.escape(id)).json)"
            return explained
        }
        // A member the action did not write itself came from its template.
        for count in stride(from: error.path.components.count - 1, through: 0, by: -1) {
            let actionPath = JSONPath(components: Array(error.path.components.prefix(count)))
            guard let (id, own) = naming[actionPath], templates[id] != nil else { continue }
            guard case .member(let name) = error.path.components[count], !own.contains(name) else { break }
            var explained = error
            explained.message += " (the value comes from template '\(DisplayText.escape(id))', templates/\(DisplayText.escape(id)).json)"
            return explained
        }
        return error
    }

    /// The workflow's JSON form with each action that names one of `templates` (by id) and has its
    /// `type` leaving out the members equal to the template's (``WorkflowTemplate/action``), and
    /// writing `null` for a member the template has and the action does not. Loading it with the same
    /// templates (``load(_:templates:)``) gives this workflow back.
    public func json(referencing templates: [String: WorkflowTemplate]) -> JSONValue {
        guard !templates.isEmpty else { return json }
        return Self.rewritingActions(json) { action in
            guard case .string(let id)? = action["template"], let template = templates[id] else { return action }
            return Self.referencing(template, action)
        }
    }

    /// An action's members (`action`, naming `template`) as a workflow file holds them: when it
    /// may take the template's members (its `type` is the template's), those equal to the
    /// template's left out and `null` for those the template has and it does not.
    static func referencing(_ template: WorkflowTemplate, _ action: [String: JSONValue]) -> [String: JSONValue] {
        guard sameType(action, template) else { return action }
        var action = action
        for (name, value) in template.action {
            if let own = action[name] {
                if own == value { action[name] = nil }
            } else {
                action[name] = .null
            }
        }
        return action
    }

    /// The JSON form with every action that names one of `templates` made whole.
    static func hydrated(_ json: JSONValue, templates: [String: WorkflowTemplate]) -> JSONValue {
        rewritingActions(json) { action in
            guard case .string(let id)? = action["template"], let template = templates[id], sameType(action, template) else { return action }
            var action = action
            for (name, value) in template.action {
                switch action[name] {
                case nil: action[name] = value
                case .null?: action[name] = nil
                default: break
                }
            }
            return action
        }
    }

    /// Every action that names a template, by path: the id it names and the members it writes itself.
    static func namingActions(_ json: JSONValue) -> [JSONPath: (String, Set<String>)] {
        var naming: [JSONPath: (String, Set<String>)] = [:]
        _ = rewritingActions(json) { action, path in
            if case .string(let id)? = action["template"] { naming[path] = (id, Set(action.keys)) }
            return action
        }
        return naming
    }

    /// Whether an action may take the template's members: it has no `type`, or the template's.
    private static func sameType(_ action: [String: JSONValue], _ template: WorkflowTemplate) -> Bool {
        guard let type = action["type"], let templateType = template.action["type"] else { return true }
        return type == templateType
    }

    /// `json` with each action object of an `action` step (in `steps`, branches, `otherwise` and
    /// `onTimeout`, however nested) replaced by `rewrite`; anything not shaped as the format says is
    /// left for the decoder to refuse.
    private static func rewritingActions(_ json: JSONValue, _ rewrite: ([String: JSONValue]) -> [String: JSONValue]) -> JSONValue {
        rewritingActions(json) { action, _ in rewrite(action) }
    }

    private static func rewritingActions(
        _ json: JSONValue, _ rewrite: ([String: JSONValue], JSONPath) -> [String: JSONValue]
    ) -> JSONValue {
        guard case .object(var root) = json, let steps = root["steps"] else { return json }
        root["steps"] = rewritingSteps(steps, at: JSONPath.root.member("steps"), rewrite)
        return .object(root)
    }

    /// The steps of an array, rewritten; the recursion follows the document's nesting, which the
    /// parser bounds (``JSONValue/maximumDepth``).
    private static func rewritingSteps(
        _ steps: JSONValue, at path: JSONPath, _ rewrite: ([String: JSONValue], JSONPath) -> [String: JSONValue]
    ) -> JSONValue {
        guard case .array(var list) = steps else { return steps }
        for index in list.indices {
            guard case .object(var step) = list[index] else { continue }
            let stepPath = path.index(index)
            if step["type"] == .string("action"), case .object(let action)? = step["action"] {
                step["action"] = .object(rewrite(action, stepPath.member("action")))
            }
            if case .array(var branches)? = step["branches"] {
                for branchIndex in branches.indices {
                    guard case .object(var branch) = branches[branchIndex], let inner = branch["steps"] else { continue }
                    branch["steps"] = rewritingSteps(inner, at: stepPath.member("branches").index(branchIndex).member("steps"), rewrite)
                    branches[branchIndex] = .object(branch)
                }
                step["branches"] = .array(branches)
            }
            if let otherwise = step["otherwise"] {
                step["otherwise"] = rewritingSteps(otherwise, at: stepPath.member("otherwise"), rewrite)
            }
            if case .object(var wait)? = step["wait"], let onTimeout = wait["onTimeout"] {
                wait["onTimeout"] = rewritingSteps(onTimeout, at: stepPath.member("wait").member("onTimeout"), rewrite)
                step["wait"] = .object(wait)
            }
            list[index] = .object(step)
        }
        return .array(list)
    }
}
