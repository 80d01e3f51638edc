/// The largest (and smallest) values of the counts and offsets of workflow format v1
/// (Docs/workflow-format.md, "Limits"). The reader (``Workflow/init(json:)``) and
/// Docs/workflow-format.schema.json (`minimum` / `maximum`) refuse the same values.
///
/// Any duration or offset is at most 100 years: 36,500 days, 876,000 hours or 52,560,000 minutes.
/// Instants the engine computes lie in the years 0001 to 9999 (``Instant/supported``); a sum of
/// values within these limits that would leave that range is an `error` record when it runs,
/// never a trap (Docs/engine.md, "Time limits").
public enum WorkflowLimits {
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
}
