public import PurchaseActionsCore

extension Engine {
    /// Whether the engine runs a workflow with this id (its current version).
    public func hasWorkflow(_ id: String) -> Bool { programs[id] != nil }

    /// A workflow as the engine runs it: its current version, or an earlier one running
    /// enrollments are on; `nil` when the engine holds no such version.
    public func workflow(id: String, version: Int) -> Workflow? { program(id, version: version)?.workflow }

    /// An enrollment by id, as the store holds it; `nil` when there is none.
    public func enrollment(id: String) -> Enrollment? { store.enrollment(id: id) }

    /// The id of the wait step an enrollment waits at (in the workflow it waits in, a called one
    /// included); `nil` when it does not wait, or is not known.
    public func waitingStep(enrollmentID: String) -> String? {
        guard let enrollment = store.enrollment(id: enrollmentID), case .waiting = enrollment.state, let frame = enrollment.frames.last,
            let program = program(of: frame), case .wait(let step, _, _)? = program.instruction(before: frame.position)
        else { return nil }
        return step.id
    }
}
