import CommandLineSupport
import Logging

/// swift-log's handler for the worker: one line per message on standard error,
/// `level: message key=value ...`, every line through ``Terminal/error(_:)`` (control characters
/// escaped). No time stamp: a service manager (systemd's journal) adds its own.
struct TerminalLogHandler: LogHandler {
    /// The least severe level printed.
    var logLevel: Logger.Level
    /// Metadata added to every line.
    var metadata: Logger.Metadata = [:]

    init(level: Logger.Level) { self.logLevel = level }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let pairs = merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }
        Terminal.error(([ "\(event.level): \(event.message)" ] + pairs).joined(separator: " "))
    }

    /// A logger writing through this handler.
    static func logger(level: Logger.Level) -> Logger {
        Logger(label: "purchase-actions") { _ in TerminalLogHandler(level: level) }
    }
}
