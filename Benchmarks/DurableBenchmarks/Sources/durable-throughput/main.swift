// durable-throughput: the durable runtime's figures (Benchmarks/README.md, "Durable runtime").
//
//   swift build -c release --product durable-throughput
//   .build/release/durable-throughput [--folder DIR] [--events N] [--products N] [--contacts N] [--callers N]
//                                     [--modes single,group,worker] [--pending LIST] [--fire N] [--rounds N] [--skip-wakeups]
//                                     [--enrollments N]
//
// 1. The disk: fsyncs/s of a 4 KiB write (pwrite + fsync) in --folder; SQLite (WAL, synchronous=FULL)
//    single-row commits/s and rows/s in 100-row transactions, on a scratch database there.
// 2. Events/s through DurableRuntime on the engine benchmark's product-slot workload (--products
//    product workflows, --contacts contacts saved in the store first): one commit per event (one
//    caller awaiting each ingest), group commit (--callers tasks ingesting at once), and the worker's
//    path (batches of 1,000 through ingest(_:through:)). Only the ingest calls are timed.
// 3. Wake-ups: for each --pending count P, a store with P enrollments waiting (rows written in bulk
//    from one real waiting enrollment, wake-ups one millisecond apart), then --rounds times: a
//    runtime fires the next --fire wake-ups (advance(to:) the --fire-th one's time), timed.
// 4. --enrollments N (only this part runs, with --folder): N enrollments end to end through a
//    three-step workflow (send-email, wait one day, add-tag), each event a new contact: ingest the
//    N events in worker batches of 1,000, advance the clock a day (every wake-up fires, about
//    1,000 per transaction), each part timed (wall and CPU); then the file's size checkpointed,
//    per 100,000 finished enrollments, and by table (dbstat).
import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
import PurchaseActionsSQLite

struct Arguments {
    var folder = FileManager.default.temporaryDirectory.appendingPathComponent("durable-bench").path
    var events = 20_000
    var products = 100
    var contacts = 10_000
    var callers = 256
    var pending = [10_000, 1_000_000]
    var fire = 1_000
    var rounds = 5
    var wakeups = true
    var modes: Set<String> = ["single", "group", "worker"]
    var enrollments: Int?

    init(_ arguments: [String]) {
        var rest = arguments[...]
        func value(_ name: String) -> String {
            guard let value = rest.popFirst() else { fail("\(name) needs a value") }
            return value
        }
        func number(_ name: String) -> Int {
            guard let number = Int(value(name).replacing("_", with: "")), number > 0 else { fail("\(name) needs a positive number") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--folder": folder = value(argument)
            case "--events": events = number(argument)
            case "--products": products = max(3, number(argument))
            case "--contacts": contacts = number(argument)
            case "--callers": callers = number(argument)
            case "--pending": pending = value(argument).split(separator: ",").compactMap { Int($0.replacing("_", with: "")) }
            case "--fire": fire = number(argument)
            case "--rounds": rounds = number(argument)
            case "--skip-wakeups": wakeups = false
            case "--enrollments": enrollments = number(argument)
            case "--modes": modes = Set(value(argument).split(separator: ",").map(String.init))
            default: fail("unknown argument \(argument) (see the comment at the top of main.swift)")
            }
        }
    }
}

/// Prints a line at once (stdout to a file is block-buffered).
func say(_ line: String) {
    print(line)
    fflush(nil)
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("durable-throughput: \(message)\n".utf8))
    exit(2)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU seconds of the process so far (all threads): a figure the other load of the machine moves less than wall time.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// CPU seconds of each thread of the process so far, by thread id (`/proc/self/task/*/stat`,
/// user + system time): the busiest thread's share of a run is its critical path, what the run
/// would take on an idle machine with a core for each thread.
func threadCPUSeconds() -> [Int: Double] {
    var result: [Int: Double] = [:]
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return result }
    for task in tasks {
        guard let id = Int(task), let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
        result[id] = (user + system) / ticks
    }
    return result
}

