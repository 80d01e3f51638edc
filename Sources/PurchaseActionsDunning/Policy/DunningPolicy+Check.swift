import PurchaseActionsCore

extension DunningPolicy {
    /// What is allowed but probably not meant, each with the JSON path it is about (Docs/dunning.md, "Checks"):
    ///
    /// - `budget-exceeded-alone`: one invoice's own schedule (the policy's or a plan's) makes more
    ///   charges of one card in some network budget's window than the budget allows, so attempts of a
    ///   single invoice wait (or are skipped) even when the card has no other invoice;
    /// - `attempts-after-age-limit`: a schedule's last attempt can come after `maxInvoiceAgeMonths`
    ///   (months counted as at least 28 days each), when the invoice is no longer charged;
    /// - `unreachable-stage`: a stage no invoice can enter, because a stage before it holds whenever it
    ///   does (first match wins: list the most severe stage first).
    ///
    /// The warnings come in that order, each kind in the order of the paths; the same policy always gives the same list.
    public func check() -> [PolicyWarning] {
        var warnings: [PolicyWarning] = []
        var schedules: [(RetrySchedule, JSONPath)] = [(retries, JSONPath.root.member("retries"))]
        for id in plans.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if let plan = plans[id], plan.autocharge, let schedule = plan.retries {
                schedules.append((schedule, JSONPath.root.member("plans").member(id).member("retries")))
            }
        }
        for (schedule, path) in schedules { warnings += budgetWarnings(schedule, at: path) }
        if let months = maxInvoiceAgeMonths {
            for (schedule, path) in schedules {
                let offsets = Self.nominalOffsets(schedule)
                guard let last = offsets.last, offsets.count > 1 else { continue }
                let limitMilliseconds = Int64(months) * 28 * 86_400_000
                if last > limitMilliseconds {
                    warnings.append(PolicyWarning(
                        "attempts-after-age-limit",
                        "the last attempt comes \(Self.words(last)) after the first failure, but invoices older than maxInvoiceAgeMonths (\(months)) are not charged: those attempts are skipped; shorten the schedule or raise maxInvoiceAgeMonths",
                        path: path))
                }
            }
        }
        warnings += stageWarnings()
        // An attempt rule past every schedule's last attempt never runs, unless a card update
        // starts a new series (reset: [schedule]) whose attempts go on counting.
        if !cardUpdate.resetSchedule {
            let most = schedules.map { $0.0.totalAttempts }.max() ?? 1
            for (index, rule) in attempts.enumerated() where rule.attempt > most {
                warnings.append(PolicyWarning(
                    "attempt-rule-never-runs",
                    "failed: \(rule.attempt) is never reached: the schedule\(schedules.count > 1 ? "s make" : " makes") at most \(most) attempt\(most == 1 ? "" : "s") (the first failure included) and a card update does not start a new series (cardUpdate.reset has no schedule); lower failed, or lengthen the schedule",
                    path: JSONPath.root.member("attempts").index(index).member("failed")))
            }
        }
        return warnings
    }

    /// Charges of one invoice in any budget window, compared with each network's budget.
    private func budgetWarnings(_ schedule: RetrySchedule, at path: JSONPath) -> [PolicyWarning] {
        let offsets = Self.nominalOffsets(schedule)
        var warnings: [PolicyWarning] = []
        for network in CardNetwork.allCases {
            guard let budget = budgets.networks[network] else { continue }
            let window = Int64(min(budget.window.nominalHours, Int(Int32.max))) * 3_600_000
            var most = 0
            var start = 0
            for end in offsets.indices {
                while offsets[end] - offsets[start] >= window { start += 1 }
                most = max(most, end - start + 1)
            }
            if most > budget.attempts {
                warnings.append(PolicyWarning(
                    "budget-exceeded-alone",
                    "this schedule charges one card \(most) times within \(budget.window), but the \(network.rawValue) budget allows \(budget.attempts) (Docs/dunning.md, \"Card-network budgets\"): the attempts past it \(budgets.whenExceeded == .defer ? "wait" : "are skipped") even with no other invoice on the card; make fewer attempts or spread them out",
                    path: path))
            }
        }
        return warnings
    }

    /// Each attempt's time after the first failure (0 first), a day counted as 24 hours, in milliseconds.
    static func nominalOffsets(_ schedule: RetrySchedule) -> [Int64] {
        switch schedule {
        case .none:
            return [0]
        case .gaps(let gaps):
            var offsets: [Int64] = [0]
            var total: Int64 = 0
            for gap in gaps {
                total = total.addingReportingOverflow(Int64(min(gap.nominalHours, Int(Int32.max))) * 3_600_000).partialValue
                offsets.append(total)
            }
            return offsets
        case .within(let attempts, let window):
            guard attempts > 1 else { return [0] }
            let span = Int64(min(window.nominalHours, Int(Int32.max))) * 3_600_000
            return (0..<Int64(min(attempts, 1_000_000))).map { span * $0 / Int64(attempts - 1) }
        }
    }

    /// `3d 4h` for people.
    static func words(_ milliseconds: Int64) -> String {
        let hours = milliseconds / 3_600_000
        let days = hours / 24
        let rest = hours % 24
        if rest == 0 { return "\(days)d" }
        return days == 0 ? "\(rest)h" : "\(days)d \(rest)h"
    }

    private func stageWarnings() -> [PolicyWarning] {
        var warnings: [PolicyWarning] = []
        for (index, stage) in stages.enumerated() {
            var budget = 100_000
            if let earlier = stages[..<index].first(where: { Self.implies(stage.when, $0.when, budget: &budget) }) {
                warnings.append(PolicyWarning(
                    "unreachable-stage",
                    "the stage '\(DisplayText.escape(stage.id))' is never entered: the stage '\(DisplayText.escape(earlier.id))' before it holds whenever it does (the first stage that holds wins); list the more severe stage first",
                    path: JSONPath.root.member("stages").index(index).member("when")))
            }
        }
        return warnings
    }

    /// Whether every invoice in dunning meets the condition (at least one attempt has failed).
    static func alwaysHolds(_ condition: StageCondition) -> Bool {
        switch condition {
        case .attemptsFailed(let count): count <= 1
        case .daysSinceFirstFailure(let days): days <= 0
        case .amountDue(let amount): amount <= 0
        case .all(let conditions): conditions.allSatisfy(alwaysHolds)
        case .any(let conditions): conditions.contains(where: alwaysHolds)
        case .declineClass, .hasTag, .lacksTag: false
        }
    }

    /// Whether `later` holding means `earlier` holds (sound, not complete: `false` when unsure or when
    /// `budget` steps run out, so a deeply nested policy costs bounded time).
    static func implies(_ later: StageCondition, _ earlier: StageCondition, budget: inout Int) -> Bool {
        budget -= 1
        guard budget > 0 else { return false }
        if alwaysHolds(earlier) { return true }
        switch (later, earlier) {
        case (_, .all(let conditions)):
            for condition in conditions where !implies(later, condition, budget: &budget) { return false }
            return true
        case (.any(let conditions), _):
            for condition in conditions where !implies(condition, earlier, budget: &budget) { return false }
            return true
        case (.all(let conditions), _):
            for condition in conditions where implies(condition, earlier, budget: &budget) { return true }
            return false
        case (_, .any(let conditions)):
            for condition in conditions where implies(later, condition, budget: &budget) { return true }
            return false
        case (.attemptsFailed(let b), .attemptsFailed(let a)): return b >= a
        case (.daysSinceFirstFailure(let b), .daysSinceFirstFailure(let a)): return b >= a
        case (.amountDue(let b), .amountDue(let a)): return b >= a
        case (.declineClass(let b), .declineClass(let a)): return b.allSatisfy(a.contains)
        case (.hasTag(let b), .hasTag(let a)): return a == b
        case (.lacksTag(let b), .lacksTag(let a)): return a == b
        default: return false
        }
    }
}
