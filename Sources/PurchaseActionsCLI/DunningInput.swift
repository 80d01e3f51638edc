import CommandLineSupport
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine

/// The inputs of `purchase-actions dunning`: the policy file with its timezone's rules, the
/// failures file, the gateway script. Every error names the file, the line when known and the JSON
/// path (Docs/dunning-simulation.md, "Exit codes").
enum DunningInput {
    /// The event types the simulator uses (Docs/dunning-simulation.md, "The failures file").
    static let usedTypes: Set<EventType> = [
        .autochargeFailed, .autochargeRecovered, .paymentSucceeded, .subscriptionRenewed, .paymentMethodUpdated, .subscriptionCancelled,
    ]

    /// The most events a failures file may hold by default (`--max-events`).
    static let defaultMaxEvents = 1_000_000

    /// The largest gateway script read: 1 MiB.
    static let maxScriptBytes = 1_048_576

    /// The longest `--until`: 3,660 days (Docs/dunning-simulation.md).
    static let maxUntilDays = 3660

    /// Reads a policy file (checked to be a file first, with `takes` naming the option) and checks
    /// that the system knows its timezone.
    static func policy(_ path: String, option takes: String) throws -> DunningPolicy {
        try InputPath.check(path, is: .file, takes: takes)
        let policy = try DunningPolicyFile.load(path: path)
        _ = try calendar(for: policy, file: path)
        return policy
    }

    /// The calendar of the policy's timezone (UTC when it names none), from the system's zone files.
    static func calendar(for policy: DunningPolicy, file: String, zones: SystemTimeZoneDatabase = SystemTimeZoneDatabase()) throws(LoadError)
        -> ZonedCalendar
    {
        let name = policy.timezone ?? "UTC"
        guard let rules = zones.rules(named: name) else {
            let path = JSONPath.root.member("timezone")
            throw LoadError(
                .invalid,
                "unknown timezone '\(DisplayText.escape(name))': no such zone in the system's timezone database (/usr/share/zoneinfo; is the tzdata package installed?)",
                file: file, line: timezoneLine(file, path: path), jsonPath: path)
        }
        return ZonedCalendar(rules: rules)
    }

    /// The line of the policy's `timezone` member: by the JSON parser for a JSON file, else the
    /// first line of the YAML file that starts with `timezone:` (a top-level member); nil when not found.
    static func timezoneLine(_ file: String, path: JSONPath) -> Int? {
        guard let bytes = try? FileAccess.contents(of: file, "a policy file", maxBytes: DunningPolicyFile.maxBytes, tooLarge: "") else { return nil }
        if let line = JSONValue.position(of: path, in: bytes)?.line { return line }
        var number = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if line.starts(with: Array("timezone:".utf8)) { return number }
        }
        return nil
    }

    /// The events of a failures file: every line a valid event, in time order, at most `maxEvents`.
    /// Events of types the simulator does not use are counted in `unused` and left out.
    static func failures(_ path: String, maxEvents: Int) throws -> (events: [Event], unused: Int) {
        try InputPath.check(path, is: .file, takes: "--failures takes a failures file (events, JSON Lines)")
        var file = try EventsFile(path: path)
        var events: [Event] = []
        var unused = 0
        var count = 0
        var last: Instant?
        while let line = try file.next() {
            switch line.result {
            case .failure(let error):
                let column = error.line != nil && error.path.components.isEmpty ? error.column : nil
                throw LoadError(error, file: path, line: line.number, column: column)
            case .success(let event):
                count += 1
                guard count <= maxEvents else {
                    throw LoadError(
                        .limitExceeded,
                        "more than \(maxEvents) events, the most a failures file may hold (--max-events; Docs/dunning-simulation.md)",
                        file: path, line: line.number)
                }
                if let last, event.occurredAt < last {
                    throw LoadError(
                        .invalid,
                        "event '\(DisplayText.escape(event.id))' happened at \(event.occurredAt), before the line above it (\(last)); events must come in time order",
                        file: path, line: line.number, jsonPath: JSONPath.root.member("occurredAt"))
                }
                last = event.occurredAt
                if usedTypes.contains(event.type) {
                    events.append(event)
                } else {
                    unused += 1
                }
            }
        }
        return (events, unused)
    }

    /// Reads a gateway script given to `--gateway` (Docs/dunning-simulation.md, "The gateway script").
    static func script(_ path: String) throws -> GatewayScript { try script(path, option: "--gateway") }

    /// Reads a gateway script; `option` names the option that took it in the message of a missing file.
    static func script(_ path: String, option: String) throws -> GatewayScript {
        try InputPath.check(path, is: .file, takes: "\(option) takes a gateway script (JSON)")
        let bytes = try FileAccess.contents(
            of: path, "a gateway script (JSON)", maxBytes: maxScriptBytes,
            tooLarge: "the file is larger than \(maxScriptBytes) bytes, the most a gateway script may hold (Docs/dunning-simulation.md)")
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw LoadError(error, file: path, line: error.line, column: error.column)
        }
        do {
            return try GatewayScript(json: json, at: .root)
        } catch {
            // The line and column of the value at the error's JSON path, as the policy loader gives them.
            let at = error.path ?? .root
            let place = JSONValue.position(of: at, in: bytes)
            throw LoadError(
                error.code == "limit-exceeded" ? .limitExceeded : .invalid, "\(error.message) (\(error.code))", file: path,
                line: place?.line, column: place?.column, jsonPath: at)
        }
    }

    /// The script used without `--gateway`: every retry declines as the invoice's first failure did.
    static func defaultScript() -> GatewayScript { GatewayScript() }

    /// `--until`: `<n>d` or `<n>h`, 0 to 3,660 days; nil when the text is not one.
    static func until(_ text: String) -> PolicyDuration? {
        guard let unit = text.last, let amount = Int(text.dropLast()), amount >= 0, text.first?.isNumber == true else { return nil }
        switch unit {
        case "d" where amount <= maxUntilDays: return .days(amount)
        case "h" where amount <= maxUntilDays * 24: return .hours(amount)
        default: return nil
        }
    }
}
