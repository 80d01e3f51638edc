import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// The stored forms of the process's state (DunningInvoice.storageJSON, CardAttemptLedger.Entry),
/// change tracking, restoring, and what a corrupt or hostile stored document gives.
@Suite struct DunningStorageTests {
    typealias D = Dunning

    /// A policy whose invoices get every kind of state: a send window (messages wait), stages on
    /// tags and failures, attempt rules that tag the contact, an age limit.
    static let richPolicy = D.policy {
        $0.retries = .gaps([.days(1), .days(1), .days(1), .days(1)])
        $0.sendWindow = MessageWindow(opens: 9 * 60, closes: 17 * 60, weekdays: [3])
        $0.stages = [
            DunningStage(id: "vip", name: "VIP", when: .hasTag("vip"), actions: [.email(template: "vip-reminder")]),
            DunningStage(id: "late", name: "Late", when: .daysSinceFirstFailure(atLeast: 2), actions: [.sms(text: "Please pay"), .notify(to: "billing", text: "late")]),
        ]
        $0.attempts = [AttemptRule(attempt: 2, actions: [.addTag("vip"), .task(title: "Call", assignee: "owner", dueInDays: 1)])]
        $0.recovered = [.removeTag("vip"), .email(template: "thanks")]
        $0.maxInvoiceAgeMonths = 3
        $0.budgets = BudgetSettings(networks: [.visa: NetworkBudget(attempts: 2, window: .days(3))], whenExceeded: .defer)
    }

    /// Two invoices, the first with a charge in flight after an unknown outcome (so `inFlight`,
    /// `unknownRequest`, `repeatAttempt` are set) and messages waiting for the send window
    /// (Wednesdays only), the second with a charge in flight.
    static func richProcess() throws -> (DunningProcess, [DunningInvoice]) {
        var process = DunningProcess(policy: richPolicy, calendar: D.utc)
        _ = process.ingest(D.failed("inv-1", attempt: 2, at: D.at(days: 2, hours: 20), card: "card-1", tags: ["gold"]))
        _ = process.ingest(D.failed("inv-2", at: D.at(days: 2, hours: 21), card: nil, contact: "c-2", subscription: nil))
        func members(_ id: String) -> [String: JSONValue] {
            guard case .object(let members) = process.invoice(id)?.storageJSON else { return [:] }
            return members
        }
        var unknown = false
        for _ in 0..<20 {
            guard members("inv-1")["inFlight"] == nil || !unknown, let time = process.nextDue else { break }
            for request in process.due(at: time) where request.invoice == "inv-1" && !unknown {
                _ = process.record(request, outcome: .unknown(reason: "timeout"), at: time)
                unknown = true
            }
        }
        #expect(unknown && members("inv-1")["inFlight"] != nil && members("inv-2")["inFlight"] != nil)
        return (process, process.takeChangedInvoices())
    }

    static func text(_ value: JSONValue) -> String { value.compactText }

    // MARK: - Round trips

    @Test func everyFieldOfAnInvoiceSurvivesItsStoredText() throws {
        let (process, invoices) = try Self.richProcess()
        let first = try #require(invoices.first { $0.id == "inv-1" })
        guard case .object(let members) = first.storageJSON else { throw DunningError("test", "not an object") }
        // The internal state is there, not only the public fields.
        for name in ["inFlight", "unknownRequest", "repeatAttempt", "pendingMessages", "contactTags", "wakeAt", "stageAnchorDay", "schedule", "sequence"] {
            #expect(members[name] != nil, "\(name) is not stored")
        }
        #expect(members["pendingMessages"] != .array([]))
        for invoice in invoices {
            let text = invoice.storageJSON.compactText
            let read = try DunningInvoice(storageJSON: try JSONValue.parse(text))
            #expect(read == invoice)
            #expect(read.storageJSON.compactText == text)
        }
        // The process's own invoices carry no tags; the taken ones carry the contact's.
        #expect(process.invoice("inv-1").map { $0.storageJSON.compactText.contains("contactTags") } == false)
        #expect(first.storageJSON.compactText.contains(#""contactTags":{"tags":["gold","vip"],"written":1}"#))
    }

