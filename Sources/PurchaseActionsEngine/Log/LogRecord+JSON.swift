public import PurchaseActionsCore

extension LogRecord: JSONRepresentable {
    /// The record as one JSON object (written one per line, compact, keys sorted).
    public var json: JSONValue {
        .members([
            "at": at.description.json, "cause": cause.json, "workflow": workflowID.json, "version": version.json,
            "enrollment": enrollmentID.json, "contact": contactID.json, "step": stepID.json, "status": status.rawValue.json,
            "effect": effect.map { .members(["kind": $0.kind.json, "details": $0.details, "deliverAt": $0.deliverAt?.description.json, "key": $0.idempotencyKey.json]) },
            "why": why, "message": message.json,
        ])
    }
}
