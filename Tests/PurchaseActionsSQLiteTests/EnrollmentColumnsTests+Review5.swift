import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Review 5, findings 3 to 8: what the check counts as set aside before, a bad `updated_at`, the
/// listing of a row whose columns disagree with its JSON, and the two ways `--restore` could run
/// an enrollment's steps twice.
extension EnrollmentColumnsTests {
    /// An object's members (none for another value).
    static func members(_ value: JSONValue?) -> [String: JSONValue] {
        if case .object(let members)? = value { return members }
        return [:]
    }

    // MARK: Finding 3: set aside before means the store's own message

    @Test("A row edited to look set aside (exited, no wake-up, an error not the store's) while its JSON waits: the check sets it aside, and --restore puts it back")
    func lookalikeSetAside() async throws {
        let (store, _) = try await Self.scene("UPDATE enrollment SET state = 'exited', wake_at = NULL, error = 'x' WHERE id = 'e-1'")
        let dry = try store.checkEnrollments(dryRun: true)
        #expect(dry.setAsideBefore == 0)
        #expect(dry.findings == [.init(enrollmentID: "e-1", kind: "columnMismatch", problem: "column state is 'exited', its JSON says 'waiting'")])
        #expect(try store.checkEnrollments(dryRun: false).findings.map(\.enrollmentID) == ["e-1"])
        try Self.expectMismatch(store, column: "state")
        #expect(try store.checkEnrollments(dryRun: true).setAsideBefore == 1, "now the store's own")
        _ = try #require(try store.restoreEnrollment(id: "e-1", dryRun: false))
        try await DurableRuntime(store: try SQLiteStore(path: store.path)).advance(to: Self.fourDays)
        #expect(try store.outbox(dead: false).count == 3, "e-1 runs again")
    }

    @Test("Set aside before: the store's message for this very id (another id's, or its text cut short, is not)")
    func setAsideMessage() {
        let message = SQLiteEnrollmentStore.quarantineMessage(id: "e-1", problem: .unreadable("$: x"))
        #expect(SQLiteEnrollmentStore.isSetAsideMessage(message, id: "e-1"))
        #expect(!SQLiteEnrollmentStore.isSetAsideMessage(message, id: "e-10"))
        #expect(!SQLiteEnrollmentStore.isSetAsideMessage(String(message.prefix(60)), id: "e-1"))
        #expect(!SQLiteEnrollmentStore.isSetAsideMessage("x", id: "e-1"))
    }

    // MARK: Finding 4: updated_at not a time

    @Test("updated_at not a time: the listing shows that row as an error and the others as they are; the check finds it and stamps the stored clock; it runs")
    func updatedAtNotATime() async throws {
        let (store, runtime) = try await Self.scene("UPDATE enrollment SET updated_at = 'x' WHERE id = 'e-2'")
        let listed = try store.enrollments(EnrollmentQuery())
        #expect(listed.map(\.enrollment.id) == ["e-1", "e-2", "e-3"])
        #expect(listed.map { $0.error == nil } == [true, false, true])
        #expect(listed[1].error?.contains("has the updated_at 'x', not a time in milliseconds") == true, "\(String(describing: listed[1].error))")
        #expect(listed[1].error?.contains("enrollments --check stamps the column") == true)
        #expect(listed[1].enrollment.wakeAt == Self.threeDays, "as its JSON says")
        #expect(listed[1].updatedAt == Instant(millisecondsSinceEpoch: 0))
        let dry = try store.checkEnrollments(dryRun: true)
        #expect(dry.findings == [.init(enrollmentID: "e-2", kind: "unreadableUpdatedAt", problem: "column updated_at is 'x', not a time in milliseconds")])
        #expect(dry.findings.first?.setsAside == false && dry.checked == 3)
        #expect(try store.enrollments(EnrollmentQuery())[1].error != nil, "a dry run changes nothing")
        #expect(try store.checkEnrollments(dryRun: false).findings.map(\.enrollmentID) == ["e-2"])
        let after = try store.enrollments(EnrollmentQuery())
        #expect(after.allSatisfy { $0.error == nil })
        #expect(after[1].updatedAt == StoreFixture.start, "stamped with the stored clock")
        #expect(try Self.row(store, "e-2").state == "waiting", "not set aside")
        #expect(try store.log(LogQuery(status: .error)).isEmpty)
        #expect(try store.checkEnrollments(dryRun: true).findings.isEmpty)
        try await runtime.advance(to: Self.fourDays)
        #expect(try store.outbox(dead: false).count == 3)
    }

    @Test("updated_at not a time on a row set aside before: counted as set aside before and stamped")
    func updatedAtOnASetAsideRow() async throws {
        let (store, _) = try await Self.scene("")
        try Self.setAsideByHand("e-1", in: store)
        try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE enrollment SET updated_at = 1.5 WHERE id = 'e-1'") }
        let check = try store.checkEnrollments(dryRun: false)
        #expect(check.setAsideBefore == 1)
        #expect(check.findings.map(\.kind) == ["unreadableUpdatedAt"])
        #expect(check.findings.first?.problem == "column updated_at is '1.5', not a time in milliseconds")
        #expect(try store.enrollments(EnrollmentQuery(state: .error)).first?.updatedAt == StoreFixture.start)
    }

