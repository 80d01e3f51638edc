public import PurchaseActionsCore

extension DunningEntry: JSONRepresentable {
    /// `{"at": "2026-01-07T15:00:00Z", "invoice": "...", "kind": "attempt", "attempt": 2, "outcome": "declined",
    /// "decline": {...}, "stage": "...", "action": {...}, "detail": "..."}`: members without a value are left
    /// out (a `stage` entry without `stage` is a stage cleared). Times are UTC, RFC 3339.
    public var json: JSONValue {
        .members([
            "at": at.description.json, "invoice": invoice.json, "kind": kind.rawValue.json, "attempt": attempt.json, "outcome": outcome.json,
            "decline": decline?.json, "stage": stage.json, "action": action?.json, "detail": detail.json,
        ])
    }
}

extension Decline: JSONRepresentable {
    /// `{"code": "do_not_honor", "adviceCode": "25", "class": "retry-after", "retryAfter": "24h", "reason": "advice 25"}`.
    public var json: JSONValue {
        .members([
            "code": code.json, "adviceCode": adviceCode.json, "class": declineClass.rawValue.json, "retryAfter": retryAfter?.json,
            "reason": reason.json,
        ])
    }
}