/// The CPU seconds each thread spent since `before` (``threadCPUSeconds()``), the busiest first.
func busiestThreads(since before: [Int: Double]) -> [Double] {
    threadCPUSeconds().map { $0.value - (before[$0.key] ?? 0) }.filter { $0 >= 0.005 }.sorted(by: >)
}

func format(_ value: Double) -> String {
    let rounded = Int(value.rounded())
    var digits = String(rounded)
    var index = digits.count - 3
    while index > 0 {
        digits.insert(",", at: digits.index(digits.startIndex, offsetBy: index))
        index -= 3
    }
    return digits
}

func freshPath(_ folder: String, _ name: String) -> String {
    let path = folder + "/" + name
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    return path
}

let arguments = Arguments(Array(CommandLine.arguments.dropFirst()))
try FileManager.default.createDirectory(atPath: arguments.folder, withIntermediateDirectories: true)
let clock = ContinuousClock()
say("folder: \(arguments.folder)")

// MARK: 1. The disk

@MainActor func fsyncRate(folder: String, count: Int = 300) -> Double {
    let path = freshPath(folder, "fsync.bin")
    let fd = open(path, O_CREAT | O_WRONLY, 0o644)
    guard fd >= 0 else { fail("cannot create \(path)") }
    defer {
        close(fd)
        unlink(path)
    }
    var block = [UInt8](repeating: 7, count: 4096)
    let elapsed = clock.measure {
        for number in 0..<count {
            block[0] = UInt8(truncatingIfNeeded: number)
            _ = pwrite(fd, block, block.count, 0)
            fsync(fd)
        }
    }
    return Double(count) / seconds(elapsed)
}

@MainActor func sqliteRates(folder: String) throws -> (commits: Double, rows: Double) {
    let path = freshPath(folder, "rates.sqlite")
    var configuration = Configuration()
    // WAL and synchronous=FULL as SQLiteStore sets them (GRDB's `journalMode = .wal` would also set
    // synchronous=NORMAL, which does not sync at each commit).
    configuration.prepareDatabase { db in
        try db.execute(sql: "PRAGMA journal_mode = WAL")
        try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    try queue.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)") }
    let body = String(repeating: "x", count: 200)
    let commits = 300
    let single = try clock.measure {
        for _ in 0..<commits { try queue.write { db in try db.execute(sql: "INSERT INTO t (body) VALUES (?)", arguments: [body]) } }
    }
    let transactions = 200
    let batched = try clock.measure {
        for _ in 0..<transactions {
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO t (body) VALUES (?)")
                for _ in 0..<100 { try insert.execute(arguments: [body]) }
            }
        }
    }
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    return (Double(commits) / seconds(single), Double(transactions * 100) / seconds(batched))
}

@MainActor func printDisk(_ label: String) throws {
    let fsyncs = fsyncRate(folder: arguments.folder)
    let (commits, rows) = try sqliteRates(folder: arguments.folder)
    say("\(label): fsync \(format(fsyncs))/s; SQLite single-row commits \(format(commits))/s; rows in 100-row transactions \(format(rows))/s")
}

try printDisk("disk (before)")


// MARK: 2. Events

say("workload: \(arguments.products) product workflows, \(arguments.contacts) contacts, \(arguments.events) payment.succeeded events")
let workload = Workload(products: arguments.products, contacts: arguments.contacts, events: arguments.events)
say("  \(workload.workflows.count) workflows, \(workload.lines) order lines (3 effects each)")
let options = Engine.Options(keepsLog: false, rendersTemplates: false, lateEvents: .runAtClock)

// MARK: 4. Enrollments end to end

