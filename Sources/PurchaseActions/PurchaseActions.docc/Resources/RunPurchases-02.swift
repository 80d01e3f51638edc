import Foundation
import PurchaseActions

/// Runs a legacy export's purchase actions for buyers who pay at the same moment, then two weeks of
/// follow-ups; returns why each buyer entered each workflow, and the effects to deliver.
func runPurchases(exportFile: String, buyers: [String]) async throws -> (why: [String], delivered: [Effect]) {
    // An automation: the export's workflows, which product each plan sells, the company and users.
    let automation = try Automation(exportFile: exportFile)

    // The engine actor, its clock at the opening. Only events and advance(to:) move it.
    let opening = Instant(try Date("2025-03-28T18:40:00Z", strategy: .iso8601))
    let runtime = try WorkflowRuntime(automation, start: opening)
}
