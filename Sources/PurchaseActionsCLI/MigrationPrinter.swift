import CommandLineSupport
import PurchaseActionsCore
import PurchaseActionsSQLite

/// Prints what `migrate-enrollments` moved and left: one line per enrollment, then a summary.
struct MigrationPrinter {
    var json: Bool
    var dryRun: Bool

    func print(_ migration: EnrollmentMigration, workflow: String, to version: Int) {
        let moving = dryRun ? "would move" : "moved"
        for moved in migration.moved {
            if json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "enrollment": moved.enrollmentID.json, "workflow": workflow.json, "from": moved.fromVersion.json, "to": version.json,
                        "result": (dryRun ? "would-move" : "moved").json,
                    ]).compactText)
            } else {
                Terminal.line("\(moving)  \(moved.enrollmentID)  \(workflow) v\(moved.fromVersion) → v\(version)")
            }
        }
        for left in migration.left {
            if json {
                Terminal.jsonLine(
                    JSONValue.members([
                        "enrollment": left.enrollmentID.json, "workflow": workflow.json, "from": left.version.json, "to": version.json,
                        "result": "left".json, "reason": left.reason.json,
                    ]).compactText)
            } else {
                Terminal.line("left  \(left.enrollmentID)  \(workflow) v\(left.version): \(left.reason)")
            }
        }
        if !json {
            let nothing = dryRun ? " (--dry-run: nothing changed)" : ""
            Terminal.line(
                "\(workflow): \(migration.moved.count) enrollments \(moving) to version \(version), \(migration.left.count) left where they are\(nothing)")
        }
    }
}