    @Test func theStoredTextIsCompactAndDeterministic() throws {
        let (_, invoices) = try Self.richProcess()
        for invoice in invoices {
            let text = invoice.storageJSON.compactText
            #expect(text == invoice.storageJSON.compactText)
            #expect(!text.contains("\n") && !text.contains(": "))
            #expect(text.hasPrefix(#"{"ageLimitAt":"#))  // keys sorted
        }
    }

    @Test func aPolicyWithoutTagConditionsStoresNoTags() {
        var process = DunningProcess(policy: D.policy(), calendar: D.utc)
        _ = process.ingest(D.failed("inv-1", tags: ["gold"]))
        let invoices = process.takeChangedInvoices()
        #expect(invoices.count == 1)
        #expect(invoices.first.map { $0.storageJSON.compactText.contains("contactTags") } == false)
    }

    // MARK: - Change tracking

    @Test func takeChangedInvoicesGivesWhatChangedSinceTheLastCallInStartOrder() throws {
        var process = DunningProcess(policy: D.policy(), calendar: D.utc)
        _ = process.ingest(D.failed("inv-b", at: D.at(hours: 1), contact: "c-1", subscription: "sub-b"))
        _ = process.ingest(D.failed("inv-a", at: D.at(hours: 2), contact: "c-1", subscription: "sub-a"))
        _ = process.ingest(D.failed("inv-c", at: D.at(hours: 3), contact: "c-2", subscription: "sub-c"))
        #expect(process.takeChangedInvoices().map(\.id) == ["inv-b", "inv-a", "inv-c"])
        #expect(process.takeChangedInvoices().isEmpty)
        // A card update touches the contact's open invoices, in the order they started.
        _ = process.ingest(D.cardUpdate(contact: "c-1", card: "card-9", at: D.at(hours: 4)))
        #expect(process.takeChangedInvoices().map(\.id) == ["inv-b", "inv-a"])
        _ = process.ingest(D.paid("inv-c", at: D.at(hours: 5), contact: "c-2"))
        #expect(process.takeChangedInvoices().map(\.id) == ["inv-c"])
        // An event about an ended invoice writes an entry: its count changed.
        _ = process.ingest(D.paid("inv-c", at: D.at(hours: 6), contact: "c-2"))
        #expect(process.takeChangedInvoices().map(\.id) == ["inv-c"])
        // An event about no invoice changes none.
        _ = process.ingest(D.paid("inv-unknown", at: D.at(hours: 7)))
        _ = process.ingest(D.cancelled(subscription: "sub-none", at: D.at(hours: 7)))
        #expect(process.takeChangedInvoices().isEmpty)
        // A due time: the invoices woken.
        let time = try #require(process.nextDue)
        let requests = process.due(at: time)
        let woken = process.takeChangedInvoices().map(\.id)
        #expect(!requests.isEmpty && Set(requests.map(\.invoice)).isSubset(of: woken) && Set(woken).isSubset(of: ["inv-a", "inv-b"]))
        for request in requests { _ = process.record(request, outcome: .declined(code: "insufficient_funds", adviceCode: nil), at: time) }
        #expect(Set(process.takeChangedInvoices().map(\.id)) == Set(requests.map(\.invoice)))
    }

    // MARK: - The ledger

    static let visa = NetworkBudget(attempts: 2, window: .days(1))

