// Workflow files that refer to templates (Docs/workflow-format.md, "Templates"): an action naming a
// template (`"template": "<id>"`) leaves out the members its template gives; loading puts them back.
// Both work on the JSON form, so a `Workflow` in memory is always whole and the engine is unchanged.

extension Workflow {
    /// Parses and decodes one workflow file whose actions may take members from `templates` (by
    /// id): each action naming a template (`"template": "<id>"`) whose `type` is the template's, or
    /// that has no `type`, gets every member of the template's ``WorkflowTemplate/action`` it does not
    /// write itself (its own members win; a member written `null` leaves the template's out), then
    /// the whole workflow is decoded as ``load(_:)`` does.
    ///
    /// - Throws: ``JSONError`` with a line, as ``load(_:)``; for an action that names a template not
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
            // A required member missing from an action that names a template nobody gave: say so at
            // its `template` member.
            guard error.code == .missingMember, let id = Self.unresolvedTemplates(json, templates: templates)[error.path] else { throw error }
            throw JSONError(
                .missingMember,
                "\(error.message), and the action names template '\(DisplayText.escape(id))', which is not in templates/ (an action naming a template takes the members it leaves out from templates/<id>.json)",
                at: error.path.member("template"))
        }
    }

    /// The workflow's JSON form with each action that names one of `templates` (by id) and has its
    /// `type` leaving out the members equal to the template's (``WorkflowTemplate/action``), and
    /// writing `null` for a member the template has and the action does not. Loading it with the same
    /// templates (``load(_:templates:)``) gives this workflow back.
    public func json(referencing templates: [String: WorkflowTemplate]) -> JSONValue {
        guard !templates.isEmpty else { return json }
        return Self.rewritingActions(json) { action in
            guard case .string(let id)? = action["template"], let template = templates[id], Self.sameType(action, template) else { return action }
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

    /// The paths of the actions that name a template not in `templates`, with the id they name.
    static func unresolvedTemplates(_ json: JSONValue, templates: [String: WorkflowTemplate]) -> [JSONPath: String] {
        var missing: [JSONPath: String] = [:]
        _ = rewritingActions(json) { action, path in
            if case .string(let id)? = action["template"], templates[id] == nil { missing[path] = id }
            return action
        }
        return missing
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
