internal import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine

extension SQLiteStore {
    /// Moves the running enrollments of a workflow (those it was entered by, on another version) to
    /// its stored version `version`, by step id (`Engine.relocate`): each keeps its place on the
    /// step of the same id. Those on a step the version lacks, or that cannot be read, are reported
    /// in ``EnrollmentMigration/left`` and left as they are. A dry run reports and changes nothing.
    /// Frames of other workflows nested in a call are left on their versions.
    ///
    /// - Throws: `unknown-workflow`, `unknown-version` (with the numbers stored), or a store error.
    public func migrateEnrollments(workflowID: String, to version: Int, dryRun: Bool) throws(StoreError) -> EnrollmentMigration {
        let path = self.path
        let id = DisplayText.escape(workflowID)
        return try write("migrate the enrollments of '\(id)'") { db in
            var workflows: [Int: Workflow] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM workflow_version WHERE workflow_id = ?", arguments: [workflowID]) {
                workflows[(try row.get("number"))] = try Self.published(row).workflow
            }
            guard !workflows.isEmpty else {
                throw StoreError(.unknownWorkflow, "no published workflow has the id '\(id)' (purchase-actions publish stores workflows)", path: path)
            }
            guard let target = workflows[version] else {
                let numbers = workflows.keys.sorted().map(String.init).joined(separator: ", ")
                throw StoreError(.unknownVersion, "workflow '\(id)' has no stored version \(version) (stored: \(numbers))", path: path)
            }
            var report = EnrollmentMigration(workflowID: workflowID, toVersion: version, dryRun: dryRun)
            // Each row read and compared with its columns (``SQLiteEnrollmentStore/reading(at:)``): one
            // whose JSON does not read back, or disagrees with its columns, is left where it is.
            var select = RowBinding(
                try db.cachedStatement(
                    sql: "SELECT \(SQLiteEnrollmentStore.readColumns) FROM enrollment WHERE workflow_id = ? AND state IN ('active', 'waiting') AND version != ? ORDER BY sequence"))
            select.bind(workflowID, 1)
            select.bind(version, 2)
            var rows: [(id: String, version: Int, reading: SQLiteEnrollmentStore.RowReading)] = []
            do {
                defer { select.finish() }
                while try select.step() {
                    rows.append(
                        (select.text(SQLiteEnrollmentStore.Column.id) ?? "", Int(truncatingIfNeeded: select.integer(SQLiteEnrollmentStore.Column.version) ?? 0),
                         SQLiteEnrollmentStore.reading(at: select)))
                }
            }
            let clock = try storedClock(db) ?? Instant(millisecondsSinceEpoch: 0)
            for (enrollmentID, from, reading) in rows {
                guard let enrollment = reading.enrollment else {
                    let problem = reading.problem ?? .unreadable("")
                    let code = problem.kind == .columnMismatch ? "column-mismatch" : StoreError.Code.invalidEnrollment.rawValue
                    report.left.append(.init(enrollmentID: enrollmentID, version: from, reason: "\(code): \(problem.text)"))
                    continue
                }
                do {
                    guard let old = workflows[from] else {
                        report.left.append(.init(enrollmentID: enrollmentID, version: from, reason: "its version \(from) is not stored"))
                        continue
                    }
                    let moved = try Engine.relocate(enrollment, from: old, to: target)
                    if !dryRun { try SQLiteEnrollmentStore.write(moved, at: clock, in: db) }
                    report.moved.append(.init(enrollmentID: enrollmentID, fromVersion: from))
                } catch let error as EngineError {
                    report.left.append(.init(enrollmentID: enrollmentID, version: from, reason: "\(error.code.rawValue): \(error.message)"))
                }
            }
            if !dryRun, !report.moved.isEmpty { try db.setMeta("generation", try db.meta("generation").nextCounter("generation")) }
            return report
        }
    }
}
