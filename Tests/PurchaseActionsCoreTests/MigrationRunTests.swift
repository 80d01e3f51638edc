import PurchaseActionsCore
import Testing

/// `MigrationRun` compiles an export part by part as a streaming reader hands the parts out: the
/// same workflows and findings as compiling the whole account, the counts of the summary line and
/// the report `import-actions` writes.
@Suite("MigrationRun: compiling an export part by part")
struct MigrationRunTests {
    static let here = FileLocation(file: "code.xml", line: 3, column: 5)

    static func part(_ name: String, line: Int) -> OpaquePart {
        OpaquePart(kind: .element, namespace: "urn:other", name: name, location: FileLocation(file: "code.xml", line: line))
    }

    static func account() -> LegacyAccount {
        var catalogue = Catalogue()
        catalogue.extensions = [part("catalogue-extra", line: 4)]
        let thanks = ActionSet(id: "as-thanks", name: "Thanks", actions: [Action(id: "tag", kind: .sendEmail(templateID: "tpl-missing", to: .contact), location: here)], location: here)
        let vip = ActionSet(id: "as-vip", name: "VIP", actions: [], location: here)
        let sequence = FollowUpSequence(
            id: "seq", name: "Seq", steps: [FollowUpSequence.Step(id: "later", delayDays: 2, actions: [], location: here)], location: here)
        let slot = PurchaseSlot(kind: .successfulPurchase, actionSetID: "as-thanks", location: here)
        let rule = BillingAutomationRule(id: "rule", trigger: .cardExpiring(days: 30), actionSetID: "as-vip", location: here)
        var settings = AccountSettings(id: "a", name: "A", timezone: "Europe/Berlin", currency: "EUR", location: here)
        settings.extensions = [part("account-extra", line: 2)]
        return LegacyAccount(
            settings: settings, catalogue: catalogue, sequences: [sequence], actionSets: [thanks, vip], slots: [slot], billingRules: [rule],
            extensions: [part("export-extra", line: 90)])
    }

    /// Feeds an account to a run in the reader's order.
    static func run(_ account: LegacyAccount) -> (MigrationRun, [LegacyCompiler.Output]) {
        var run = MigrationRun()
        var outputs: [LegacyCompiler.Output] = []
        run.add(account: account.settings)
        run.add(catalogue: account.catalogue)
        outputs += account.sequences.map { run.add($0) }
        outputs += account.actionSets.map { run.add($0) }
        outputs += account.slots.map { run.add($0) }
        outputs += account.billingRules.map { run.add($0) }
        for part in account.extensions { run.add(extension: part) }
        return (run, outputs)
    }

    @Test("Part by part gives the workflows and findings of compiling the whole account")
    func sameAsWholeAccount() throws {
        let account = Self.account()
        let (run, outputs) = Self.run(account)
        let whole = LegacyCompiler.compile(account)
        #expect(outputs.map(\.workflow).sorted { $0.id < $1.id } == whole.workflows)
        #expect(run.workflowIDs == outputs.map(\.workflow.id))
        #expect(run.workflowIDs == ["sequence.seq", "action-set.as-thanks", "action-set.as-vip", "slot.successful-purchase", "billing.rule"])
        // The whole-account compile also counts the call graph's expansion, which the streaming
        // reader reports as a warning instead; here there is none.
        #expect(Migration.documentOrder(run.findings) == whole.findings)
        let codes = run.findings.map(\.code)
        #expect(codes.filter { $0 == .extensionNotCarried }.count == 3, "\(run.findings)")
        #expect(codes.contains(.missingReference), "\(run.findings)")
    }

    @Test("The report lists every workflow sorted and the findings in document order")
    func report() throws {
        let (run, _) = Self.run(Self.account())
        #expect(run.report == Migration.report(workflowIDs: run.workflowIDs, findings: run.findings))
        guard case .object(let members) = run.report, case .array(let ids)? = members["workflows"] else {
            Issue.record("not a report: \(run.report)")
            return
        }
        #expect(ids == run.workflowIDs.sorted().map { .string($0) })
    }

    @Test("The summary counts each kind, singular and plural, and says 'all mapped exactly' only with no warning and no finding")
    func summary() {
        let (run, _) = Self.run(Self.account())
        let findings = run.findings.count
        #expect(
            run.summary(warnings: 0)
                == "5 workflows (2 action sets, 1 slot, 1 sequence, 1 billing rule); \(findings) not mapped exactly (listed in migration-report.json)")
        #expect(run.summary(warnings: 1).contains("; 1 warning (above); "))
        #expect(run.summary(warnings: 2).contains("; 2 warnings (above); "))
        var clean = MigrationRun()
        clean.add(account: AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "EUR", location: Self.here))
        clean.add(ActionSet(id: "as-1", name: "One", actions: [], location: Self.here))
        #expect(clean.summary(warnings: 0) == "1 workflow (1 action set); all mapped exactly")
        #expect(clean.summary(warnings: 1) == "1 workflow (1 action set); 1 warning (above)")
        #expect(MigrationRun().summary(warnings: 0) == "0 workflows (); all mapped exactly")
    }

    @Test("A part before the account and catalogue still compiles (with UTC and an empty catalogue), its references found missing")
    func partBeforeAccount() {
        var run = MigrationRun()
        let output = run.add(ActionSet(id: "as-1", name: "One", actions: [Action(id: "t", kind: .sendEmail(templateID: "nowhere", to: .contact), location: Self.here)], location: Self.here))
        #expect(output.workflow.id == "action-set.as-1")
        #expect(output.workflow.settings.accountTimezone == "UTC")
        #expect(output.findings.contains { $0.code == .missingReference })
        #expect(run.findings == output.findings)
    }
}
