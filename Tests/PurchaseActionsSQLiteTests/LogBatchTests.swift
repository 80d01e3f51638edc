import Foundation
import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Schema 6 keeps the log in batches (a row per event and contact): the records read back, numbered
/// and filtered as schema 5's rows were; a schema 5 file migrates to the same text and counts;
/// rows edited by hand are errors naming the batch, never a trap.
@Suite("The log in batches (schema 6)")
struct LogBatchTests {
    static let at = StoreFixture.at("2025-03-04T05:06:07.089Z")

    /// A record of contact `contact` (or none) in workflow `workflow` (or none).
    static func record(_ contact: String?, _ workflow: String? = "w", _ status: LogRecord.Status = .completed, seconds: Int64 = 0, effect: String? = nil) -> LogRecord {
        LogRecord(
            at: at.adding(.seconds(seconds)), cause: "e", workflowID: workflow, version: workflow == nil ? nil : 1, contactID: contact, status: status,
            effect: effect.map { Effect(kind: $0, details: .object(["n": .integer(1)]), isExternal: false) }, message: "m")
    }

    /// The batches' rows: `(sequence, count, contact_id)`, in order.
    static func batches(_ store: SQLiteStore) throws -> [[String]] {
        try store.read("batches") { db in
            try Row.fetchAll(db, sql: "SELECT sequence, count, coalesce(contact_id, '-') FROM log_batch ORDER BY sequence").map { row in
                [String(row[0] as Int64), String(row[1] as Int64), row[2] as String]
            }
        }
    }

    /// Every query a log reader makes, over the records `all` (numbered from 1), by the rules of schema 5's SQL.
    static func expectQueriesMatch(_ store: SQLiteStore, _ all: [LogRecord]) throws {
        let numbered = all.enumerated().map { (Int64($0.offset + 1), $0.element) }
        let contacts: [String?] = [nil] + Set(all.compactMap(\.contactID)).sorted().map { $0 } + ["nobody"]
        let workflows: [String?] = [nil] + Set(all.compactMap(\.workflowID)).sorted().map { $0 }
        let statuses: [LogRecord.Status?] = [nil, .completed, .entered, .error]
        let sinces: [Instant?] = [nil, at.adding(.seconds(2)), at.adding(.seconds(100))]
        for contact in contacts {
            for workflow in workflows {
                for status in statuses {
                    for since in sinces {
                        let matching = numbered.filter { _, record in
                            (contact == nil || record.contactID == contact) && (workflow == nil || record.workflowID == workflow)
                                && (status == nil || record.status == status) && (since.map { record.at >= $0 } ?? true)
                        }
                        for limit in [nil, 0, 1, 3, 1_000] as [Int?] {
                            let query = LogQuery(contactID: contact, workflowID: workflow, status: status, since: since, limit: limit)
                            let expected = limit.map { Array(matching.suffix($0)) } ?? matching
                            let got = try store.log(query)
                            #expect(got.map(\.sequence) == expected.map(\.0), "\(query)")
                            #expect(got.map(\.record) == expected.map(\.1.json), "\(query)")
                        }
                    }
                }
            }
        }
    }