    @Test func takeChangedKeysIsSortedAndHasThePrunedKeys() {
        var ledger = CardAttemptLedger()
        ledger.record(.invoice("a"), budget: Self.visa, at: D.at(hours: 1))
        ledger.record(.card("b"), budget: Self.visa, at: D.at(hours: 2))
        ledger.record(.card("a"), budget: Self.visa, at: D.at(hours: 3))
        #expect(ledger.takeChangedKeys() == [.card("a"), .card("b"), .invoice("a")])
        #expect(ledger.takeChangedKeys().isEmpty)
        ledger.record(.card("b"), budget: Self.visa, at: D.at(hours: 30))
        ledger.prune(before: D.at(hours: 28))
        // card a and invoice a left the window: pruned, so changed, their entries nil (delete them).
        #expect(ledger.takeChangedKeys() == [.card("a"), .card("b"), .invoice("a")])
        #expect(ledger.entry(.card("a")) == nil)
        #expect(ledger.entry(.invoice("a")) == nil)
        #expect(ledger.entry(.card("b"))?.times == [D.at(hours: 2), D.at(hours: 30)])
    }

    @Test func aLedgerEntrySurvivesItsStoredTextAndARestoredLedgerAnswersTheSame() throws {
        var ledger = CardAttemptLedger()
        // Many charges of one card move the kept window along (slots before the head are not state).
        for hour in 0..<200 { ledger.record(.card("c"), budget: Self.visa, at: D.at(hours: hour)) }
        ledger.record(.card("d"), budget: NetworkBudget(attempts: 3, window: .hours(5)), at: D.at(hours: 1))
        var entries: [CardAttemptLedger.Entry] = []
        for key in ledger.takeChangedKeys() {
            let entry = try #require(ledger.entry(key))
            let read = try CardAttemptLedger.Entry(key: key, storageJSON: try JSONValue.parse(entry.storageJSON.compactText))
            #expect(read == entry)
            entries.append(read)
        }
        #expect(entries.first?.storageJSON.compactText == #"{"times":[1767938400000,1767942000000],"window":86400000}"#)
        let restored = CardAttemptLedger(restoring: entries)
        #expect(restored == ledger)
        #expect(restored.firstFit(.card("c"), budget: Self.visa, at: D.at(hours: 200)) == ledger.firstFit(.card("c"), budget: Self.visa, at: D.at(hours: 200)))
        var copy = restored
        #expect(copy.takeChangedKeys().isEmpty)
    }

