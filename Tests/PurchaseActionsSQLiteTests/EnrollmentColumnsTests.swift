import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Issue 13: a row whose indexed columns (state, wake_at, version, workflow_id, contact_id, id,
/// sequence) disagree with its JSON is set aside where it is read, and found by
/// `checkEnrollments` when nothing reads it; a set-aside enrollment can be put back.
@Suite("Enrollment rows whose columns disagree with their JSON; putting a set-aside enrollment back")
struct EnrollmentColumnsTests {
    /// Three contacts enrolled (`e-1`, `e-2`, `e-3`), each waiting three days; then `sql` run on the file.
    static func scene(_ sql: String) async throws -> (SQLiteStore, DurableRuntime) {
        let store = try StoreFixture.store()
        let first = try DurableRuntime(store: store)
        for (number, contact) in ["c-1", "c-2", "c-3"].enumerated() {
            try await first.ingest(StoreFixture.tagged("ev-\(number)", at: StoreFixture.start, contact: contact))
        }
        if !sql.isEmpty { try StoreFixture.execute(store) { db in try db.execute(sql: sql) } }
        return (store, try DurableRuntime(store: try SQLiteStore(path: store.path)))
    }

    static let threeDays = StoreFixture.start.adding(seconds: 3 * 86_400)
    static let fourDays = StoreFixture.start.adding(seconds: 4 * 86_400)

    /// e-1's row: state, wake_at, error, json.
    static func row(_ store: SQLiteStore, _ id: String = "e-1") throws -> (state: String?, wakeAt: Int64?, error: String?, json: String?) {
        try store.read("check") { db in
            let row = try Row.fetchOne(db, sql: "SELECT state, wake_at, error, json FROM enrollment WHERE id = ?", arguments: [id])
            return (row?["state"], row?["wake_at"], row?["error"], row?["json"])
        }
    }

    /// The single `error` record's JSON, checked to name e-1 and `column` in `why.columnMismatch`.
    static func expectMismatch(_ store: SQLiteStore, column: String, _ what: String = "") throws {
        let records = try store.log(LogQuery(status: .error))
        #expect(records.count == 1, "one error record: \(what)")
        let text = records.first?.record.compactText ?? ""
        #expect(text.contains("\"enrollment\":\"e-1\"") && text.contains("\"cause\":\"store\""), "\(text)")
        #expect(text.contains("\"columnMismatch\":\"column \(column) is "), "names the column: \(text)")
        #expect(text.contains("\"columns\":{") && text.contains("--restore e-1"), "keeps the columns before, says what to do: \(text)")
        let row = try Self.row(store)
        #expect(row.state == "exited" && row.wakeAt == nil, "\(what)")
        #expect(row.error?.contains("column \(column) is ") == true, "\(String(describing: row.error))")
        #expect(row.json?.contains("\"kind\":\"waiting\"") == true, "the JSON is kept as it was")
    }

    /// Marks `id`'s row as the store sets one aside (exited, no wake-up, the store's message),
    /// its JSON left waiting.
    static func setAsideByHand(_ id: String, in store: SQLiteStore) throws {
        let message = SQLiteEnrollmentStore.quarantineMessage(id: id, problem: .mismatch("column state is 'exited', its JSON says 'waiting'"))
        try StoreFixture.execute(store) { db in
            try db.execute(sql: "UPDATE enrollment SET state = 'exited', wake_at = NULL, error = ? WHERE id = ?", arguments: [message, id])
        }
    }

    // MARK: Met where the row is read

    @Test("wake_at earlier than the JSON's: the wake-up reads the row and sets it aside; nothing is sent early, the others fire")
    func wakeAtEarlier() async throws {
        let early = StoreFixture.start.adding(seconds: 86_400).millisecondsSinceEpoch
        let (store, runtime) = try await Self.scene("UPDATE enrollment SET wake_at = \(early) WHERE id = 'e-1'")
        try await runtime.advance(to: StoreFixture.start.adding(seconds: 2 * 86_400))
        try Self.expectMismatch(store, column: "wake_at")
        #expect(try store.outbox(dead: false).isEmpty, "nothing sent early")
        let records = try await runtime.advance(to: Self.fourDays)
        #expect(records.filter { $0.status == .finished }.compactMap(\.contactID) == ["c-2", "c-3"])
        #expect(try store.log(LogQuery(status: .error)).count == 1, "set aside once")
    }

    @Test("state 'finished' while the JSON waits (its wake-up kept): the wake-up sets it aside naming state")
    func stateColumn() async throws {
        let (store, runtime) = try await Self.scene("UPDATE enrollment SET state = 'finished' WHERE id = 'e-1'")
        try await runtime.advance(to: Self.fourDays)
        try Self.expectMismatch(store, column: "state")
        #expect(try store.outbox(dead: false).count == 2)
    }

    @Test("version, workflow_id, contact_id, id or sequence changed: the contact's next event reads the row and sets it aside naming the column",
          arguments: [
            ("version", "UPDATE enrollment SET version = 2 WHERE id = 'e-1'", "c-1"),
            ("workflow_id", "UPDATE enrollment SET workflow_id = 'other' WHERE id = 'e-1'", "c-1"),
            ("contact_id", "UPDATE enrollment SET contact_id = 'c-2' WHERE id = 'e-1'", "c-2"),
            ("id", "UPDATE enrollment SET json = replace(json, '\"id\":\"e-1\"', '\"id\":\"e-9\"') WHERE id = 'e-1'", "c-1"),
            ("sequence", "UPDATE enrollment SET sequence = 7 WHERE id = 'e-1'", "c-1"),
          ])
    func columnsMetByAnEvent(_ column: String, _ sql: String, _ contact: String) async throws {
        let (store, runtime) = try await Self.scene(sql)
        let records = try await runtime.ingest(StoreFixture.tagged("ev-9", at: StoreFixture.start.adding(seconds: 3_600), contact: contact))
        #expect(records.contains { $0.status == .entered }, "the event goes on: \(records.map(\.json.compactText))")
        try Self.expectMismatch(store, column: column, column)
    }

    @Test("Read by id: a row agreeing with its JSON is returned; a disagreeing one set aside with one record; one set aside before gives nil and no record")
    func readByID() async throws {
        let (store, _) = try await Self.scene("UPDATE enrollment SET version = 3 WHERE id = 'e-1'")
        try Self.setAsideByHand("e-3", in: store)
        try store.write("read") { db in
            let context = TransactionContext()
            context.attach(db)
            defer { context.detach() }
            let quarantine = Quarantine()
            let port = SQLiteEnrollmentStore(context, quarantine: quarantine)
            #expect(port.enrollment(id: "e-2")?.contactID == "c-2")
            #expect(port.enrollment(id: "e-1") == nil)
            #expect(quarantine.records.count == 1)
            #expect(quarantine.records.first?.json.compactText.contains("column version is 3, its JSON says 1") == true)
            #expect(port.enrollment(id: "e-3") == nil, "set aside before (exited, no wake-up, an error): left as it is")
            #expect(port.enrollment(id: "e-1") == nil, "now set aside")
            #expect(quarantine.records.count == 1, "no second record")
            try context.check()
        }
    }

    // MARK: The check of every row

    @Test("wake_at NULL while the JSON waits: no wake-up reads it; the check finds it (a dry run changes nothing), then sets it aside once")
    func checkFindsAnUnreadRow() async throws {
        let (store, runtime) = try await Self.scene("UPDATE enrollment SET wake_at = NULL WHERE id = 'e-1'")
        try await runtime.advance(to: Self.fourDays)
        #expect(try store.log(LogQuery(status: .error)).isEmpty, "never read")
        #expect(try Self.row(store).state == "waiting")
        // Listed as an error before anything set it aside (as its JSON says: waiting).
        let listed = try #require(try store.enrollments(EnrollmentQuery()).first)
        #expect(listed.error?.contains("disagrees with its row's columns (column wake_at is NULL") == true, "\(String(describing: listed.error))")
        #expect(listed.enrollment.wakeAt == Self.threeDays)
        let dry = try store.checkEnrollments(dryRun: true)
        #expect(dry.checked == 3 && dry.setAsideBefore == 0 && dry.dryRun)
        #expect(dry.findings == [.init(enrollmentID: "e-1", kind: "columnMismatch", problem: "column wake_at is NULL, its JSON says 1735948800000 (2025-01-04T00:00:00Z)")])
        #expect(try Self.row(store).state == "waiting" && store.log(LogQuery(status: .error)).isEmpty, "a dry run changes nothing")
        let check = try store.checkEnrollments(dryRun: false)
        #expect(check.findings.map(\.enrollmentID) == ["e-1"])
        try Self.expectMismatch(store, column: "wake_at")
        let again = try store.checkEnrollments(dryRun: false)
        #expect(again.findings.isEmpty && again.setAsideBefore == 1 && again.checked == 3)
        #expect(try store.log(LogQuery(status: .error)).count == 1)
    }

    @Test("The check reads pages of rows: pages of 1 to 4 rows over 3 rows (a page one short, exact, one past) give the same findings", arguments: [1, 2, 3, 4])
    func checkPages(_ size: Int) async throws {
        let (store, _) = try await Self.scene("UPDATE enrollment SET json = 'not json' WHERE id = 'e-3'; UPDATE enrollment SET wake_at = 1 WHERE id = 'e-2'")
        let check = try store.checkEnrollments(dryRun: false, pageSize: size)
        #expect(check.checked == 3, "page size \(size)")
        #expect(check.findings.map(\.enrollmentID) == ["e-2", "e-3"], "page size \(size)")
        #expect(check.findings.map(\.kind) == ["columnMismatch", "unreadableEnrollment"])
        #expect(try store.log(LogQuery(status: .error)).map { $0.record.compactText.contains("\"enrollment\":\"e-2\"") } == [true, false])
    }

    @Test("The check pages hold at most 1,000 rows")
    func checkPageSize() {
        #expect(SQLiteStore.checkPageSize == 1_000)
    }

    @Test("migrate-enrollments leaves a row whose columns disagree with its JSON where it is (column-mismatch), and moves the others")
    func migrateLeavesAMismatch() async throws {
        let (store, _) = try await Self.scene("UPDATE enrollment SET wake_at = NULL WHERE id = 'e-1'")
        _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail(subject: "Changed")]), at: StoreFixture.start)
        let migration = try store.migrateEnrollments(workflowID: "w", to: 2, dryRun: false)
        #expect(migration.moved.map(\.enrollmentID) == ["e-2", "e-3"])
        #expect(migration.left.map(\.enrollmentID) == ["e-1"])
        #expect(migration.left.first?.reason.hasPrefix("column-mismatch: column wake_at is NULL, its JSON says ") == true, "\(migration.left)")
    }

    // MARK: Putting back

    @Test("An unreadable row set aside: --restore refuses while its JSON does not read; once fixed, a dry run changes nothing, then it runs again")
    func restoreUnreadable() async throws {
        let store = try StoreFixture.store()
        let first = try DurableRuntime(store: store)
        try await first.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        let good = try #require(try Self.row(store).json)
        let before = try Self.row(store)
        try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE enrollment SET json = 'not json' WHERE id = 'e-1'") }
        let runtime = try DurableRuntime(store: try SQLiteStore(path: store.path))
        try await runtime.advance(to: Self.threeDays)
        #expect(try Self.row(store).state == "exited")
        let log = try #require(try store.log(LogQuery(status: .error)).first).record.compactText
        #expect(log.contains("\"columns\":{\"contact_id\":\"c-1\",\"state\":\"waiting\",\"version\":1,\"wake_at\":\(before.wakeAt ?? 0),\"workflow_id\":\"w\"}"), "\(log)")
        let refusal = #expect(throws: StoreError.self) { _ = try store.restoreEnrollment(id: "e-1", dryRun: false) }
        #expect(refusal?.code == .invalidEnrollment, "\(String(describing: refusal))")
        #expect(refusal?.message.contains("still does not read back ($: ") == true && refusal?.message.contains("fix its json") == true, "\(String(describing: refusal))")
        try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE enrollment SET json = ? WHERE id = 'e-1'", arguments: [good]) }
        let dry = try #require(try store.restoreEnrollment(id: "e-1", dryRun: true))
        #expect(dry.dryRun && dry.enrollment.wakeAt == Self.threeDays)
        #expect(try Self.row(store).state == "exited", "a dry run changes nothing")
        let restored = try #require(try store.restoreEnrollment(id: "e-1", dryRun: false))
        #expect(!restored.dryRun)
        let after = try Self.row(store)
        #expect(after.state == "waiting" && after.wakeAt == before.wakeAt && after.error == nil && after.json == good)
        #expect(try store.log(LogQuery(status: .resumed)).first?.record.compactText.contains("--restore") == true)
        // It runs again, from its JSON.
        try await runtime.advance(to: Self.fourDays)
        #expect(try store.outbox(dead: false).count == 1, "its email is sent")
        #expect(try Self.row(store).state == "finished")
    }

    @Test("A row set aside for a column: --restore makes its columns again from its JSON (nothing to fix), and it runs")
    func restoreMismatch() async throws {
        let (store, runtime) = try await Self.scene("UPDATE enrollment SET wake_at = NULL WHERE id = 'e-1'")
        _ = try store.checkEnrollments(dryRun: false)
        _ = try #require(try store.restoreEnrollment(id: "e-1", dryRun: false))
        let row = try Self.row(store)
        #expect(row.state == "waiting" && row.wakeAt == Self.threeDays.millisecondsSinceEpoch && row.error == nil)
        #expect(try store.checkEnrollments(dryRun: true).findings.isEmpty, "the row agrees with its JSON again")
        try await runtime.advance(to: Self.fourDays)
        #expect(try store.outbox(dead: false).count == 3)
    }

    @Test("Two rows' sequences swapped: the check sets both aside; --restore refuses each (it would write over the other row) and changes nothing; put back once the sequences are")
    func restoreSwappedSequences() async throws {
        let (store, runtime) = try await Self.scene(
            "UPDATE enrollment SET sequence = 100 WHERE id = 'e-1'; UPDATE enrollment SET sequence = 1 WHERE id = 'e-2'; UPDATE enrollment SET sequence = 2 WHERE id = 'e-1'")
        let check = try store.checkEnrollments(dryRun: false)
        #expect(check.findings.map(\.enrollmentID).sorted() == ["e-1", "e-2"])
        let before = try [Self.row(store, "e-1"), Self.row(store, "e-2")].map(\.json)
        for dryRun in [true, false] {
            let refusal = #expect(throws: StoreError.self) { _ = try store.restoreEnrollment(id: "e-1", dryRun: dryRun) }
            #expect(refusal?.code == .invalidEnrollment)
            #expect(refusal?.message.contains("has the sequence 2, not the one its id gives: set it back to 1") == true, "\(String(describing: refusal?.message))")
        }
        #expect(try [Self.row(store, "e-1"), Self.row(store, "e-2")].map(\.json) == before, "no row written over")
        try StoreFixture.execute(store) { db in
            try db.execute(sql: "UPDATE enrollment SET sequence = 100 WHERE id = 'e-1'; UPDATE enrollment SET sequence = 2 WHERE id = 'e-2'; UPDATE enrollment SET sequence = 1 WHERE id = 'e-1'")
        }
        _ = try #require(try store.restoreEnrollment(id: "e-1", dryRun: false))
        _ = try #require(try store.restoreEnrollment(id: "e-2", dryRun: false))
        #expect(try store.checkEnrollments(dryRun: true).findings.isEmpty)
        try await runtime.advance(to: Self.fourDays)
        #expect(try store.outbox(dead: false).count == 3, "each of the three sends once")
    }

    @Test("The check reads a row at the lowest sequence (Int64.min) too")
    func checkReadsTheLowestSequence() async throws {
        let (store, _) = try await Self.scene("UPDATE enrollment SET sequence = -9223372036854775808 WHERE id = 'e-1'")
        let check = try store.checkEnrollments(dryRun: true)
        #expect(check.checked == 3)
        #expect(check.findings.map(\.enrollmentID) == ["e-1"])
    }

    @Test("--restore refuses: an enrollment not set aside, one the engine ended with an error, a version not stored; nil for no such id")
    func restoreRefusals() async throws {
        let (store, runtime) = try await Self.scene("UPDATE enrollment SET json = replace(json, '\"version\":1', '\"version\":7') WHERE id = 'e-1'")
        #expect(try store.restoreEnrollment(id: "e-99", dryRun: false) == nil)
        func refusal(_ id: String) -> String {
            do {
                _ = try store.restoreEnrollment(id: id, dryRun: false)
                return "restored"
            } catch {
                return error.code == .invalidEnrollment ? error.message : "\(error)"
            }
        }
        #expect(refusal("e-2").contains("was not set aside by the store (its state is 'waiting')"), "\(refusal("e-2"))")
        try await runtime.advance(to: Self.fourDays)
        // e-1: its version column (1) disagrees with its JSON (7): set aside; its JSON names a version not stored.
        #expect(refusal("e-1").contains("is on workflow 'w' version 7, which the database does not hold"), "\(refusal("e-1"))")
        // A row the engine ended with an error is not one the store set aside.
        try StoreFixture.execute(store) { db in
            try db.execute(sql: "UPDATE enrollment SET state = 'exited', error = 'the engine: bad' WHERE id = 'e-2'")
        }
        #expect(refusal("e-2").contains("it ended with an error: the engine: bad"), "\(refusal("e-2"))")
    }

    @Test("--restore takes at most 17 frames (calls nest 16 deep): 17 is put back, 18 refused")
    func restoreFrames() async throws {
        for (count, accepted) in [(Engine.callDepthLimit + 1, true), (Engine.callDepthLimit + 2, false)] {
            let (store, _) = try await Self.scene("")
            let json = try #require(try Self.row(store).json)
            let frame = "{\"position\":1,\"version\":1,\"workflowID\":\"w\"}"
            let frames = "\"frames\":[" + Array(repeating: frame, count: count).joined(separator: ",") + "]"
            let range = try #require(json.firstRange(of: /"frames":\[[^\]]*\]/))
            let edited = json.replacingCharacters(in: range, with: frames)
            try StoreFixture.execute(store) { db in
                try db.execute(sql: "UPDATE enrollment SET json = ?, state = 'exited', wake_at = NULL WHERE id = 'e-1'", arguments: [edited])
            }
            #expect(try store.checkEnrollments(dryRun: false).findings.map(\.enrollmentID) == ["e-1"])
            let result = Result { try store.restoreEnrollment(id: "e-1", dryRun: true) }
            switch result {
            case .success(let restored): #expect(accepted && restored?.enrollment.frames.count == count, "\(count)")
            case .failure(let error): #expect(!accepted && "\(error)".contains("has \(count) frames; calls nest at most 16 deep"), "\(count): \(error)")
            }
        }
    }

    // MARK: A NUL in the error

    @Test("enrollment.error keeps a message past a NUL byte, as the log does: set aside, and an error record of the engine")
    func errorWithNUL() async throws {
        let (store, _) = try await Self.scene("")
        let problem = SQLiteEnrollmentStore.Problem.unreadable("$.frames: a\u{0}b")
        try store.write("set aside") { db in
            let quarantine = Quarantine()
            try SQLiteEnrollmentStore.quarantine(id: "e-1", problem: problem, at: Self.fourDays, quarantine: quarantine, in: db)
            try SQLiteStore.appendLog(quarantine.take(), in: db)
        }
        let message = SQLiteEnrollmentStore.quarantineMessage(id: "e-1", problem: problem)
        #expect(message.contains("a\u{0}b"))
        let listed = try store.enrollments(EnrollmentQuery(state: .error))
        #expect(listed.first?.error == message, "\(String(describing: listed.first?.error))")
        #expect(try store.log(LogQuery(status: .error)).first?.record.compactText.contains("a\\u0000b") == true)
        // An engine's error record on an ended enrollment: noted whole on its row.
        try store.write("end") { db in try db.execute(sql: "UPDATE enrollment SET state = 'exited', wake_at = NULL WHERE id = 'e-2'") }
        let engineMessage = "step 'x' failed: \u{0}after the NUL"
        try store.write("log") { db in
            try SQLiteStore.appendLog([LogRecord(at: Self.fourDays, cause: "test", enrollmentID: "e-2", status: .error, message: engineMessage)], in: db)
        }
        let errors = try store.enrollments(EnrollmentQuery(state: .error))
        #expect(errors.map(\.error) == [message, engineMessage])
    }
}
