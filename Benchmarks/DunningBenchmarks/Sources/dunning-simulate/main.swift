// dunning-simulate FAILURES.jsonl [--until 60d] [--policy POLICY.json] [--script SCRIPT.json] [--json]
//
// Prints the seconds to read and decode the events, to run DunningSimulation.run (the figure the
// issue's "< 10 s for 100,000 failing subscriptions over 60 days" is about), and with --json to
// write the result's canonical JSON; then the totals.
import Foundation
import PurchaseActionsCore
import PurchaseActionsDunning

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name) else { return nil }
    guard index + 1 < arguments.count else { fail("\(name) needs a value") }
    let value = arguments[index + 1]
    arguments.removeSubrange(index...index + 1)
    return value
}
let untilText = option("--until") ?? "60d"
let policyPath = option("--policy")
let scriptPath = option("--script")
let writeJSON = arguments.contains("--json")
arguments.removeAll { $0 == "--json" }
guard arguments.count == 1 else { fail("usage: dunning-simulate FAILURES.jsonl [--until 60d] [--policy P.json] [--script S.json] [--json]") }

func read(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return [UInt8](data)
}
func seconds(_ start: ContinuousClock.Instant) -> String {
    let duration = ContinuousClock.now - start
    let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    return String(format: "%.2f", Double(millis) / 1000)
}

let until: PolicyDuration = {
    guard let amount = Int(untilText.dropLast()), untilText.hasSuffix("d") || untilText.hasSuffix("h") else { fail("--until: 60d or 36h") }
    return untilText.hasSuffix("d") ? .days(amount) : .hours(amount)
}()
let policy: DunningPolicy
do {
    policy = try policyPath.map { path throws in try DunningPolicy(json: JSONValue.parse(read(path))) } ?? DunningPolicy(id: "legacy-billing", name: "Legacy billing defaults")
} catch { fail("policy: \(error)") }
let script: GatewayScript
do {
    script = try scriptPath.map { path throws in try GatewayScript(json: JSONValue.parse(read(path))) } ?? GatewayScript()
} catch { fail("script: \(error)") }

let readStart = ContinuousClock.now
let bytes = read(arguments[0])
var events: [Event] = []
var lineStart = 0
var lineNumber = 0
for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
    lineNumber += 1
    if index > lineStart {
        do {
            events.append(try Event.load(Array(bytes[lineStart..<index])))
        } catch { fail("\(arguments[0]):\(lineNumber): \(error)") }
    }
    lineStart = index + 1
}
print("read     \(seconds(readStart)) s  \(events.count) events")

let runStart = ContinuousClock.now
let result = DunningSimulation.run(policy: policy, failures: events, script: script, until: until, calendar: ZonedCalendar(rules: .utc))
print("simulate \(seconds(runStart)) s  \(result.invoices.count) invoices, \(result.invoices.reduce(0) { $0 + $1.entries.count }) timeline entries, until \(until)")
if writeJSON {
    let jsonStart = ContinuousClock.now
    let text = result.json.canonicalBytes
    print("json     \(seconds(jsonStart)) s  \(text.count) bytes")
}
print(result.totals.json.canonicalText)