    @Test func keyTextsRoundTrip() {
        for key: CardAttemptLedger.Key in [.card("card-1"), .invoice("inv:1"), .card(""), .card("\u{301}x"), .invoice("card:x")] {
            #expect(CardAttemptLedger.Key(storageText: key.storageText) == key)
        }
        #expect(CardAttemptLedger.Key.card("c").storageText == "card:c")
        #expect(CardAttemptLedger.Key.invoice("i").storageText == "invoice:i")
        for text in ["", "card", "cardx", "Card:x", "inv:x", " card:x"] { #expect(CardAttemptLedger.Key(storageText: text) == nil) }
    }

    @Test func aBudgetHoldsAcrossProcessesThatShareTheLedger() {
        let policy = D.policy {
            $0.retries = .gaps([.days(1)])
            $0.budgets = BudgetSettings(networks: [.visa: NetworkBudget(attempts: 2, window: .days(10))], whenExceeded: .defer)
        }
        var old = DunningProcess(policy: policy, calendar: D.utc)
        var active = DunningProcess(policy: policy, calendar: D.utc)
        // The reported failure and the retry of inv-1 use card-1's two charges.
        _ = old.ingest(D.failed("inv-1", card: "card-1"))
        _ = old.due(at: D.at(days: 1))
        swap(&old.sharedLedger, &active.sharedLedger)
        _ = active.ingest(D.failed("inv-2", at: D.at(hours: 1), card: "card-1"))
        let requests = active.due(at: D.at(days: 1, hours: 1))
        #expect(requests.isEmpty)
        #expect(active.drainEntries().map(\.kind) == [.deferred])
        #expect(old.sharedLedger.keyCount == 0)
    }

    // MARK: - Restoring

    @Test func aRestoredProcessKeepsTheContactsTagsFromItsLatestWrittenInvoice() throws {
        var straight = DunningProcess(policy: Self.richPolicy, calendar: D.utc)
        var events = [D.failed("inv-1", attempt: 2, at: D.at(hours: 1), card: "card-1")]
        _ = straight.ingest(events[0])
        var stored = straight.takeChangedInvoices()
        // An old write of another invoice of the contact without the tag, and the latest, inv-1, with it (the attempt rule added vip).
        #expect(stored.first?.storageJSON.compactText.contains(#""tags":["vip"]"#) == true)
        var stale = try JSONValue.parse(stored[0].storageJSON.compactText)
        if case .object(var members) = stale {
            members["contactTags"] = .members(["tags": .array([]), "written": .integer(0)])
            members["id"] = .string("inv-0")
            members["sequence"] = .integer(7)
            stale = .object(members)
        }
        stored.append(try DunningInvoice(storageJSON: stale))
        var restored = try DunningProcess(policy: Self.richPolicy, calendar: D.utc, restoring: stored.reversed(), ledger: straight.sharedLedger)
        // A new invoice of the contact enters the vip stage at once on both.
        events.append(D.failed("inv-2", at: D.at(hours: 2), card: "card-1"))
        let expected = straight.ingest(events[1])
        #expect(expected.contains { $0.kind == .stage && $0.stage == "vip" })
        #expect(restored.ingest(events[1]) == expected)
        // The restored order is the started order (sequence), whatever order they came in.
        #expect(restored.allInvoices.map(\.id) == ["inv-1", "inv-0", "inv-2"])
    }

    @Test func restoringRefusesTwoInvoicesWithOneIdOrOneSequenceAndTooManyInvoices() throws {
        let (_, invoices) = try Self.richProcess()
        func refused(_ list: [DunningInvoice], limits: ProcessLimits = .standard) -> DunningError? {
            do throws(DunningError) {
                _ = try DunningProcess(policy: Self.richPolicy, calendar: D.utc, limits: limits, restoring: list, ledger: CardAttemptLedger())
                return nil
            } catch { return error }
        }
        #expect(refused(invoices) == nil)
        #expect(refused([invoices[0], invoices[0]])?.code == "invalid-stored-invoice")
        #expect(refused([invoices[0], invoices[0]])?.message.contains("the id 'inv-1'") == true)
        var renamed = try JSONValue.parse(invoices[1].storageJSON.compactText)
        if case .object(var members) = renamed {
            members["sequence"] = .integer(0)
            renamed = .object(members)
        }
        let sameSequence = refused([invoices[0], try DunningInvoice(storageJSON: renamed)])
        #expect(sameSequence?.code == "invalid-stored-invoice" && sameSequence?.message.contains("the same sequence 0") == true)
        // maxInvoices: at the bound restored, one past refused.
        #expect(refused(invoices, limits: ProcessLimits(maxInvoices: 2)) == nil)
        #expect(refused(invoices, limits: ProcessLimits(maxInvoices: 1))?.message.contains("2 stored invoices, more than the process's 1") == true)
    }

    // MARK: - Corrupt and hostile stored documents

    /// The stored members of inv-1 of the rich process, to edit.
    static func storedMembers() throws -> [String: JSONValue] {
        let (_, invoices) = try richProcess()
        guard case .object(let members) = try #require(invoices.first { $0.id == "inv-1" }).storageJSON else { return [:] }
        return members
    }

    static func read(_ members: [String: JSONValue], limits: ProcessLimits = .standard) -> Result<DunningInvoice, DunningError> {
        do {
            return .success(try DunningInvoice(storageJSON: try JSONValue.parse(JSONValue.object(members).compactText), limits: limits))
        } catch let error as DunningError {
            return .failure(error)
        } catch {
            return .failure(DunningError("not-json", "\(error)"))
        }
    }

    static func path(_ result: Result<DunningInvoice, DunningError>) -> String? {
        guard case .failure(let error) = result, error.code == "invalid-stored-invoice" else { return nil }
        return error.path?.description
    }

    @Test(arguments: [
        ("id", JSONValue.null, "$.id"),
        ("amount", .string("2900"), "$.amount"),
        ("status", .string("paid"), "$.status"),
        ("network", .string("diners"), "$.network"),
        ("attemptsMade", .integer(Int.max), "$.attemptsMade"),
        ("attemptsFailed", .integer(-1), "$.attemptsFailed"),
        ("charges", .integer(Int.min), "$.charges"),
        ("wakeAt", .integer(Int.max), "$.wakeAt"),
        ("firstFailureAt", .integer(Int.min), "$.firstFailureAt"),
        ("stageAnchorDay", .integer(Int.max), "$.stageAnchorDay"),
        ("slot", .integer(99), "$.slot"),
        ("unknownRepeats", .integer(4), "$.unknownRepeats"),
        ("format", .integer(2), "$.format"),
        ("extra", .bool(true), "$.extra"),
        ("lastDecline", .members(["code": .string("x"), "class": .string("never"), "reason": .string("r")]), "$.lastDecline.class"),
        ("firstDecline", .members(["code": .string("x"), "class": .string("soft"), "reason": .string("r"), "retryAfter": .string("2w")]), "$.firstDecline.retryAfter"),
        ("schedule", .members(["gaps": .array([.string("1d"), .integer(1)])]), "$.schedule.gaps[1]"),
        ("schedule", .members(["attempts": .integer(0), "within": .string("1d")]), "$.schedule.attempts"),
        ("inFlight", .members(["key": .string("k"), "invoice": .string("i"), "attempt": .integer(Int.max), "contact": .string("c"), "amount": .integer(1), "currency": .string("USD")]), "$.inFlight.attempt"),
        ("pendingMessages", .array([.members(["at": .integer(5), "action": .members(["type": .string("fax")]), "source": .string("s"), "keepWhenPaid": .bool(false)])]),
         "$.pendingMessages[0].action.type"),
        ("pendingMessages", .array([
            .members(["at": .integer(5), "action": .members(["type": .string("suspend-access")]), "source": .string("s"), "keepWhenPaid": .bool(false)]),
            .members(["at": .integer(4), "action": .members(["type": .string("suspend-access")]), "source": .string("s"), "keepWhenPaid": .bool(false)]),
        ]), "$.pendingMessages[1].at"),
        ("contactTags", .members(["tags": .array([.integer(1)]), "written": .integer(1)]), "$.contactTags.tags[0]"),
        ("contactTags", .members(["tags": .array([]), "written": .integer(-1)]), "$.contactTags.written"),
    ] as [(String, JSONValue, String)])
    func aCorruptStoredInvoiceSaysWhere(member: String, value: JSONValue, path: String) throws {
        var members = try Self.storedMembers()
        members[member] = value
        let result = Self.read(members)
        #expect(Self.path(result) == path, "\(result)")
    }

    @Test func theDocumentedMessageIsTheOneGiven() throws {
        var members = try Self.storedMembers()
        members["attemptsMade"] = .integer(Int.max)
        guard case .failure(let error) = Self.read(members) else { Issue.record("read"); return }
        // Docs/dunning.md, "Stored state".
        #expect(error.description == "$.attemptsMade: a stored dunning invoice is not valid: 9223372036854775807 is outside 0...1001, the stored bound")
    }

    @Test func aMissingMemberIsNamedAndNotJSONIsNotAnInvoice() throws {
        var members = try Self.storedMembers()
        members["seriesStart"] = nil
        guard case .failure(let error) = Self.read(members) else { Issue.record("read"); return }
        #expect(error.code == "invalid-stored-invoice" && error.message.contains("'seriesStart'") && error.path?.description == "$")
        #expect(throws: DunningError.self) { try DunningInvoice(storageJSON: .array([])) }
        #expect(throws: DunningError.self) { try DunningInvoice(storageJSON: .string("{}")) }
    }

    /// Each bound of `init(storageJSON:limits:)`: at it read, one past it refused at its path.
    @Test func everyBoundOfAStoredInvoiceHoldsAtItAndRefusesOnePast() throws {
        let members = try Self.storedMembers()
        let limits = ProcessLimits(maxAttempts: 10, maxEntries: 40, maxUnknownRepeats: 2)
        func check(_ name: String, at: JSONValue, past: JSONValue, path: String? = nil) {
            var accepted = members
            accepted[name] = at
            var refused = members
            refused[name] = past
            if case .failure(let error) = Self.read(accepted, limits: limits) { Issue.record("\(name) at the bound: \(error)") }
            #expect(Self.path(Self.read(refused, limits: limits)) == (path ?? "$.\(name)"), "\(name) one past the bound")
        }
        let count = limits.maxEntries + limits.maxAttempts + 1
        check("attemptsMade", at: .integer(limits.maxAttempts + 1), past: .integer(limits.maxAttempts + 2))
        check("repeatAttempt", at: .integer(limits.maxAttempts + 1), past: .integer(limits.maxAttempts + 2))
        check("unknownRepeats", at: .integer(2), past: .integer(3))
        check("entryCount", at: .integer(40), past: .integer(41))
        check("entryCount", at: .integer(0), past: .integer(-1))
        for name in ["attemptsFailed", "charges", "deferrals", "budgetSkips", "stageFailuresBase"] {
            check(name, at: .integer(count), past: .integer(count + 1))
        }
        check("slot", at: .integer(-1), past: .integer(-2))
        check("slot", at: .integer(5), past: .integer(6))  // the schedule's 5 attempts
        let latest = Int(Instant.saturatedLatest.millisecondsSinceEpoch)
        let earliest = Int(Instant.saturatedEarliest.millisecondsSinceEpoch)
        for name in ["wakeAt", "firstFailureAt", "seriesStart", "nextAttemptAt", "endedAt", "ageLimitAt", "nextStageCheck"] {
            check(name, at: .integer(latest), past: .integer(latest + 1))
            check(name, at: .integer(earliest), past: .integer(earliest - 1))
        }
        check("stageAnchorDay", at: .integer(60_000_000_000), past: .integer(60_000_000_001))
        check("stageAnchorDay", at: .integer(-60_000_000_000), past: .integer(-60_000_000_001))
        check("sequence", at: .integer(1 << 62), past: .integer((1 << 62) + 1))
        check("contactTags", at: .members(["tags": .array([]), "written": .integer(1 << 62)]),
              past: .members(["tags": .array([]), "written": .integer((1 << 62) + 1)]), path: "$.contactTags.written")
        let tags = (0..<DunningInvoice.maxStoredTags).map { JSONValue.string("t\($0)") }
        check("contactTags", at: .members(["tags": .array(tags), "written": .integer(1)]), past: .members(["tags": .array(tags + [.string("x")]), "written": .integer(1)]),
              path: "$.contactTags.tags")
        // The schedule: at most DunningLimits.standard.maxAttempts (100) attempts; the slot bound is checked after it.
        let gaps = Array(repeating: JSONValue.string("1h"), count: 99)
        check("schedule", at: .members(["gaps": .array(gaps)]), past: .members(["gaps": .array(gaps + [.string("1h")])]), path: "$.schedule.gaps")
        check("schedule", at: .members(["attempts": .integer(100), "within": .string("100h")]), past: .members(["attempts": .integer(101), "within": .string("100h")]), path: "$.schedule.attempts")
        // Waiting messages: at most maxEntries × 50.
        let message = JSONValue.members(["at": .integer(5), "action": .members(["type": .string("email"), "template": .string("t")]), "source": .string("s"), "keepWhenPaid": .bool(true)])
        let most = limits.maxEntries * 50
        check("pendingMessages", at: .array(Array(repeating: message, count: most)), past: .array(Array(repeating: message, count: most + 1)))
    }

    @Test func aLedgerEntryRefusesWhatItNeverHolds() throws {
        func path(_ json: JSONValue) -> String? {
            do throws(DunningError) {
                _ = try CardAttemptLedger.Entry(key: .card("c"), storageJSON: json)
                return nil
            } catch {
                #expect(error.code == "invalid-stored-ledger" && error.message.contains("card:c"))
                return error.path?.description
            }
        }
        let most = CardAttemptLedger.Entry.maxTimes
        #expect(path(.members(["times": .array(Array(repeating: JSONValue.integer(5), count: most)), "window": .integer(1)])) == nil)
        #expect(path(.members(["times": .array(Array(repeating: JSONValue.integer(5), count: most + 1)), "window": .integer(1)])) == "$.times")
        #expect(path(.members(["times": .array([]), "window": .integer(1)])) == "$.times")
        #expect(path(.members(["times": .array([.integer(5), .integer(4)]), "window": .integer(1)])) == "$.times[1]")
        #expect(path(.members(["times": .array([.integer(Int.max)]), "window": .integer(1)])) == "$.times[0]")
        #expect(path(.members(["times": .array([.string("5")]), "window": .integer(1)])) == "$.times[0]")
        #expect(path(.members(["times": .array([.integer(5)]), "window": .integer(Int(Int64.max / 4))])) == nil)
        #expect(path(.members(["times": .array([.integer(5)]), "window": .integer(Int(Int64.max / 4) + 1)])) == "$.window")
        #expect(path(.members(["times": .array([.integer(5)]), "window": .integer(-1)])) == "$.window")
        #expect(path(.members(["times": .array([.integer(5)])])) == "$")
        #expect(path(.members(["times": .array([.integer(5)]), "window": .integer(1), "head": .integer(0)])) == "$.head")
        #expect(path(.integer(3)) == "$")
    }

    /// Every member of a stored invoice replaced by hostile values: refused at that member, or
    /// read; and a process restored with what was read runs on without trapping.
    @Test func hostileStoredValuesAreRefusedOrRunWithoutTrapping() throws {
        let members = try Self.storedMembers()
        let hostile: [JSONValue] = [
            .null, .bool(true), .integer(Int.max), .integer(Int.min), .integer(-1), .integer(0), .integer(1), .string(""), .string("open"), .array([]), .object([:]),
            .array([.integer(Int.max)]), .members(["gaps": .array([])]),
        ]
        var readCount = 0
        for name in members.keys.sorted() {
            for value in hostile {
                var edited = members
                edited[name] = value
                switch Self.read(edited) {
                case .failure(let error):
                    #expect(error.code == "invalid-stored-invoice", "\(name) = \(value.compactText)")
                    #expect(error.path?.description.hasPrefix("$") == true)
                case .success(let invoice):
                    readCount += 1
                    var process = try DunningProcess(policy: Self.richPolicy, calendar: D.utc, restoring: [invoice], ledger: CardAttemptLedger())
                    for days in [0, 1, 3, 30, 400] {
                        let requests = process.due(at: D.at(days: days))
                        _ = process.drainEntries()
                        for request in requests { _ = process.record(request, outcome: .declined(code: "do_not_honor", adviceCode: "25"), at: D.at(days: days)) }
                    }
                    _ = process.ingest(D.cardUpdate(card: "card-2", at: D.at(days: 401)))
                    _ = process.ingest(D.failed("inv-1", attempt: 7, at: D.at(days: 402)))
                    _ = process.ingest(D.paid("inv-1", at: D.at(days: 403)))
                    _ = process.due(at: Instant.saturatedLatest)
                    #expect(process.takeChangedInvoices().count <= 1)
                }
            }
        }
        #expect(readCount > 0)
    }
}