    // MARK: Finding 5: listed under its row's id

    @Test("A row holding another enrollment's JSON: listed under its own id and contact (what the filters match), and found by its contact")
    func listedUnderItsColumns() async throws {
        let (store, _) = try await Self.scene("UPDATE enrollment SET json = (SELECT json FROM enrollment WHERE id = 'e-3') WHERE id = 'e-2'")
        for check in [false, true] {
            if check { #expect(try store.checkEnrollments(dryRun: false).findings.map(\.enrollmentID) == ["e-2"]) }
            let listed = try store.enrollments(EnrollmentQuery())
            #expect(listed.map { "\($0.enrollment.id) \($0.enrollment.contactID)" } == ["e-1 c-1", "e-2 c-2", "e-3 c-3"], "checked: \(check)")
            #expect(listed[1].error?.contains("the stored enrollment 'e-2' disagrees with its row's columns (column id is 'e-2', its JSON says 'e-3')") == true)
            let mine = try store.enrollments(EnrollmentQuery(contactID: "c-2"))
            #expect(mine.map { "\($0.enrollment.id) \($0.enrollment.contactID)" } == ["e-2 c-2"])
        }
    }

    @Test("The error record of a row set aside for a column is filed under its JSON's workflow, version and contact (the columns under why.columns); under the columns when its JSON names another enrollment")
    func recordFiledUnderTheJSON() async throws {
        let (store, _) = try await Self.scene(
            "UPDATE enrollment SET version = 7, contact_id = 'c-9' WHERE id = 'e-1'; UPDATE enrollment SET json = (SELECT json FROM enrollment WHERE id = 'e-3') WHERE id = 'e-2'")
        _ = try store.checkEnrollments(dryRun: false)
        let records = try store.log(LogQuery(status: .error)).map { Self.members($0.record) }
        #expect(records.count == 2)
        let first = records.first ?? [:], second = records.last ?? [:]
        #expect(first["enrollment"] == .string("e-1") && first["version"] == .integer(1) && first["contact"] == .string("c-1"), "\(first)")
        let columns = Self.members(Self.members(first["why"])["columns"])
        #expect(columns["version"] == .integer(7) && columns["contact_id"] == .string("c-9"), "\(columns)")
        #expect(second["enrollment"] == .string("e-2") && second["contact"] == .string("c-2"), "\(second)")
        #expect(try store.log(LogQuery(contactID: "c-1", status: .error)).count == 1, "found under the enrollment's contact")
    }

    // MARK: Finding 7: an older JSON

    @Test("An older JSON put back: --restore refuses it (dry run too) while the log shows more actions than its performed; at equal counts it goes back; --force puts it back with a warning, and its email is not sent twice")
    func restoreBehindTheLog() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(extraStep: true)])
        try await DurableRuntime(store: store).ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        let older = try #require(try Self.row(store).json)
        #expect(older.contains("\"performed\":1"), "the tag")
        // The log shows 1 action, its JSON 1: put back as it is.
        try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE enrollment SET wake_at = NULL WHERE id = 'e-1'") }
        #expect(try store.checkEnrollments(dryRun: false).findings.count == 1)
        #expect(try #require(try store.restoreEnrollment(id: "e-1", dryRun: false)).warnings.isEmpty)
        try await DurableRuntime(store: try SQLiteStore(path: store.path)).advance(to: Self.fourDays)
        #expect(try Self.row(store).state == "finished")
        #expect(try store.outbox(dead: false).count == 1)

        // Its older JSON put back by hand (2 actions logged, 1 performed): set aside, and refused.
        try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE enrollment SET json = ? WHERE id = 'e-1'", arguments: [older]) }
        #expect(try store.checkEnrollments(dryRun: false).findings.map(\.enrollmentID) == ["e-1"])
        for dryRun in [true, false] {
            let refusal = #expect(throws: StoreError.self) { _ = try store.restoreEnrollment(id: "e-1", dryRun: dryRun) }
            #expect(refusal?.code == .invalidEnrollment)
            let message = refusal?.message ?? ""
            #expect(message.contains("the stored json of enrollment 'e-1' is behind its log: the log shows 2 actions it performed, its json 1"), "\(message)")
            #expect(message.contains("is not sent again") && message.hasSuffix("or give --force to put it back anyway"), "\(message)")
        }
        #expect(try Self.row(store).state == "exited", "nothing changed")
        let dry = try #require(try store.restoreEnrollment(id: "e-1", dryRun: true, force: true))
        #expect(dry.warnings.count == 1 && dry.warnings.first?.contains("is behind its log") == true)
        #expect(try Self.row(store).state == "exited", "a dry run changes nothing")
        let forced = try #require(try store.restoreEnrollment(id: "e-1", dryRun: false, force: true))
        #expect(forced.warnings == dry.warnings)
        #expect(try Self.row(store).state == "waiting")
        // Its steps run again: the email's key is the one it had (sent once), the log shows it twice.
        try await DurableRuntime(store: try SQLiteStore(path: store.path)).advance(to: Self.fourDays.adding(seconds: 86_400))
        #expect(try store.outbox(dead: false).count == 1, "not sent twice")
        let mails = try store.log(LogQuery(status: .completed)).filter { $0.record.compactText.contains("send email") }
        #expect(mails.count == 2)
    }

    // MARK: Finding 8: two copies of one workflow

    @Test("The contact entered again while its enrollment was set aside: in a workflow without re-entry --restore refuses (dry run too) naming the other, --force puts it back with a warning; with re-entry both run, no refusal",
          arguments: [false, true])
    func restoreWhileAnotherRuns(allowReentry: Bool) async throws {
        var workflow = StoreFixture.waitThenMail()
        workflow.settings.allowReentry = allowReentry
        let store = try StoreFixture.store([workflow])
        try await DurableRuntime(store: store).ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE enrollment SET version = 2 WHERE id = 'e-1'") }
        let runtime = try DurableRuntime(store: try SQLiteStore(path: store.path))
        // The contact's events: the first reads e-1 and sets it aside; the contact enters again.
        try await runtime.ingest(StoreFixture.tagged("ev-2", at: StoreFixture.start.adding(seconds: 3_600), contact: "c-1"))
        try await runtime.ingest(StoreFixture.tagged("ev-3", at: StoreFixture.start.adding(seconds: 7_200), contact: "c-1"))
        #expect(try Self.row(store).state == "exited")
        let others = try store.enrollments(EnrollmentQuery(contactID: "c-1", state: .waiting)).map(\.enrollment.id)
        #expect(allowReentry ? others == ["e-2", "e-3"] : others == ["e-2"], "\(others)")
        guard !allowReentry else {
            #expect(try #require(try store.restoreEnrollment(id: "e-1", dryRun: false)).warnings.isEmpty)
            return
        }
        for dryRun in [true, false] {
            let refusal = #expect(throws: StoreError.self) { _ = try store.restoreEnrollment(id: "e-1", dryRun: dryRun) }
            #expect(refusal?.code == .invalidEnrollment)
            let message = refusal?.message ?? ""
            #expect(message.contains("the contact 'c-1' of enrollment 'e-1' has another running enrollment in workflow 'w' (e-2), whose version does not allow re-entry"), "\(message)")
            #expect(message.hasSuffix("or give --force to put it back anyway (both run)"), "\(message)")
        }
        #expect(try Self.row(store).state == "exited", "nothing changed")
        let forced = try #require(try store.restoreEnrollment(id: "e-1", dryRun: false, force: true))
        #expect(forced.warnings.count == 1 && forced.warnings.first?.contains("(e-2)") == true)
        try await DurableRuntime(store: try SQLiteStore(path: store.path)).advance(to: Self.fourDays)
        #expect(try store.outbox(dead: false).count == 2, "both run, as --force said")
    }

    @Test("An ended enrollment put back is never refused for another running one (it does not run)")
    func restoreEndedWhileAnotherRuns() async throws {
        var workflow = StoreFixture.waitThenMail()
        workflow.settings.allowReentry = false
        let store = try StoreFixture.store([workflow])
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        try await runtime.advance(to: Self.fourDays)
        try await runtime.ingest(StoreFixture.tagged("ev-2", at: Self.fourDays, contact: "c-1"))
        try StoreFixture.execute(store) { db in try db.execute(sql: "UPDATE enrollment SET contact_id = 'c-7' WHERE id = 'e-1'") }
        #expect(try store.checkEnrollments(dryRun: false).findings.map(\.enrollmentID) == ["e-1"])
        #expect(try #require(try store.restoreEnrollment(id: "e-1", dryRun: false)).warnings.isEmpty)
    }

    @Test("The refusal names at most 10 other running enrollments: 10 all named, 11 the first 10 and 'and more'", arguments: [10, 11])
    func alsoRunningShown(count: Int) async throws {
        #expect(SQLiteStore.alsoRunningShown == 10)
        var workflow = StoreFixture.waitThenMail()
        workflow.settings.allowReentry = false
        let store = try StoreFixture.store([workflow])
        try await DurableRuntime(store: store).ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        try StoreFixture.execute(store) { db in
            for number in 100..<(100 + count) {
                try db.execute(
                    sql: """
                        INSERT INTO enrollment (sequence, id, workflow_id, version, contact_id, state, wake_at, updated_at, json)
                        SELECT ?, ?, workflow_id, version, contact_id, state, wake_at, updated_at, json FROM enrollment WHERE id = 'e-1'
                        """, arguments: [number, "e-\(number)"])
            }
        }
        try Self.setAsideByHand("e-1", in: store)
        let refusal = #expect(throws: StoreError.self) { _ = try store.restoreEnrollment(id: "e-1", dryRun: true) }
        let named = (100..<110).map { "e-\($0)" }.joined(separator: ", ")
        let message = refusal?.message ?? ""
        #expect(message.contains("(\(named)\(count > 10 ? " and more" : ""))"), "\(message)")
        #expect(!message.contains("e-110"))
    }
}
