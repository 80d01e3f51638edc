import PurchaseActions

extension Engine {
    /// Runs an active enrollment from where it is until it waits or ends.
    func runEnrollment(_ id: String) {
        guard let enrollment = store.enrollment(id: id), enrollment.state == .active else { return }
        run(enrollment)
    }

    /// Runs an active enrollment until it waits or ends.
    func run(_ enrollment: consuming Enrollment, in program: Program? = nil) {
        var enrollment = enrollment
        // The top frame's program, and those of the frames under it that this run entered; a
        // program is looked up by id only when a run resumes inside a call and returns from it.
        var current = program
        var callers = Callers()
        // The enrollment's own workflow (its bottom frame's), for the record of its end.
        var root = enrollment.frames.count == 1 ? program : nil
        while let frame = enrollment.frames.last {
            if current?.id != frame.workflowID {
                current = programs[frame.workflowID]
                if enrollment.frames.count == 1 { root = current }
            }
            guard let program = current else {
                let workflowID = frame.workflowID
                record(enrollment, nil, .error, "workflow \(workflowID) does not exist; the call is skipped")
                enrollment.frames.removeLast()
                current = callers.pop()
                continue
            }
            guard frame.position < program.ops.count else {
                enrollment.frames.removeLast()
                current = callers.pop()
                continue
            }
            enrollment.frames[enrollment.frames.count - 1].position += 1
            switch step(program.ops[frame.position], in: program, &enrollment) {
            case .next: continue
            case .enter(let called):
                callers.push(program)
                current = called
            case .leave: current = callers.pop()
            case .stop:
                store.save(enrollment)
                return
            }
        }
        end(enrollment, .finished, stepID: nil, text: .finished, program: root)
    }

    /// The programs of the frames a run entered, under the top one; the nearest held without an
    /// array, since most runs call one workflow deep.
    struct Callers {
        private var nearest: Program?
        private var further: [Program] = []

        mutating func push(_ program: Program) {
            if let nearest { further.append(nearest) }
            nearest = program
        }

        mutating func pop() -> Program? {
            defer { nearest = further.popLast() }
            return nearest
        }
    }

    /// What a run does after an instruction: go on, go on in a called workflow, or stop (waiting or ended).
    enum Flow {
        case next
        case enter(Program)
        case leave
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
            return .leave
        case .call(let op):
            let call = op.instruction
            let (stepID, workflowID) = (call.stepID, call.workflowID)
            guard let target = call.program, target.isPublished else {
                record(enrollment, in: program, stepID: stepID, .error, "\(stepID): workflow \(workflowID) does not exist or is a draft; not run")
                return .next
            }
            guard enrollment.frames.count <= Self.callDepthLimit else {
                record(enrollment, in: program, stepID: stepID, .error, "\(stepID): calls nested deeper than \(Self.callDepthLimit); \(workflowID) is not run")
                return .next
            }
            append(
                LogRecord(
                    LogRecord.InProgram(
                        at: now, cause: cause, program: program, enrollmentID: enrollment.id, contactID: enrollment.contactID, stepID: stepID,
                        status: .completed, reason: .given(nil), text: .call(call))))
            enrollment.frames.append(.init(workflowID: target.id, position: 0))
            return .enter(target)
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
