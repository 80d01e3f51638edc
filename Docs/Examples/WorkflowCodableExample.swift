// The sample of Docs/workflow-format.md, "From Swift: Codable", compiled; MergedAPISampleTests runs it.
import Foundation
import PurchaseActions

/// An app's own document, holding workflows in this format.
struct Library: Codable {
    var name: String
    var workflows: [Workflow]
}

func reload(_ data: Data) throws -> [Workflow] {
    try JSONDecoder().decode(Library.self, from: data).workflows
}
