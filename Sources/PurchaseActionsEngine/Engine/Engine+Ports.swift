extension Engine {
    /// Where an engine keeps its state and sends what it does: contacts, the outbox, enrollments
    /// and timezone rules. Each is defaulted to the in-memory (or system) implementation, so give
    /// only those you replace.
    ///
    /// ```swift
    /// let outbox = RecordingEffectSink()
    /// let engine = try Engine(automation, start: start, ports: Engine.Ports(effects: outbox))
    /// // ... engine.ingest(event) ...
    /// for effect in outbox.effects where effect.isExternal { deliver(effect) }
    /// ```
    ///
    /// The ports are classes the engine owns once it is made: nothing else may change them while a
    /// call runs (Docs/engine.md, "Ports"). `Ports` is therefore not `Sendable`; an engine used from
    /// many tasks is a ``WorkflowRuntime``, which owns its ports.
    public struct Ports {
        /// Contacts, by id and by the legacy match (``InMemoryContactDirectory`` by default).
        public var contacts: any ContactDirectory
        /// The outbox: every effect an action records (``RecordingEffectSink`` by default).
        public var effects: any EffectSink
        /// Enrollments, wake-ups and event ids seen (``InMemoryEnrollmentStore`` by default).
        public var store: any EnrollmentStore
        /// Timezone rules by IANA name (``SystemTimeZoneDatabase`` by default: /usr/share/zoneinfo).
        public var timeZones: any TimeZoneDatabase

        /// Creates the ports; each one not given is a new in-memory (or system) one.
        public init(
            contacts: any ContactDirectory = InMemoryContactDirectory(), effects: any EffectSink = RecordingEffectSink(),
            store: any EnrollmentStore = InMemoryEnrollmentStore(), timeZones: any TimeZoneDatabase = SystemTimeZoneDatabase()
        ) {
            self.contacts = contacts
            self.effects = effects
            self.store = store
            self.timeZones = timeZones
        }
    }
}

/// An engine is used by one caller at a time: it is not `Sendable`. From many tasks, use
/// ``WorkflowRuntime``, the actor that owns an engine.
@available(*, unavailable, message: "an Engine is used by one caller at a time; from many tasks, use the actor WorkflowRuntime")
extension Engine: Sendable {}

/// The ports are classes the engine owns: they do not cross tasks.
@available(*, unavailable, message: "the ports are owned by one engine; from many tasks, use the actor WorkflowRuntime")
extension Engine.Ports: Sendable {}
