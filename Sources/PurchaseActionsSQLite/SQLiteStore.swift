// The durable runtime on SQLite: see Docs/architecture.md ("The durable runtime").