@MainActor func endToEnd(_ count: Int) async throws {
    let start = Instant(millisecondsSinceEpoch: 1_735_689_600_000)  // 2025-01-01T00:00:00Z
    let path = freshPath(arguments.folder, "enrollments.sqlite")
    let store = try SQLiteStore(path: path)
    var settings = WorkflowSettings(accountTimezone: "UTC")
    settings.allowReentry = true
    let message = EmailMessage(
        to: .contact, from: Sender(name: "Acme Shop", address: "shop@example.com"), subject: "Welcome, {{contact.FirstName}}",
        html: "<p>Hi {{contact.FirstName}},</p><p>thanks for joining.</p>", text: "Hi {{contact.FirstName}}, thanks for joining.")
    let workflow = Workflow(
        id: "welcome", name: "Welcome", priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])],
        steps: [
            Step(id: "email", .action(.sendEmail(message))),
            Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now))),
            Step(id: "tag", .action(.addTag(tagID: "welcomed"))),
        ], settings: settings)
    _ = try store.publish(Automation(workflows: [workflow]), at: start)
    let runtime = try DurableRuntime(store: store, options: options)
    say("enrollments end to end: \(format(Double(count))) events (tag.added, each a new contact), workflow send-email / wait 1 day / add-tag")
    // Events 1 ms apart, made in batches of 1,000 as the worker reads them.
    var cpu = cpuSeconds()
    let ingested = try await clock.measure {
        for first in stride(from: 0, to: count, by: 1_000) {
            let batch = (first..<min(first + 1_000, count)).map { number in
                var event = Event(id: "ev-\(number)", type: .tagAdded, occurredAt: Instant(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(number)), contact: ContactReference(id: "c-\(number)"))
                event.tag = "joined"
                event.contact.firstName = Workload.firstNames[number % Workload.firstNames.count]
                event.contact.lastName = Workload.lastNames[number % Workload.lastNames.count]
                event.contact.email = "c-\(number)@example.com"
                return event
            }
            try await runtime.ingest(batch, through: InputPosition(source: "events.jsonl", offset: Int64(first + batch.count) * 200, line: first + batch.count))
            if (first + batch.count) % 100_000 == 0 { say("    \(format(Double(first + batch.count))) ingested; CPU \(String(format: "%.1f", cpuSeconds() - cpu)) s so far") }
        }
    }
    let ingestCPU = cpuSeconds() - cpu
    say("  ingest: \(String(format: "%.1f", seconds(ingested))) s wall = \(format(Double(count) / seconds(ingested))) events/s; CPU \(String(format: "%.1f", ingestCPU)) s = \(format(Double(count) / ingestCPU)) per CPU-second")
    cpu = cpuSeconds()
    let end = Instant(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(count) + 86_400_000 + 1_000)
    var finished = 0
    let fired = try await clock.measure {
        // In steps of 10,000 wake-ups (their records are counted and dropped, not kept).
        var target = Instant(millisecondsSinceEpoch: start.millisecondsSinceEpoch + 86_400_000)
        while target < end {
            target = min(end, Instant(millisecondsSinceEpoch: target.millisecondsSinceEpoch + 10_000))
            let before = finished
            finished += try await runtime.advance(to: target).reduce(0) { $0 + ($1.status == .finished ? 1 : 0) }
            if finished / 100_000 != before / 100_000 {
                say("    \(format(Double(finished))) finished; CPU \(String(format: "%.1f", cpuSeconds() - cpu)) s so far")
            }
        }
    }
    let fireCPU = cpuSeconds() - cpu
    say("  advance a day: \(format(Double(finished))) finished in \(String(format: "%.1f", seconds(fired))) s wall = \(format(Double(count) / seconds(fired))) wake-ups/s; CPU \(String(format: "%.1f", fireCPU)) s = \(format(Double(count) / fireCPU)) per CPU-second")
    say("  end to end: \(String(format: "%.1f", seconds(ingested + fired))) s wall (\(String(format: "%.1f", seconds(ingested + fired) / 60)) min); CPU \(String(format: "%.1f", ingestCPU + fireCPU)) s")
    // The file's size, checkpointed, and by table.
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    try await queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let rows = try await queue.read { db in
        (
            try Int.fetchOne(db, sql: "SELECT count(*) FROM enrollment WHERE state = 'finished'") ?? 0, try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM log_batch") ?? 0,
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0
        )
    }
    say("  database: \(format(Double(size) / 1_048_576)) MiB checkpointed (\(format(Double(size) / 1_000_000)) MB); \(format(Double(rows.0))) finished enrollments, \(format(Double(rows.1))) log records, \(format(Double(rows.2))) outbox rows = \(format(Double(size) / 1_000_000 * 100_000 / Double(max(1, rows.0)))) MB per 100,000 finished enrollments")
    let tables = try await queue.read { db in
        try Row.fetchAll(db, sql: "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 12").map { row -> String in
            let name: String = row[0]
            let bytes: Int64 = row[1]
            return "\(name) \(format(Double(bytes) / 1_000_000)) MB"
        }
    }
    say("  by table: " + tables.joined(separator: ", "))
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

