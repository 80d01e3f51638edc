#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport

/// The clock an import measures its elapsed time and paces its progress bar with: time since an
/// arbitrary start. Tests pass a fake one; the command uses ``system``.
struct ImportClock: Sendable {
    /// The time now, since the clock's own start.
    var now: @Sendable () -> Duration

    /// The process's monotonic clock.
    static let system: ImportClock = {
        let clock = ContinuousClock()
        let origin = clock.now
        return ImportClock { clock.now - origin }
    }()
}

/// The progress bar `import-actions` draws on standard error while it reads a large export
/// (Docs/cli.md, "What the console shows"): only after ``delay`` (so small imports never show one),
/// redrawn at most every ``interval``, bytes read against the file's size, erased when the import
/// ends. Only on a terminal: never with `--quiet`, in CI (`CI` set) or when standard error is not a
/// terminal (``isWanted(quiet:environment:standardErrorIsTerminal:)``). The bar's text holds no
/// control character but its own carriage return and "erase to end of line" (`ESC [ K`).
struct ImportProgress {
    /// How long an import runs before the bar appears.
    static let delay: Duration = .seconds(1)
    /// The least time between two drawings (at most 10 a second).
    static let interval: Duration = .milliseconds(100)
    /// Characters of the bar between its brackets.
    static let width = 30
    /// Goes back to the start of the line and erases it.
    static let erase = "\r\u{1B}[K"

    /// The input's size in bytes.
    let total: Int
    /// When the import started, on the clock the updates use.
    let start: Duration
    /// Whether the bar may be drawn at all.
    let enabled: Bool
    private var lastDrawn: Duration?

    /// A bar for an input of `total` bytes, started at `start`.
    init(total: Int, start: Duration, enabled: Bool) {
        self.total = total
        self.start = start
        self.enabled = enabled
    }

    /// Whether the bar is wanted: standard error is a terminal, no `--quiet`, and no `CI` variable
    /// (set by GitHub Actions, GitLab CI and most others).
    static func isWanted(quiet: Bool, environment: [String: String], standardErrorIsTerminal: Bool) -> Bool {
        standardErrorIsTerminal && !quiet && environment["CI"] == nil
    }

    /// ``isWanted(quiet:environment:standardErrorIsTerminal:)`` for this process.
    static func isWanted(quiet: Bool) -> Bool {
        var environment: [String: String] = [:]
        if let ci = getenv("CI") { environment["CI"] = String(cString: ci) }
        return isWanted(quiet: quiet, environment: environment, standardErrorIsTerminal: isatty(2) == 1)
    }

    /// The text to write for `bytesRead` at `now`, or `nil` when nothing is drawn (disabled, before
    /// ``delay``, or less than ``interval`` after the last drawing).
    mutating func update(bytesRead: Int, now: Duration) -> String? {
        guard enabled, now - start >= Self.delay else { return nil }
        if let lastDrawn, now - lastDrawn < Self.interval { return nil }
        lastDrawn = now
        return Self.erase + Self.bar(bytesRead: bytesRead, total: total)
    }

    /// The text that erases the bar when the import ends, or `nil` when none is drawn; the bar is
    /// then gone until the next ``update(bytesRead:now:)`` draws it.
    mutating func finish() -> String? {
        defer { lastDrawn = nil }
        return lastDrawn == nil ? nil : Self.erase
    }

    /// `[#########.....................]  31%  15.2 of 50.0 MB read`.
    static func bar(bytesRead: Int, total: Int) -> String {
        let read = max(0, min(bytesRead, total))
        let percent = total > 0 ? read * 100 / total : 100
        let filled = total > 0 ? read * width / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let label = percent < 10 ? "  \(percent)%" : percent < 100 ? " \(percent)%" : "\(percent)%"
        return "[\(bar)] \(label)  \(megabytes(read)) of \(megabytes(total)) MB read"
    }

    /// Bytes in MB (10^6), one decimal.
    static func megabytes(_ bytes: Int) -> String {
        let tenths = bytes / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Draws `text` (from ``update(bytesRead:now:)`` or ``finish()``) on standard error.
    static func draw(_ text: String?) {
        if let text { Terminal.progress(text) }
    }
}
