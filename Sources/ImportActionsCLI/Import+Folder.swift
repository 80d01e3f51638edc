import CommandLineSupport
import PurchaseActionsCore

/// The parts of the output folder that make it one self-describing migration (Docs/cli.md, "The
/// output folder"): `templates/<id>.json` and `account.json` beside `workflows/`.
extension Import {
    /// Writes every template of the run's catalogue once (`templates/<id>.json`), whether or not an
    /// action uses it, and `account.json`. A template's id is its file's name: ids are checked by the
    /// reader (export ids: `A-Z a-z 0-9 . _ -`, starting with a letter or digit), so none holds a
    /// `/` or is `.` or `..`; two ids that differ only in case on a case-insensitive disk fail the
    /// exclusive creation of the second file (exit 74), never overwrite the first.
    static func writeTemplatesAndAccount(_ run: MigrationRun, to directory: OutputDirectory) throws(CommandError) {
        for template in run.templates {
            guard WorkflowTemplate.isValidID(template.id) else {
                throw CommandError(.io, "template id '\(DisplayText.escape(template.id))' cannot be a file name; not written")
            }
            try directory.write(template.json.canonicalBytes, to: "templates/\(template.id).json")
        }
        try directory.write(run.accountFile.json.canonicalBytes, to: "account.json")
    }
}