if let count = arguments.enrollments {
    try await endToEnd(count)
    try printDisk("disk (after)")
    exit(0)
}

@MainActor func preparedRuntime(_ name: String) throws -> (SQLiteStore, DurableRuntime) {
    let store = try SQLiteStore(path: freshPath(arguments.folder, name))
    _ = try store.publish(Automation(workflows: workload.workflows), at: workload.start)
    try store.save(contacts: workload.contacts)
    return (store, try DurableRuntime(store: store, options: options))
}

@MainActor func report(_ label: String, events: Int, _ elapsed: Duration, cpu: Double, threads: [Double], store: SQLiteStore) throws {
    let rate = Double(events) / seconds(elapsed)
    let outbox = try store.outbox(dead: false).count
    let busiest = threads.prefix(3).map { String(format: "%.2f", $0) }.joined(separator: ", ")
    say(
        "  \(label): \(events) events in \(String(format: "%.2f", seconds(elapsed))) s = \(format(rate)) events/s; CPU \(String(format: "%.2f", cpu)) s = \(format(Double(events) / cpu)) events per CPU-second; busiest threads \(busiest) CPU-s (outbox rows: \(outbox))")
}

if arguments.modes.contains("single") {
    // One commit per event: one caller, each ingest awaited (its own transaction and fsync).
    let count = min(arguments.events, 2_000)
    let (store, runtime) = try preparedRuntime("single.sqlite")
    let events = Array(workload.events.prefix(count))
    let threads = threadCPUSeconds()
    let cpu = cpuSeconds()
    let elapsed = try await clock.measure {
        for event in events { try await runtime.ingest(event) }
    }
    try report("one commit per event (1 caller)", events: count, elapsed, cpu: cpuSeconds() - cpu, threads: busiestThreads(since: threads), store: store)
}
if arguments.modes.contains("group") {
    // Group commit: many callers at once, events committed together.
    let (store, runtime) = try preparedRuntime("group.sqlite")
    let callers = arguments.callers
    let events = workload.events
    let threads = threadCPUSeconds()
    let cpu = cpuSeconds()
    let elapsed = try await clock.measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    for index in stride(from: caller, to: events.count, by: callers) { try await runtime.ingest(events[index]) }
                }
            }
            try await group.waitForAll()
        }
    }
    try report("group commit (\(callers) callers)", events: events.count, elapsed, cpu: cpuSeconds() - cpu, threads: busiestThreads(since: threads), store: store)
}
if arguments.modes.contains("worker") {
    // The worker's path: batches of 1,000 with their input position.
    let (store, runtime) = try preparedRuntime("worker.sqlite")
    let events = workload.events
    let threads = threadCPUSeconds()
    let cpu = cpuSeconds()
    let elapsed = try await clock.measure {
        var offset: Int64 = 0
        for start in stride(from: 0, to: events.count, by: 1_000) {
            let batch = Array(events[start..<min(start + 1_000, events.count)])
            offset += Int64(batch.count * 300)
            try await runtime.ingest(batch, through: InputPosition(source: "events.jsonl", offset: offset, line: start + batch.count))
        }
    }
    try report("worker batches of 1,000", events: events.count, elapsed, cpu: cpuSeconds() - cpu, threads: busiestThreads(since: threads), store: store)
}

