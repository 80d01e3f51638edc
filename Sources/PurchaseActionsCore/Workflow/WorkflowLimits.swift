/// The largest (and smallest) values of the counts and offsets of workflow format v1
/// (Docs/workflow-format.md, "Limits"). The reader (``Workflow/init(json:)``) and
/// Docs/workflow-format.schema.json (`minimum` / `maximum`) refuse the same values.
///
/// Any duration or offset is at most 100 years: 36,500 days, 876,000 hours or 52,560,000 minutes.
/// Instants the engine computes lie in the years 0001 to 9999 (``Instant/supported``); a sum of
/// values within these limits that would leave that range is an `error` record when it runs,
/// never a trap (Docs/engine.md, "Time limits").
public enum WorkflowLimits: Sendable {
    /// Days in a delay or timeout, `offsetDays` (either sign), `dueInDays`, `inDays`: 36,500.
    public static let days = 36_500
    /// Hours in a delay or timeout: 876,000 (100 years).
    public static let hours = 876_000
    /// Minutes in a delay or timeout, `durationMinutes`: 52,560,000 (100 years).
    public static let minutes = 52_560_000
    /// The largest workflow `version`: 2,147,483,647.
    public static let version = 2_147_483_647
    /// The allowed `priority` values: a 32-bit integer.
    public static let priority = -2_147_483_648...2_147_483_647
    /// The largest `line` of a source trace: 2,147,483,647.
    public static let line = 2_147_483_647
    /// The largest `quantity` of an order line: 1,000,000.
    public static let quantity = 1_000_000
    /// The most bytes one workflow file may hold: 16 MiB (16,777,216). The bundled
    /// migrations' largest file is about 11 KB; 16 MiB is thousands of steps.
    public static let fileBytes = 16 * 1024 * 1024
    /// The most workflow files (`<id>.json`) one folder may hold for `simulate --workflows`: 100,000.
    public static let filesPerFolder = 100_000
    /// The most template files (`templates/<id>.json`) a migration folder may hold: 100,000. Each
    /// is at most ``fileBytes``.
    public static let templatesPerFolder = 100_000
    /// The most bytes a migration folder's `account.json` may hold: 160 MiB (167,772,160), room for
    /// a catalogue of 200,000 products (about 139 MB as `import-actions` writes it); the bundled
    /// migrations' largest is about 20 KB. Reading one costs about 4.6 times its size at its peak.
    public static let accountFileBytes = 160 * 1024 * 1024
    /// The most steps one workflow may hold, the steps inside branches, `otherwise` and `onTimeout`
    /// included: 2,000. The bundled migrations' largest workflow holds 24; one event runs at most
    /// the engine's work budget (10,000 steps) whatever the workflows hold (Docs/engine.md).
    public static let steps = 2_000
    /// The most characters (Unicode code points) of the value an `update-field` writes, after its
    /// template is rendered: 10,000, the most an event's `contact.fields` value may hold
    /// (Docs/events.md, "Limits"). Past it the action is an `error` record (Docs/engine.md).
    public static let fieldValueCharacters = 10_000
    /// The most bytes (UTF-8) of any other rendered text (a subject, a body, an SMS, a note, a
    /// webhook value): 1 MiB (1,048,576), an event line's maximum (Docs/events.md, "Limits").
    public static let renderedTextBytes = 1_048_576
    /// The most fields a contact may hold: 1,000 (an event carries at most 200 at a time). An
    /// `update-field` that would add one more is an `error` record (Docs/engine.md).
    public static let contactFields = 1_000
    /// The most tags a contact may hold: 1,000, as an event's `contact.tags`. An `add-tag` that
    /// would add one more is an `error` record (Docs/engine.md).
    public static let contactTags = 1_000
    /// The most a template may hold of tags (`{{`) times bytes: 67,108,864 (2^26: 1,000 tags in
    /// 64 KiB, 100 in 640 KiB). swift-mustache's time grows with their product (about 1.5 s for
    /// 1,000 tags in 1 MB, 56 s for 40,000 in 0.8 MB); past it the action is an `error` record
    /// (Docs/engine.md, "Rendered text and contact size").
    public static let templateTagBytes = 1 << 26
}
