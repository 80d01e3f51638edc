import Foundation
import PurchaseActionsCore

/// Follow-up sequences (mapping.md, "Follow-up sequences"): steps ordered by day, then time (the
/// step's send time, else the sequence's; none on day 0), then document order. Each day and time
/// runs that many calendar days after the contact started, in the account's timezone, at that time,
/// or at the time of day the contact started; day 0 runs at once. A contact already in the sequence
/// is not started again; stop-sequence ends the enrollment wherever it waits.
///
/// Decision (workflow-format.md, `enroll`: the sequence "runs on its own; the caller goes on at
/// once"): a sequence started during an event runs its day-0 steps after everything the event ran.
extension ReferenceModel {
    /// One contact's run through a sequence.
    struct SequenceRun {
        var contact: String
        var sequenceID: String
        /// The steps' actions grouped by day and time, each with when it is due.
        var groups: [(due: Int64, actions: [Action])]
        /// The next group to run.
        var next = 0
        var running = true
    }

    func startSequence(_ id: String, contactID: String) {
        guard let sequence = sequences[id] else { return }
        guard !runs.contains(where: { $0.running && $0.contact == contactID && $0.sequenceID == id }) else { return }
        runs.append(SequenceRun(contact: contactID, sequenceID: id, groups: groups(of: sequence, startedAt: now)))
        if semantics.dayZeroStepsAfterTheEvent { pending.append(runs.count - 1) } else { runDueGroups(runs.count - 1) }
    }

    func stopSequence(_ id: String, contactID: String) {
        for index in runs.indices where runs[index].running && runs[index].contact == contactID && runs[index].sequenceID == id {
            runs[index].running = false
        }
    }

    /// Runs the sequences started during the current event, in the order they were started.
    func runPending() {
        while !pending.isEmpty {
            runDueGroups(pending.removeFirst())
        }
    }

    /// Fires every step due at or before `instant`, in time order (ties: the older enrollment first).
    func advance(to instant: Int64) -> [ReferenceEffect] {
        var out: [ReferenceEffect] = []
        while let index = runs.indices.filter({ runs[$0].running && runs[$0].next < runs[$0].groups.count && runs[$0].groups[runs[$0].next].due <= instant })
            .min(by: { (runs[$0].groups[runs[$0].next].due, $0) < (runs[$1].groups[runs[$1].next].due, $1) })
        {
            effects = []
            now = max(now, runs[index].groups[runs[index].next].due)
            runDueGroups(index)
            runPending()
            out += effects
        }
        now = max(now, instant)
        return out
    }

    private func runDueGroups(_ index: Int) {
        while runs[index].running, runs[index].next < runs[index].groups.count, runs[index].groups[runs[index].next].due <= now {
            let group = runs[index].groups[runs[index].next]
            runs[index].next += 1
            for action in group.actions { perform(action, contactID: runs[index].contact) }
        }
        if runs[index].next >= runs[index].groups.count { runs[index].running = false }
    }

    private func groups(of sequence: FollowUpSequence, startedAt start: Int64) -> [(due: Int64, actions: [Action])] {
        func time(_ step: FollowUpSequence.Step) -> String? { step.delayDays == 0 ? nil : step.sendTime ?? sequence.sendTime }
        let ordered = sequence.steps.enumerated().sorted {
            ($0.element.delayDays, time($0.element) ?? "", $0.offset) < ($1.element.delayDays, time($1.element) ?? "", $1.offset)
        }.map(\.element)
        var groups: [(key: String, due: Int64, actions: [Action])] = []
        for step in ordered {
            let key = "\(step.delayDays)@\(time(step) ?? "")"
            if groups.last?.key == key {
                groups[groups.count - 1].actions += step.actions
            } else {
                groups.append((key, due(days: step.delayDays, at: time(step), from: start), step.actions))
            }
        }
        return groups.map { ($0.due, $0.actions) }
    }

    /// `days` calendar days after `start` in the account's timezone, at `at` (`HH:MM`) or at the time
    /// of day of `start`.
    private func due(days: Int, at: String?, from start: Int64) -> Int64 {
        guard days > 0 else { return start }
        let startDate = Date(timeIntervalSince1970: TimeInterval(start))
        var parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: startDate)
        let day = calendar.date(byAdding: .day, value: days, to: calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day))!)!
        let dayParts = calendar.dateComponents([.year, .month, .day], from: day)
        (parts.year, parts.month, parts.day) = (dayParts.year, dayParts.month, dayParts.day)
        if let at {
            let clock = at.split(separator: ":").compactMap { Int($0) }
            (parts.hour, parts.minute, parts.second) = (clock[0], clock[1], 0)
        }
        return Int64(calendar.date(from: parts)!.timeIntervalSince1970)
    }
}
