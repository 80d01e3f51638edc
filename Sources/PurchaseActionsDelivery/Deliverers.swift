// The outbox's deliverers: see Docs/architecture.md ("The durable runtime").
//
// - `RecordingDeliverer`: one JSON line per attempt appended to a file (RecordingDeliverer.swift).
// - `HTTPPostDeliverer`: a JSON POST per attempt to a configured URL (HTTPPostDeliverer.swift).
// - `DeliveryError`: the module's one error type, for configuration only (DeliveryError.swift);
//   an attempt never throws: it returns a `DeliveryOutcome`.