    @Test("One event's records of one contact are one row; a new contact, a new event, or the batch limit starts the next; numbers run on")
    func batching() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let first = [Self.record("c-1"), Self.record("c-1", seconds: 3), Self.record(nil, nil), Self.record(nil, "v"), Self.record("c-2"), Self.record("c-1")]
        let second = [Self.record("c-1", "w", .entered), Self.record("c-1", "w", .finished)]
        try store.queue.write { db in
            try SQLiteStore.appendLog(first, in: db)
            try SQLiteStore.appendLog(second, in: db)
        }
        #expect(try Self.batches(store) == [["1", "2", "c-1"], ["3", "2", "-"], ["5", "1", "c-2"], ["6", "1", "c-1"], ["7", "2", "c-1"]])
        try Self.expectQueriesMatch(store, first + second)
        // One past the limit: two batches.
        let long = (0...SQLiteStore.logBatchLimit).map { Self.record("c-3", seconds: Int64($0 % 5)) }
        try store.queue.write { db in try SQLiteStore.appendLog(long, in: db) }
        let limit = SQLiteStore.logBatchLimit
        #expect(try Self.batches(store).suffix(2) == [["9", String(limit), "c-3"], [String(9 + limit), "1", "c-3"]])
        #expect(try store.log(LogQuery(contactID: "c-3")).map(\.sequence) == Array(9...Int64(9 + limit)))
        #expect(try store.log(LogQuery(contactID: "c-3", limit: 2)).map(\.sequence) == [Int64(8 + limit), Int64(9 + limit)])
    }

    @Test("Every query (contact, workflow, status, since, limit) returns what schema 5's SQL returned, over mixed batches")
    func queries() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        var all: [LogRecord] = []
        for event in 0..<6 {
            let contact = "c-\(event % 3)"
            let records = [
                Self.record(contact, "w", .entered, seconds: Int64(event)), Self.record(contact, "w", .completed, seconds: Int64(event), effect: "add-tag"),
                Self.record(contact, "v", .error, seconds: Int64(5 - event)), Self.record(nil, nil, .duplicate, seconds: Int64(event)),
                Self.record("c-9", "w", .finished, seconds: 1, effect: "send-email"),
            ]
            try store.queue.write { db in try SQLiteStore.appendLog(records, in: db) }
            all += records
        }
        try Self.expectQueriesMatch(store, all)
        let stats = try store.stats()
        #expect(stats.map(\.workflowID) == ["v", "w"])
        #expect(stats.first { $0.workflowID == "w" }.map { [$0.entered, $0.completed, $0.errors, $0.effectsByKind["add-tag"] ?? -1, $0.effectsByKind["send-email"] ?? -1] } == [6, 6, 0, 6, 6])
        #expect(stats.first { $0.workflowID == "v" }.map { [$0.entered, $0.errors, $0.effectsByKind.count] } == [0, 6, 0])
    }

    @Test("Pruning removes whole batches all older than the cut (one straddling it is kept whole), counts records, and numbers go on after the whole log is pruned")
    func pruning() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        try store.queue.write { db in
            try SQLiteStore.appendLog([Self.record("c-1", "w", .finished, seconds: 0), Self.record("c-1", "w", .finished, seconds: 1)], in: db)
            try SQLiteStore.appendLog([Self.record("c-2", "w", .finished, seconds: 0), Self.record("c-2", "w", .finished, seconds: 10)], in: db)
        }
        let result = try store.prune(before: Self.at.adding(.seconds(5)))
        #expect(result.logRows == 2)
        #expect(try store.log(LogQuery()).map(\.sequence) == [3, 4])
        #expect(try store.stats().first?.completed == 2)
        #expect(try store.read("counts") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM log_workflow") } == 1)
        #expect(try store.prune(before: Self.at.adding(.seconds(60))).logRows == 2)
        #expect(try store.log(LogQuery()).isEmpty)
        #expect(try store.stats().first?.completed ?? 0 == 0)
        try store.queue.write { db in try SQLiteStore.appendLog([Self.record("c-1")], in: db) }
        #expect(try store.log(LogQuery()).map(\.sequence) == [5])
    }

    @Test("Hostile text of every kind, written in batches of one contact, reads back as compactText")
    func hostileInBatches() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let records = LogColumnsTests.records()
        // Grouped by contact in runs, so batches hold many hostile records.
        let sorted = records.sorted { ($0.contactID ?? "") < ($1.contactID ?? "") }
        try store.queue.write { db in try SQLiteStore.appendLog(sorted, in: db) }
        #expect(try Self.batches(store).count < sorted.count)
        #expect(try LogColumnsTests.storedText(store) == sorted.map(\.json.compactText))
        #expect(try store.log(LogQuery()).map(\.record) == sorted.map(\.json))
        try Self.expectQueriesMatch(store, sorted)
    }

    /// Writes `records` as schema 5's `appendLog` wrote them, into a file made by the first five migrations.
    static func schema5File(_ records: [LogRecord]) throws -> String {
        let path = StoreFixture.temporaryPath()
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue, upTo: "v5-log-columns")
        try queue.write { db in
            #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 5)
            for record in records {
                let parts = record.parts
                let effect = parts.effect
                var row = RowBinding(
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO log (at, contact_id, workflow_id, status, effect_kind, cause, version, enrollment_id, step_id, message, why,
                                effect_key, effect_deliver_at, effect_details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """))
                row.bind(parts.at.millisecondsSinceEpoch, 1)
                row.bind(parts.contactID, 2)
                row.bind(parts.workflowID, 3)
                row.bind(parts.status.rawValue, 4)
                row.bind(effect?.kind, 5)
                row.bind(parts.cause, 6)
                row.bind(parts.version, 7)
                row.bind(parts.enrollmentID, 8)
                row.bind(parts.stepID, 9)
                row.bind(parts.message, 10)
                row.bind(parts.whyText, 11)
                row.bind(effect?.idempotencyKey, 12)
                row.bind(effect?.deliverAt?.millisecondsSinceEpoch, 13)
                row.bind(effect.map(\.compactDetailsText), 14)
                try row.execute()
            }
        }
        return path
    }

    /// `stats` as schema 5 counted it: `(workflow, entered, completed, exited, errors, effects)`.
    static func schema5Stats(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var lines: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT workflow_id, status, count(*) FROM log WHERE workflow_id IS NOT NULL GROUP BY workflow_id, status ORDER BY 1, 2") {
                lines.append("\(row[0] as String) \(row[1] as String) \(row[2] as Int)")
            }
            for row in try Row.fetchAll(db, sql: "SELECT workflow_id, effect_kind, count(*) FROM log WHERE workflow_id IS NOT NULL AND effect_kind IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2") {
                lines.append("\(row[0] as String) effect \(row[1] as String) \(row[2] as Int)")
            }
            return lines
        }
    }

    /// `stats` in the lines of ``schema5Stats(_:)``.
    static func statsLines(_ store: SQLiteStore) throws -> [String] {
        var lines: [String] = []
        var effects: [String] = []
        for stats in try store.stats() {
            for (status, count) in [("entered", stats.entered), ("error", stats.errors), ("exited", stats.exited), ("finished", stats.completed)] where count > 0 {
                lines.append("\(stats.workflowID) \(status) \(count)")
            }
            for (kind, count) in stats.effectsByKind.sorted(by: { $0.key < $1.key }) { effects.append("\(stats.workflowID) effect \(kind) \(count)") }
        }
        return lines + effects
    }

    @Test("A schema 5 file migrates in one go: every record's text, number, query result and the stats are the same as before, and new records follow")
    func migratesSchema5() throws {
        var records = LogColumnsTests.records()
        for event in 0..<4 { records += [Self.record("c-\(event % 2)", "w", .entered, seconds: Int64(event), effect: "add-tag"), Self.record(nil, "v", .exited)] }
        let path = try Self.schema5File(records)
        let before = try Self.schema5Stats(path)
        // (The workflows of the stats lines: only those with a counted status.)
        let store = try SQLiteStore(path: path)
        #expect(try store.read("version") { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == 6)
        #expect(try store.read("tables") { db in try db.tableExists("log") } == false)
        // The migration ran with temporary files (review 6, finding 8); the runtime is back on memory.
        #expect(try store.read("temp store") { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") } == 2)
        #expect(try LogColumnsTests.storedText(store) == records.map(\.json.compactText))
        #expect(try store.log(LogQuery()).map(\.sequence) == Array(1...Int64(records.count)))
        // Schema 5's counts of the statuses stats reads, and of effects, by workflow.
        let counted: Set<String> = ["entered", "error", "exited", "finished"]
        // (Workflows "v" and "w": GRDB's rows, which `schema5Stats` reads, end text at a NUL byte,
        // which the hostile workflow and effect kind hold; their counts are checked below.)
        func plain(_ lines: [String]) -> [String] { lines.filter { $0.hasPrefix("v ") || $0.hasPrefix("w ") } }
        let after = plain(try Self.statsLines(store))
        let expected = plain(before).filter { line in line.contains(" effect ") || counted.contains(String(line.split(separator: " ").dropFirst().first ?? "")) }
        #expect(after == expected)
        #expect(after.count == 6)
        let hostile = try #require(try store.stats().first { $0.workflowID.hasPrefix("a") })
        let counts: [Int] = [hostile.entered, hostile.completed, hostile.exited, hostile.errors, hostile.effectsByKind[LogColumnsTests.nasty] ?? 0]
        #expect(counts == [1, 1, 1, 1, 12])
        try Self.expectQueriesMatch(store, records)
        let new = [Self.record("c-1"), Self.record("c-1")]
        try store.queue.write { db in try SQLiteStore.appendLog(new, in: db) }
        #expect(try store.log(LogQuery()).map(\.sequence) == Array(1...Int64(records.count + 2)))
        #expect(try Self.batches(store).last == [String(records.count + 1), "2", "c-1"])
    }

    @Test("A batch edited by hand is an error naming its sequence, never a trap: a wrong count, a record that is not JSON, bad effect counts")
    func editedRows() throws {
        for edit in [
            "UPDATE log_batch SET count = 3 WHERE sequence = 1", "UPDATE log_batch SET count = -1 WHERE sequence = 1",
            "UPDATE log_batch SET records = records || char(10) WHERE sequence = 1", "UPDATE log_batch SET records = 'nope' || char(10) || 'x' WHERE sequence = 1",
            "UPDATE log_batch SET sequence = 9223372036854775807 WHERE sequence = 1",
        ] {
            let store = try SQLiteStore(path: StoreFixture.temporaryPath())
            try store.queue.write { db in try SQLiteStore.appendLog([Self.record("c-1"), Self.record("c-1")], in: db) }
            try store.queue.write { db in try db.execute(sql: edit) }
            #expect(throws: StoreError.self, "\(edit)") { try store.log(LogQuery()) }
            do {
                _ = try store.log(LogQuery())
            } catch {
                #expect(error.code == .notADatabase && error.message.contains("batch at sequence"), "\(edit): \(error.message)")
            }
        }
        // Text that is not UTF-8 inside a string reads with U+FFFD, as every text of the store does.
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        try store.queue.write { db in try SQLiteStore.appendLog([Self.record("c-1")], in: db) }
        try store.queue.write { db in try db.execute(sql: "UPDATE log_batch SET records = CAST(replace(CAST(records AS BLOB), CAST('\"m\"' AS BLOB), x'22FF22') AS TEXT)") }
        guard case .object(let members)? = try store.log(LogQuery()).first?.record else { Issue.record("no record"); return }
        #expect(members["message"] == .string("\u{FFFD}"))
        // Effect counts that are not a JSON object of integers.
        try store.queue.write { db in try db.execute(sql: "UPDATE log_workflow SET effects = '{\"a\":\"x\"}'") }
        #expect(throws: StoreError.self) { try store.stats() }
    }
}
