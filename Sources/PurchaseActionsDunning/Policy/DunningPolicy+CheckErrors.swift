public import PurchaseActionsCore

extension DunningPolicy {
    /// What `publish` or the worker would refuse or ignore, each with the JSON path it is about
    /// (Docs/dunning.md, "Checks"), in policy order: `dunning check` reports them as errors (exit 65).
    ///
    /// - `invalid-tag-id`: an `add-tag` / `remove-tag` action, or a `hasTag` / `lacksTag` condition,
    ///   whose tag is not a tag id (1 to 128 characters `A-Z a-z 0-9 . _ : -`, starting with a letter
    ///   or digit; Docs/workflow-format.md): the action would change no tag on the worker, and no
    ///   contact's tags could ever hold it;
    /// - with `templates` (the folder's `templates/`, by id): `missing-template` for an `email` whose
    ///   template is not there, `invalid-template` for one that does not make a whole email, as
    ///   ``actionWorkflows(templates:)`` (what publish runs) would throw; `nil` skips these.
    public func checkErrors(templates: [String: WorkflowTemplate]?) -> [PolicyWarning] {
        var errors: [PolicyWarning] = []
        for (index, stage) in stages.enumerated() {
            tagErrors(stage.when, at: JSONPath.root.member("stages").index(index).member("when"), into: &errors)
        }
        for (action, path) in actionsWithPaths() {
            switch action {
            case .addTag(let tag), .removeTag(let tag):
                if !Workflow.isValidID(tag) {
                    errors.append(PolicyWarning(
                        "invalid-tag-id",
                        "'\(DisplayText.escape(tag))' is not a tag id (1 to 128 characters A-Z a-z 0-9 . _ : -, starting with a letter or digit): the worker would change no tag; use the tag's id",
                        path: path.member("tag")))
                }
            case .email:
                guard let templates else { continue }
                do {
                    _ = try ActionWorkflows.workflow(of: action, timezone: timezone, templates: templates, at: path)
                } catch {
                    errors.append(PolicyWarning(error.code, error.message, path: error.path ?? path))
                }
            default:
                continue
            }
        }
        return errors
    }

    /// The ids of the templates the policy's `email` actions name (publish builds their workflows
    /// with them): `purchase-actions validate` counts them as used.
    public var emailTemplateIDs: Set<String> {
        var ids: Set<String> = []
        for (action, _) in actionsWithPaths() { if case .email(let template) = action { ids.insert(template) } }
        return ids
    }

    /// `invalid-tag-id` for each tag condition under `condition` whose tag is not a tag id.
    private func tagErrors(_ condition: StageCondition, at path: JSONPath, into errors: inout [PolicyWarning]) {
        switch condition {
        case .all(let list):
            for (index, item) in list.enumerated() { tagErrors(item, at: path.member("all").index(index), into: &errors) }
        case .any(let list):
            for (index, item) in list.enumerated() { tagErrors(item, at: path.member("any").index(index), into: &errors) }
        case .hasTag(let tag), .lacksTag(let tag):
            guard !Workflow.isValidID(tag) else { return }
            let member = if case .hasTag = condition { "tag" } else { "notTag" }
            errors.append(PolicyWarning(
                "invalid-tag-id",
                "'\(DisplayText.escape(tag))' is not a tag id (1 to 128 characters A-Z a-z 0-9 . _ : -, starting with a letter or digit): no contact's tags can hold it; use the tag's id",
                path: path.member(member)))
        default:
            return
        }
    }
}
