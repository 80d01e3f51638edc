// The outbox's deliverers: see Docs/architecture.md ("The durable runtime").
//
// - `RecordingDeliverer`: one JSON line per attempt appended to a file (RecordingDeliverer.swift).
// - `HTTPPostDeliverer`: a JSON POST per attempt to a configured URL (HTTPPostDeliverer.swift).
// - `HTTPPaymentGateway`: the dunning `PaymentGateway` port as JSON over HTTP, charge and status
//   look-up (HTTPPaymentGateway.swift; the contract is Docs/payment-gateway.md).
// - `DeliveryError`: the module's one error type, for configuration only (DeliveryError.swift);
//   an attempt never throws: it returns a `DeliveryOutcome`.
