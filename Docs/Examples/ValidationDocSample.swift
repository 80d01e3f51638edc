// WorkflowValidation's `///` sample (Sources/PurchaseActions/Validation/WorkflowValidation.swift), compiled
// (DocSamplesTests).
import PurchaseActions

/// WorkflowValidation's sample.
func workflowValidationDocSample() throws -> ValidationReport {
    let report = try WorkflowValidation().validate(["migrated"])
    for problem in report.problems { print(problem) }
    print(report.summary)
    return report
}
