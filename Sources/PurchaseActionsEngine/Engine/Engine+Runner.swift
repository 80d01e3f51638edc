import PurchaseActionsCore

extension Engine {
    /// Runs an active enrollment from where it is until it waits or ends.
    func runEnrollment(_ id: String) {
        guard let stored = store.enrollment(id: id), stored.state == .active, let enrollment = checked(stored) else { return }
        run(enrollment)
    }

    /// Runs an active enrollment until it waits or ends.
    ///
    /// Each frame carries its program once the run has it (a frame read back from a store carries
    /// only the workflow's id, and is bound to its program when the run reaches it).
    func run(_ enrollment: consuming Enrollment) {
        var enrollment = enrollment
        // The enrollment's own workflow (its bottom frame's), for the record of its end.
        var root: Program?
        while !enrollment.frames.isEmpty {
            let top = enrollment.frames.count - 1
            let program: Program
            if let bound = enrollment.frames[top].program {
                program = bound
            } else if let found = self.program(of: enrollment.frames[top]) {
                enrollment.frames[top].bind(found)
                program = found
            } else {
                // Not reached: what the engine runs is checked first (`checked(_:)`).
                let original = enrollment
                let problem = problem(with: &enrollment) ?? "frame \(top) has no program"
                refuse(original, problem)
                return
            }
            if top == 0 { root = program }
            let position = enrollment.frames[top].position
            // One compare for both ends: a position below 0 is a huge unsigned number.
            guard UInt(bitPattern: position) < UInt(bitPattern: program.count) else {
                guard position >= 0 else {
                    refuse(enrollment, "frame \(top): position \(position) is outside its workflow")
                    return
                }
                enrollment.frames.removeLast()
                continue
            }
            // The work budget: one increment and one comparison per instruction.
            work &+= 1
            if work > workBudget {
                stopOverBudget(enrollment, program: program, stepID: program[position].stepID)
                return
            }
            enrollment.frames[top].position = position + 1
            if case .stop = step(program[position], in: program, &enrollment) {
                store.save(enrollment)
                return
            }
        }
        end(enrollment, .finished, stepID: nil, text: .finished, program: root)
    }

    /// Ends an enrollment whose event, wake-up or run has spent the work budget, with an `error`
    /// record naming the workflow and step it had reached.
    func stopOverBudget(_ enrollment: consuming Enrollment, program: Program, stepID: String?) {
        let (workflowID, budget) = (program.id, workBudget)
        let place = stepID.map { "\($0): " } ?? ""
        record(
            enrollment, in: program, stepID: stepID, .error,
            "\(place)the work budget (\(budget) steps and enrollments for one event, wake-up or run) is spent; \(workflowID) is stopped here and the enrollment ends")
        var ended = enrollment
        ended.state = .exited
        end(ended, .exited, stepID: stepID, message: "\(place)ended: the work budget is spent")
    }

    /// What a run does after an instruction: go on (in the same or another frame), or stop
    /// (waiting or ended).
    enum Flow {
        case next
        case stop
    }

    /// Runs one instruction; the frame's position already points past it.
    private func step(_ op: Program.Op, in program: Program, _ enrollment: inout Enrollment) -> Flow {
        switch op {
        case .jump(let target):
            enrollment.frames[enrollment.frames.count - 1].position = target
        case .action(let action):
            perform(action, in: program, &enrollment)
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
            let (why, chosen) = (JSONValue.members(["branches": .array(tested), "taken": taken.json]), taken)
            record(enrollment, step, taken == "none" ? .skipped : .completed, why: why, "\(step.id): branch \"\(chosen)\"")
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
            return .next
        case .call(let call):
            let stepID = call.stepID
            guard let target = call.target, target.isPublished else {
                let workflowID = call.instruction.workflowID
                record(enrollment, in: program, stepID: stepID, .error, "\(stepID): workflow \(workflowID) does not exist or is a draft; not run")
                return .next
            }
            guard enrollment.frames.count <= Self.callDepthLimit else {
                let workflowID = target.id
                record(enrollment, in: program, stepID: stepID, .error, "\(stepID): calls nested deeper than \(Self.callDepthLimit); \(workflowID) is not run")
                return .next
            }
            append(
                LogRecord(
                    LogRecord.InProgram(
                        at: now, cause: cause, program: program, enrollmentID: enrollment.id, contactID: enrollment.contactID, stepID: stepID,
                        status: .completed, reason: .given(nil), text: .call(target))))
            enrollment.frames.append(.init(target))
            return .next
        case .enroll(let step, let workflowID):
            guard let target = programs[workflowID], target.workflow.status == .published else {
                record(enrollment, step, .error, "\(step.id): workflow \(workflowID) does not exist or is a draft; not enrolled")
                return .next
            }
            guard enrollment.chain < Self.callDepthLimit else {
                record(enrollment, step, .error, "\(step.id): enroll steps chained deeper than \(Self.callDepthLimit); \(workflowID) is not entered")
                return .next
            }
            store.save(enrollment)
            let why = LogRecord.Reason.given(.members(["enrolledBy": enrollment.id.json, "step": step.id.json]))
            if let entered = self.enroll(target, contactID: enrollment.contactID, event: enrollment.cause, why: why, chain: enrollment.chain + 1) {
                store.save(entered)
                pending.append(entered.id)
            }
            record(enrollment, step, .completed, "\(step.id): enroll in \(workflowID)")
        case .unenroll(let step, let workflowID):
            store.save(enrollment)
            var count = 0
            for other in store.runningEnrollments(contactID: enrollment.contactID) where other.workflowID == workflowID && other.id != enrollment.id {
                end(other, .exited, stepID: nil, message: "\(workflowID): \(other.contactID) removed by \(step.id)")
                count += 1
            }
            let ended = count
            record(enrollment, step, .completed, "\(step.id): remove from \(workflowID) (\(ended) enrollment\(ended == 1 ? "" : "s") ended)")
        }
        return .next
    }
}
