// The outbox's deliverers: see Docs/architecture.md ("The durable runtime").
