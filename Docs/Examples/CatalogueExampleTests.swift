import Foundation
import PurchaseActions
import Testing

@Suite("Docs: the catalogues' and the tutorial's samples run")
struct CatalogueExampleTests {
    static let root = EngineExampleTests.root.path

    @Test("PurchaseActionsCore.md: the hand-made account compiles to the two workflows its comment says")
    func handMadeAccountCompiles() throws {
        let (ids, findings, file) = compileHandMadeAccount()
        #expect(ids == ["action-set.as-welcome", "slot.successful-purchase"])
        #expect(findings.map(\.code) == [.missingReference])
        #expect(findings.first?.message.contains("tpl-welcome") == true)
        #expect(file.contains("\"slot.successful-purchase\""))
        #expect(file.contains("\"workflow\": \"action-set.as-welcome\""))
        #expect(file.hasSuffix("}\n"))
    }

    @Test("LegacyImport.md: the streaming summary reads a bundled export")
    func summary() throws {
        try summarise(file: Self.root + "/Fixtures/exports/course-creator.xml")
        #expect(throws: ImportError.self) { try summarise(file: Self.root + "/Fixtures/malformed/cycle.xml") }
    }

    @Test("engine.md: templates see the account profile's company")
    func profile() throws {
        let account = handMadeAccount()
        let workflows = LegacyCompiler.compile(account).workflows
        let engine = try engineWithProfile(workflows: workflows, start: Instant(secondsSinceEpoch: 1_741_000_000))
        #expect(engine.workflows.count == 2)
    }

    @Test("The tutorial: three buyers who pay at once each enter the purchase slot; emails are to deliver")
    func tutorial() async throws {
        let (why, delivered) = try await runPurchases(exportFile: Self.root + "/Fixtures/exports/physical-goods-store.xml", buyers: ["ana", "ben", "chloe"])
        let entered = why.filter { $0.hasPrefix("slot.successful-purchase: ") }
        #expect(entered.count == 3)
        // The two weeks ran the Brew School sequence for each buyer: lessons 1 and 4 (the others test
        // fields these buyers do not have) went out.
        #expect(why.filter { $0.hasPrefix("sequence.seq-brew-school: ") }.count == 3)
        #expect(delivered.filter { $0.kind == "send-email" && $0.details.canonicalText.contains("Brew School") }.count == 3 * 2)
        #expect(entered.allSatisfy { $0.contains(#""event":"payment.succeeded""#) || $0.contains("payment.succeeded") })
        #expect(delivered.contains { $0.kind == "send-email" })
        #expect(delivered.allSatisfy { $0.isExternal && $0.idempotencyKey != nil })
    }

    @Test("The contract shim is gone once the real API exists")
    func shimIsTemporary() throws {
        let shim = EngineExampleTests.root.appendingPathComponent("Docs/Examples/ContractShim.swift").path
        guard FileManager.default.fileExists(atPath: shim) else { return }
        let engineSources = EngineExampleTests.root.appendingPathComponent("Sources").path
        let files = FileManager.default.enumerator(atPath: engineSources)?.compactMap { $0 as? String } ?? []
        let real = try files.filter { $0.hasSuffix(".swift") }.contains {
            try String(contentsOfFile: engineSources + "/" + $0, encoding: .utf8).contains("public actor WorkflowRuntime")
        }
        #expect(!real, "WorkflowRuntime now exists in Sources: delete Docs/Examples/ContractShim.swift and Tools/AppCheck/Sources/MyApp/ContractShim.swift")
    }
}

@Suite("Docs: the doc comments' samples run")
struct DocCommentExampleTests {
    @Test("DisplayText's sample gives what its comments say")
    func displayText() {
        #expect(displayTextDocSample() == [#"id\nerror: forged"#, #"\u{1B}[31mred"#])
    }

    @Test("JSONObjectReader's sample reads the id, defaults the quantity and refuses an unknown member")
    func jsonObjectReader() throws {
        let read = try jsonObjectReaderDocSample(value: .object(["id": .string("o-1")]))
        #expect(read.id == "o-1" && read.quantity == 1)
        #expect(throws: JSONError.self) { try jsonObjectReaderDocSample(value: .object(["id": .string("o-1"), "extra": .bool(true)])) }
    }

    @Test("LegacyCompiler's and Engine's samples run on the hand-made account")
    func compilerAndEngine() throws {
        let output = legacyCompilerDocSample(account: handMadeAccount())
        #expect(output.workflow.id == "action-set.as-welcome")
        let first = try Event.load(Array(#"{"id":"e-1","type":"payment.succeeded","occurredAt":"2025-03-03T09:15:00Z","contact":{"firstName":"Dana","lastName":"W","email":"dana@example.com"},"order":{"id":"o-1","source":"cart","lines":[{"product":"p-1","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":100,"currency":"USD"}}}"#.utf8))
        let engine = try engineDocSample(account: handMadeAccount(), first: first)
        #expect(engine.log.contains { $0.status == .entered && $0.workflowID == "slot.successful-purchase" })
    }
}
