public import PurchaseActionsCore
public import PurchaseActionsEngine

extension OutboxMessage {
    /// The object every deliverer of this module sends or records for one attempt:
    /// `{"attempt":1,"details":{...},"key":"...","kind":"send-email"}`.
    ///
    /// ``deliveryLine`` is its one-line text (keys sorted, no spaces): a line of a
    /// ``RecordingDeliverer``'s file and the body of an ``HTTPPostDeliverer``'s POST.
    public var deliveryJSON: JSONValue {
        .object(["attempt": .integer(attempt), "details": details, "key": .string(key), "kind": .string(kind)])
    }

    /// ``deliveryJSON`` on one line (`JSONValue.compactText`), without a newline. Control
    /// characters in strings are escaped, so the line never holds a raw newline; so are DEL, C1
    /// controls, separators and bidi marks (`\u202e`: `DisplayText.escapeJSONText`), so a
    /// recording read with `tail -f` shows names as they are, never reordered.
    public var deliveryLine: String { DisplayText.escapeJSONText(deliveryJSON.compactText) }
}
