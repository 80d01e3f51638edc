extension LegacyCompiler {
    /// Compiles a follow-up sequence: its steps in order of their day, each day's after a wait until
    /// that many calendar days (in the account's timezone) after the contact started, at the step's
    /// or the sequence's send time, else at the time of day the contact started.
    ///
    /// A contact already in the sequence is not started again; `stop-sequence` ends the enrollment.
    public func compile(_ sequence: FollowUpSequence) -> Output {
        let id = LegacyWorkflowID.sequence(sequence.id)
        var findings = sequence.extensions.map { Self.notCarried($0, workflowID: id) }
        var uses: [TemplateUse] = []
        var steps: [Step] = []
        // A step's time: its own send time, else the sequence's; none on day 0, which runs at once.
        func time(_ step: FollowUpSequence.Step) -> String? { step.delayDays == 0 ? nil : step.sendTime ?? sequence.sendTime }
        let ordered = sequence.steps.enumerated().sorted {
            ($0.element.delayDays, time($0.element) ?? "", $0.offset) < ($1.element.delayDays, time($1.element) ?? "", $1.offset)
        }
        var current = (day: 0, time: String?.none)
        for step in ordered.map(\.element) {
            let source = SourceTrace(step.location)
            if step.delayDays > 0, (step.delayDays, time(step)) != current {
                if step.delayDays > WorkflowLimits.days {
                    findings.append(
                        MigrationFinding(
                            .valueOutOfRange,
                            "step '\(step.id)' waits \(step.delayDays) days, more than the \(WorkflowLimits.days) (100 years) a workflow allows; it waits \(WorkflowLimits.days) days",
                            at: step.location, workflowID: id))
                }
                let wait = Wait.delay(Delay(days: Swift.min(step.delayDays, WorkflowLimits.days)), calendarDays: true, at: time(step), from: .enrollment)
                steps.append(Step(id: "\(step.id):wait", .wait(wait), source: source))
                current = (step.delayDays, time(step))
            } else if step.delayDays == 0, step.sendTime != nil {
                findings.append(
                    MigrationFinding(
                        .sendTimeIgnored, "step '\(step.id)' is on day 0, which runs at once; its send time \(step.sendTime!) applies to steps of a day or more",
                        at: step.location, workflowID: id))
            }
            let actions = step.actions.span
            for index in actions.indices { appendSteps(for: actions[index], to: &steps, workflowID: id, findings: &findings, uses: &uses) }
        }
        let sequenceSource = SourceTrace(sequence.location)
        let workflow = Workflow(
            id: id, name: sequence.name,
            description: "Legacy follow-up sequence \(sequence.id): steps timed in calendar days after the contact starts it.",
            priority: Priority.sequence, triggers: [Trigger(id: "manual", event: .manual, source: sequenceSource)],
            steps: steps, settings: settings(allowReentry: false), source: sequenceSource)
        return Output(workflow: workflow, findings: findings, templateUses: uses)
    }
}
