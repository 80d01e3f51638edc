import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// An invoice's engine enrollment (`DunningInvoice.enrollment`, `DunningProcess.attach`): kept in
/// the stored form only once attached, reported as a change, restored.
@Suite struct DunningEnrollmentTests {
    typealias D = Dunning

    static func process() -> DunningProcess {
        var process = DunningProcess(policy: D.policy(), calendar: D.utc)
        _ = process.ingest(D.failed("inv-1", attempt: 2, at: D.at(days: 1), card: "card-1"))
        _ = process.ingest(D.failed("inv-2", attempt: 2, at: D.at(days: 1, hours: 1), card: "card-2", contact: "c-2"))
        _ = process.takeChangedInvoices()
        return process
    }

    @Test("attaching an enrollment sets it on the invoice and reports the invoice changed, once")
    func attachMarksChanged() {
        var process = Self.process()
        #expect(process.invoice("inv-1")?.enrollment == nil)
        let attached1 = process.attach(enrollment: "enr-7", toInvoice: "inv-1")
        #expect(attached1)
        #expect(process.invoice("inv-1")?.enrollment == "enr-7")
        #expect(process.invoice("inv-2")?.enrollment == nil)
        let changed = process.takeChangedInvoices()
        #expect(changed.map(\.id) == ["inv-1"])
        #expect(changed.first?.enrollment == "enr-7")
        // The same id again: nothing changed.
        let attached2 = process.attach(enrollment: "enr-7", toInvoice: "inv-1")
        #expect(attached2)
        #expect(process.takeChangedInvoices().isEmpty)
        // Another id replaces it.
        let attached3 = process.attach(enrollment: "enr-8", toInvoice: "inv-1")
        #expect(attached3)
        #expect(process.takeChangedInvoices().map(\.enrollment) == ["enr-8"])
    }

    @Test("an unknown invoice: false, nothing changed")
    func unknownInvoice() {
        var process = Self.process()
        let attached4 = process.attach(enrollment: "enr-1", toInvoice: "inv-9")
        #expect(!attached4)
        #expect(process.takeChangedInvoices().isEmpty)
        #expect(process.allInvoices.allSatisfy { $0.enrollment == nil })
    }

    @Test("the stored form has \"enrollment\" only once attached; it reads back, and a form without it reads as nil")
    func storedForm() throws {
        var process = Self.process()
        let before = try #require(process.invoice("inv-1"))
        guard case .object(let plain) = before.storageJSON else { throw DunningError("test", "not an object") }
        #expect(plain["enrollment"] == nil)
        #expect(try DunningInvoice(storageJSON: before.storageJSON).enrollment == nil)

        process.attach(enrollment: "enr-7", toInvoice: "inv-1")
        let after = try #require(process.invoice("inv-1"))
        guard case .object(let members) = after.storageJSON else { throw DunningError("test", "not an object") }
        #expect(members["enrollment"] == .string("enr-7"))
        let read = try DunningInvoice(storageJSON: after.storageJSON)
        #expect(read == after)
        #expect(read.storageJSON.compactText == after.storageJSON.compactText)

        // A restored process keeps it.
        let restored = try DunningProcess(policy: D.policy(), calendar: D.utc, restoring: process.allInvoices, ledger: process.sharedLedger)
        #expect(restored.invoice("inv-1")?.enrollment == "enr-7")
        #expect(restored.invoice("inv-2")?.enrollment == nil)
    }

    @Test("a stored enrollment that is not text is refused at its path")
    func storedNotText() throws {
        let invoice = try #require(Self.process().invoice("inv-1"))
        guard case .object(var members) = invoice.storageJSON else { throw DunningError("test", "not an object") }
        members["enrollment"] = .integer(7)
        let error = try #require(throws: DunningError.self) { try DunningInvoice(storageJSON: .object(members)) }
        #expect(error.code == "invalid-stored-invoice")
        #expect(error.path?.description == "$.enrollment")
    }
}
