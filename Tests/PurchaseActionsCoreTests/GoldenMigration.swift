import Foundation
import PurchaseActionsCore

/// The golden migration folders (Fixtures/expected/<name>/): their workflow files refer to the
/// templates beside them (`templates/<id>.json`), so a golden workflow is loaded with them.
enum GoldenMigration {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The templates of the migration holding `file`, a path from the repository's root such as
    /// `Fixtures/expected/course-creator/workflows/action-set.as-vip.json`.
    static func templates(of file: String) -> [String: WorkflowTemplate] {
        let folder = root.appendingPathComponent(file).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates")
        var templates: [String: WorkflowTemplate] = [:]
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []) where name.hasSuffix(".json") {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)), let template = try? WorkflowTemplate.load([UInt8](data)) else {
                continue
            }
            templates[template.id] = template
        }
        return templates
    }

    /// The golden workflow at `file`, whole.
    static func workflow(_ file: String) throws -> Workflow {
        try Workflow.load([UInt8](Data(contentsOf: root.appendingPathComponent(file))), templates: templates(of: file))
    }

    /// The golden workflow at `file`, whole, in canonical text (every action with all its members).
    static func wholeText(_ file: String) -> String {
        (try? workflow(file).json.canonicalText) ?? ""
    }
}
