extension LegacyCompiler {
    /// Compiles a follow-up sequence: its steps in order of their day, each day's after a wait until
    /// that many calendar days (in the account's timezone) after the contact started, at the step's
    /// or the sequence's send time, else at the time of day the contact started.
    ///
    /// A contact already in the sequence is not started again; `stop-sequence` ends the enrollment.
    public func compile(_ sequence: FollowUpSequence) -> Output {
        let id = LegacyWorkflowID.sequence(sequence.id)
        var findings = sequence.extensions.map { notCarried($0, workflowID: id) }
        var steps: [Step] = []
        var day = 0
        for step in sequence.steps.enumerated().sorted(by: { ($0.element.delayDays, $0.offset) < ($1.element.delayDays, $1.offset) }).map(\.element) {
            let source = SourceTrace(step.location)
            if step.delayDays > day {
                let wait = Wait.delay(Delay(days: step.delayDays), calendarDays: true, at: step.sendTime ?? sequence.sendTime, from: .enrollment)
                steps.append(Step(id: "\(step.id):wait", .wait(wait), source: source))
                day = step.delayDays
            } else if step.delayDays == 0, step.sendTime != nil {
                findings.append(
                    MigrationFinding(
                        .sendTimeIgnored, "step '\(step.id)' is on day 0, which runs at once; its send time \(step.sendTime!) applies to steps of a day or more",
                        at: step.location, workflowID: id))
            }
            steps += step.actions.flatMap { self.steps(for: $0, workflowID: id, findings: &findings) }
        }
        let workflow = Workflow(
            id: id, name: sequence.name,
            description: "Legacy follow-up sequence \(sequence.id): steps timed in calendar days after the contact starts it.",
            priority: Priority.sequence, triggers: [Trigger(id: "manual", event: .manual, source: SourceTrace(sequence.location))],
            steps: steps, settings: settings(allowReentry: false), source: SourceTrace(sequence.location))
        return Output(workflow: workflow, findings: findings)
    }
}
