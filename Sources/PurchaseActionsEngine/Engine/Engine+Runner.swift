import PurchaseActions

extension Engine {
    /// Runs an active enrollment from where it is until it waits or ends.
    func runEnrollment(_ id: String) {
        guard var enrollment = store.enrollment(id: id), enrollment.state == .active else { return }
        while let frame = enrollment.frames.last {
            guard let program = programs[frame.workflowID] else {
                record(enrollment, nil, .error, "workflow \(frame.workflowID) does not exist; the call is skipped")
                enrollment.frames.removeLast()
                continue
            }
            guard frame.position < program.ops.count else {
                enrollment.frames.removeLast()
                continue
            }
            enrollment.frames[enrollment.frames.count - 1].position += 1
            switch step(program.ops[frame.position], at: frame.position, &enrollment) {
            case .next: continue
            case .stop:
                store.save(enrollment)
                return
            }
        }
        end(enrollment, .finished, stepID: nil, message: "\(enrollment.workflowID): \(enrollment.contactID) finished")
    }

    enum Flow { case next, stop }

    /// Runs one instruction; the frame's position already points past it.
    private func step(_ op: Program.Op, at position: Int, _ enrollment: inout Enrollment) -> Flow {
        switch op {
        case .jump(let target):
            enrollment.frames[enrollment.frames.count - 1].position = target
        case .action(let step, let action):
            perform(action, step, &enrollment)
        case .branch(let step, let branches, let otherwise):
            let lookup = fields(enrollment.event, contactID: enrollment.contactID)
            var tested: [JSONValue] = []
            var target = otherwise
            var taken = "none"
            for (branch, start) in branches {
                let result = branch.when.trace(lookup)
                tested.append(.members(["branch": branch.name.json, "held": result.held.json, "condition": result.json]))
                if result.held {
                    target = start
                    taken = branch.name
                    break
                }
            }
            enrollment.frames[enrollment.frames.count - 1].position = target
            let why = JSONValue.members(["branches": .array(tested), "taken": taken.json])
            record(enrollment, step, taken == "none" ? .skipped : .completed, why: why, "\(step.id): branch \"\(taken)\"")
        case .wait(let step, let wait, let timeout):
            return begin(wait, step, timeout: timeout, &enrollment)
        case .goal(let step, let goal):
            record(enrollment, step, .completed, "\(step.id): goal \"\(goal.name)\" reached in order")
        case .exit(let step):
            if enrollment.frames.count == 1 {
                enrollment.state = .exited
                end(enrollment, .exited, stepID: step.id, message: "\(step.id): exit")
                return .stop
            }
            record(enrollment, step, .completed, "\(step.id): exit from the called workflow")
            enrollment.frames.removeLast()
        case .call(let step, let workflowID):
            guard programs[workflowID]?.workflow.status == .published else {
                record(enrollment, step, .error, "\(step.id): workflow \(workflowID) does not exist or is a draft; not run")
                return .next
            }
            guard enrollment.frames.count <= Self.callDepthLimit else {
                record(enrollment, step, .error, "\(step.id): calls nested deeper than \(Self.callDepthLimit); \(workflowID) is not run")
                return .next
            }
            record(enrollment, step, .completed, "\(step.id): call \(workflowID)")
            enrollment.frames.append(.init(workflowID: workflowID, position: 0))
        case .enroll(let step, let workflowID):
            guard let target = programs[workflowID]?.workflow, target.status == .published else {
                record(enrollment, step, .error, "\(step.id): workflow \(workflowID) does not exist or is a draft; not enrolled")
                return .next
            }
            guard enrollment.chain < Self.callDepthLimit else {
                record(enrollment, step, .error, "\(step.id): enroll steps chained deeper than \(Self.callDepthLimit); \(workflowID) is not entered")
                return .next
            }
            store.save(enrollment)
            let why = JSONValue.members(["enrolledBy": enrollment.id.json, "step": step.id.json])
            if let id = self.enroll(target, contactID: enrollment.contactID, event: enrollment.event, why: why, chain: enrollment.chain + 1) {
                pending.append(id)
            }
            record(enrollment, step, .completed, "\(step.id): enroll in \(workflowID)")
        case .unenroll(let step, let workflowID):
            store.save(enrollment)
            var ended = 0
            for other in store.runningEnrollments(contactID: enrollment.contactID) where other.workflowID == workflowID && other.id != enrollment.id {
                end(other, .exited, stepID: nil, message: "\(workflowID): \(other.contactID) removed by \(step.id)")
                ended += 1
            }
            record(enrollment, step, .completed, "\(step.id): remove from \(workflowID) (\(ended) enrollment\(ended == 1 ? "" : "s") ended)")
        }
        return .next
    }
}
