import PurchaseActionsCore

extension GatewayScript {
    /// A script's rules indexed, so that finding the answer to a charge does not try every rule:
    /// ``answer(for:)`` gives exactly what ``GatewayScript/answer(for:)`` gives (the first matching
    /// rule's answer, else the default), in about O(log rules + rules sharing the charge's keys).
    ///
    /// Each rule is filed under one member it requires, the first it has of `invoice`, `card`,
    /// `contact`, `declineCode`, `attempt`, `network` (a charge can only match it when the charge has
    /// that value); a rule with none of them (only `amountAtLeast`, `amountAtMost`,
    /// `afterCardUpdate`) goes to an interval table per `afterCardUpdate` value that holds, for each
    /// stretch of amounts, the first such rule covering it. A look-up takes the interval table's
    /// first rule, then tries, in order, the rules filed under the charge's invoice, card, contact,
    /// decline code, attempt and network that come before it: the first that matches is the answer.
    /// Building it takes O(rules × log rules); `GatewaySimulator` builds it once.
    public struct RuleIndex: Hashable, Sendable {
        /// The rules, in order.
        let rules: [Rule]
        /// The answer when no rule matches.
        let defaultAnswer: Answer
        var byInvoice: [String: [Int]] = [:]
        var byCard: [String: [Int]] = [:]
        var byContact: [String: [Int]] = [:]
        var byDeclineCode: [String: [Int]] = [:]
        var byAttempt: [Int: [Int]] = [:]
        var byNetwork: [CardNetwork: [Int]] = [:]
        /// The rules filed by amount only: any `afterCardUpdate`, `true`, `false`.
        var byAmount: [AmountTable]

        /// Indexes `script`'s rules.
        public init(_ script: GatewayScript) {
            rules = script.rules
            defaultAnswer = script.defaultAnswer
            var amountOnly: [[(index: Int, low: Int, high: Int)]] = [[], [], []]
            for (index, rule) in script.rules.enumerated() {
                let when = rule.when
                if let invoice = when.invoice {
                    byInvoice[invoice, default: []].append(index)
                } else if let card = when.card {
                    byCard[card, default: []].append(index)
                } else if let contact = when.contact {
                    byContact[contact, default: []].append(index)
                } else if let code = when.declineCode {
                    byDeclineCode[code, default: []].append(index)
                } else if let attempt = when.attempt {
                    byAttempt[attempt, default: []].append(index)
                } else if let network = when.network {
                    byNetwork[network, default: []].append(index)
                } else {
                    let low = when.amountAtLeast ?? Int.min
                    let high = when.amountAtMost ?? Int.max
                    // A rule whose range is empty matches no charge.
                    guard low <= high else { continue }
                    amountOnly[Self.table(when.afterCardUpdate)].append((index, low, high))
                }
            }
            byAmount = amountOnly.map(AmountTable.init)
        }

        static func table(_ afterCardUpdate: Bool?) -> Int {
            switch afterCardUpdate {
            case nil: 0
            case true?: 1
            case false?: 2
            }
        }

        /// The index of the first rule that matches `charge`, `nil` when none does.
        public func firstMatch(for charge: Charge) -> Int? {
            let amount = charge.request.amount
            var best = Int.max
            for table in [byAmount[0], byAmount[Self.table(charge.afterCardUpdate)]] {
                if let first = table.first(covering: amount), first < best { best = first }
            }
            func scan(_ list: [Int]?) {
                guard let list else { return }
                for index in list {
                    guard index < best else { return }
                    if rules[index].when.matches(charge) {
                        best = index
                        return
                    }
                }
            }
            scan(byInvoice[charge.request.invoice])
            if let card = charge.request.card { scan(byCard[card]) }
            scan(byContact[charge.request.contact])
            if let code = charge.firstDeclineCode { scan(byDeclineCode[code]) }
            scan(byAttempt[charge.request.attempt])
            scan(byNetwork[charge.network])
            return best == Int.max ? nil : best
        }

        /// The answer to a charge: the first matching rule's, else the default (the same as ``GatewayScript/answer(for:)``).
        public func answer(for charge: Charge) -> Answer {
            firstMatch(for: charge).map { rules[$0].answer } ?? defaultAnswer
        }
    }

    /// For rules that ask only about the amount: the amounts cut into stretches at every rule's
    /// bounds, and for each stretch the first rule (lowest index) whose range covers it.
    struct AmountTable: Hashable, Sendable {
        /// Where each stretch starts, ascending; stretch `i` runs up to `starts[i + 1] - 1`.
        var starts: [Int] = []
        /// The first rule covering each stretch, -1 for none.
        var first: [Int] = []

        /// `rules` in ascending index, each with its inclusive amount range.
        init(_ rules: [(index: Int, low: Int, high: Int)]) {
            guard !rules.isEmpty else { return }
            var bounds: [Int] = []
            bounds.reserveCapacity(rules.count * 2)
            for rule in rules {
                bounds.append(rule.low)
                if rule.high < Int.max { bounds.append(rule.high + 1) }
            }
            bounds.sort()
            var unique: [Int] = []
            unique.reserveCapacity(bounds.count)
            for bound in bounds where unique.last != bound { unique.append(bound) }
            starts = unique
            first = Array(repeating: -1, count: unique.count)
            // Painted in rule order, each stretch once: `next[i]` leads to the first stretch at or after `i` not yet painted.
            var next = Array(0...unique.count)
            func find(_ i: Int) -> Int {
                var root = i
                while next[root] != root { root = next[root] }
                var node = i
                while next[node] != root {
                    let following = next[node]
                    next[node] = root
                    node = following
                }
                return root
            }
            for rule in rules {
                let from = Self.stretch(of: rule.low, in: unique)!
                let to = rule.high == Int.max ? unique.count : Self.stretch(of: rule.high + 1, in: unique)!
                var i = find(from)
                while i < to {
                    first[i] = rule.index
                    next[i] = i + 1
                    i = find(i + 1)
                }
            }
        }

        /// The stretch holding `amount`: the last start at or before it, `nil` before the first.
        static func stretch(of amount: Int, in starts: [Int]) -> Int? {
            var low = 0
            var high = starts.count
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] <= amount { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? nil : low - 1
        }

        /// The first rule whose range holds `amount`, `nil` for none.
        func first(covering amount: Int) -> Int? {
            guard let stretch = Self.stretch(of: amount, in: starts), first[stretch] >= 0 else { return nil }
            return first[stretch]
        }
    }
}