// MARK: 3. Wake-ups

@MainActor func wakeUpStore(pending: Int) async throws -> (SQLiteStore, Instant) {
    let path = freshPath(arguments.folder, "wakeups-\(pending).sqlite")
    let store = try SQLiteStore(path: path)
    var settings = WorkflowSettings(accountTimezone: "UTC")
    settings.allowReentry = true
    let workflow = Workflow(
        id: "w", name: "w", priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])],
        steps: [
            Step(id: "wait", .wait(.delay(Delay(days: 1), calendarDays: false, at: nil, from: .now))),
            Step(id: "tag", .action(.addTag(tagID: "done"))),
        ], settings: settings)
    _ = try store.publish(Automation(workflows: [workflow]), at: workload.start)
    let runtime = try DurableRuntime(store: store, options: options)
    var event = Event(id: "seed", type: .tagAdded, occurredAt: workload.start, contact: ContactReference(id: "c-1"))
    event.tag = "x"
    try await runtime.ingest(event)
    // Copy the one waiting enrollment into `pending` rows, wake-ups 1 ms apart.
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    let base = workload.start.millisecondsSinceEpoch + 86_400_000
    let saved = workload.start.millisecondsSinceEpoch
    try await queue.write { db in
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM enrollment WHERE id = 'e-1'") else { fail("no seed enrollment") }
        let json: String = row["json"]
        let wake = Instant(millisecondsSinceEpoch: row["wake_at"]).description
        try db.execute(sql: "DELETE FROM enrollment")
        let insert = try db.makeStatement(
            sql: "INSERT INTO enrollment (sequence, id, workflow_id, version, contact_id, state, wake_at, updated_at, json) VALUES (?, ?, 'w', 1, 'c-1', 'waiting', ?, ?, ?)")
        for number in 1...pending {
            let at = Instant(millisecondsSinceEpoch: base + Int64(number))
            let text = json.replacing("\"id\":\"e-1\"", with: "\"id\":\"e-\(number)\"").replacing(wake, with: at.description)
            try insert.execute(arguments: [number, "e-\(number)", at.millisecondsSinceEpoch, saved, text])
        }
        try db.execute(sql: "UPDATE meta SET value = ? WHERE name = 'next_enrollment'", arguments: [pending + 1])
    }
    return (store, Instant(millisecondsSinceEpoch: base))
}

if arguments.wakeups {
    for pending in arguments.pending {
        let made = clock.now
        let (store, base) = try await wakeUpStore(pending: pending)
        let size = (try? FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0
        say("wake-ups: \(format(Double(pending))) pending (made in \(String(format: "%.1f", seconds(clock.now - made))) s, \(size / 1_048_576) MiB)")
        var rates: [Double] = []
        for round in 0..<arguments.rounds {
            let runtime = try DurableRuntime(store: store, options: options)
            let target = Instant(millisecondsSinceEpoch: base.millisecondsSinceEpoch + Int64((round + 1) * arguments.fire))
            var fired = 0
            let elapsed = try await clock.measure {
                fired = try await runtime.advance(to: target).filter { $0.status == .resumed || $0.effect != nil }.count
            }
            let rate = Double(arguments.fire) / seconds(elapsed)
            rates.append(rate)
            say("  round \(round + 1): \(arguments.fire) wake-ups in \(String(format: "%.3f", seconds(elapsed))) s = \(format(rate))/s (records with an effect or resumed: \(fired))")
        }
        let sorted = rates.sorted()
        say("  median \(format(sorted[sorted.count / 2]))/s, best \(format(sorted.last ?? 0))/s")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
    }
}

try printDisk("disk (after)")
