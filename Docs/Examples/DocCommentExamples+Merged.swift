// The samples in `///` doc comments added by issue 11's façade, Codable and engine work, compiled
// (DocSamplesTests finds them; lines after a sample use what it declares, lines before give it what
// it names).
import Foundation
import PurchaseActions

/// LoadedAutomation's sample (Sources/PurchaseActions/Loading/LoadedAutomation.swift).
func loadedAutomationDocSample(start: Instant) throws -> Engine {
    let loaded = try LoadedAutomation(exportFile: "Fixtures/exports/course-creator.xml")
    for warning in loaded.warnings { print(warning) }
    for finding in loaded.findings { print(finding) }
    let engine = try Engine(workflows: loaded.automation.workflows, start: start)
    return engine
}

/// EventsFile's sample (Sources/PurchaseActions/Loading/EventsFile.swift).
func eventsFileDocSample() throws -> [Event] {
    var file = try EventsFile(path: "Fixtures/events/course-creator.jsonl")
    while let line = try file.next() {
        switch line.result {
        case .success(let event): print(line.number, event.id)
        case .failure(let error): print("line \(line.number): \(error)")
        }
    }
    let events = try EventsFile.read("Fixtures/events/course-creator.jsonl")
    return events
}

/// MigrationRun's samples (Sources/PurchaseActions/Loading/MigrationRun+ExportItem.swift,
/// Sources/PurchaseActionsCore/Migration/MigrationRun.swift).
func migrationRunDocSamples(account: LegacyAccount) throws -> String {
    let stream = try ExportReader().stream(file: "export.xml")
    var run = MigrationRun()
    while let item = try stream.next() {
        if let output = run.add(item) { print(output.workflow.id) }
    }
    return migrationRunPartsDocSample(account: account)
}

func migrationRunPartsDocSample(account: LegacyAccount) -> String {
    var run = MigrationRun()
    run.add(account: account.settings)
    run.add(catalogue: account.catalogue)
    for set in account.actionSets {
        let output = run.add(set)
        print(output.workflow.id)
    }
    print(run.summary(warnings: 0))   // 2 workflows (2 action sets); all mapped exactly
    return run.summary(warnings: 0)
}

/// The Data and Date conveniences' samples (Sources/PurchaseActions/Foundation).
func foundationDocSamples(data: Data, url: URL, folder: URL, handle: FileHandle, line: Data, engine: Engine, picker: DatePickerStandIn) throws {
    let value = try JSONValue.parse(data)
    try value.canonicalData.write(to: url)
    let workflow = try Workflow.load(Data(contentsOf: url))
    try workflow.canonicalData.write(to: folder.appending(path: "\(workflow.id).json"))
    let event = try Event.load(Data(#"{"id":"e-1","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"},"tag":"t"}"#.utf8))
    handle.write(event.canonicalLine)
    let record = try LogRecord.load(line)
    handle.write(record.canonicalLine)
    let now = Instant(Date())
    guard let start = Instant(checking: picker.date) else { return }
    let shown = Date(engine.now).formatted()
    print(now, start, shown)
}

/// The Codable samples (Event, Workflow, JSONValue, LogRecord, Effect).
func codableDocSamples(line: String, event: Event, data: Data, workflow: Workflow, stored: Data, engine: Engine, outboxData: Data, decodingError: CaughtDecodingError, effect: Effect) throws {
    do {
        let event = try JSONDecoder().decode(Event.self, from: Data(line.utf8))
        print(event)
    }
    do {
        let data = try JSONEncoder().encode(event)
        print(data)
    }
    do {
        let line = event.json.compactText   // {"contact":{"id":"c-1"},"id":"e-1","occurredAt":"2025-01-01T00:00:00Z","tag":"t","type":"tag.added"}
        print(line)
    }
    do {
        let workflow = try JSONDecoder().decode(Workflow.self, from: data)
        print(workflow)
    }
    do {
        let data = try JSONEncoder().encode(workflow)
        print(data)
    }
    let path = JSONPath(codingPath: decodingError.context.codingPath).description   // "$.order.lines[0]"
    let value = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"a":[1,true,null]}"#.utf8))
    do {
        let data = try JSONEncoder().encode(JSONValue.object(["a": .integer(1)]))   // {"a":1}
        print(data)
    }
    let record = try LogRecord(json: JSONValue.parse(line))
    let log = try JSONDecoder().decode([LogRecord].self, from: stored)
    do {
        let stored = try JSONEncoder().encode(engine.log)
        print(stored)
    }
    let text = effect.json.compactText   // {"details":{"tag":"tag-vip"},"external":false,"kind":"add-tag"}
    do {
        let effect = try Effect(json: JSONValue.parse(#"{"kind":"add-tag","details":{"tag":"t"},"external":false}"#))
        print(effect)
    }
    let effects = try JSONDecoder().decode([Effect].self, from: outboxData)
    do {
        let data = try JSONEncoder().encode(engine.log.compactMap(\.effect))
        print(data)
    }
    print(path, value, record, log, text, effects)
}

/// Event validation's sample (Sources/PurchaseActionsCore/Events/Event+Validation.swift).
func eventValidationDocSample(now: Instant) throws {
    var event = Event(id: "evt-1", type: .paymentSucceeded, occurredAt: now, contact: ContactReference(id: "c-1"))
    try event.validate()   // JSONError: $: a payment.succeeded event requires 'order'
    event.id = "evt-2"
}

/// Instant and Duration's samples (Sources/PurchaseActionsCore/Time/Instant+Duration.swift).
func durationDocSamples(start: Instant, deadline: Instant, now: Instant, engine: Engine) -> [Instant] {
    let milliseconds = Instant.milliseconds(in: .seconds(90))   // 90000
    let later = start.adding(.seconds(30 * 86_400))
    let dayBefore = deadline.subtracting(.seconds(86_400))
    let elapsed = start.duration(to: engine.now)   // .seconds(86400) a day later
    print(milliseconds ?? 0, elapsed)
    return [later, dayBefore]
}

/// Instant.checkedAdding's sample.
func checkedAddingDocSample(now: Instant) -> Instant? {
    var result: Instant?
    func schedule() {
        guard let due = now.checkedAdding(.seconds(3600)) else { return }
        result = due
    }
    schedule()
    return result
}

/// Engine's samples (Engine.swift, Engine+Ports.swift, Engine+LegacyAPI.swift, Engine+Contacts.swift).
func engineDocSamples(account: LegacyAccount, automation: Automation, start: Instant, outbox: RecordingEffectSink, deliver: (Effect) -> Void) throws {
    let engine = try Engine(Automation(migrating: account), start: start)
    let withOutbox = try Engine(automation, start: start, ports: Engine.Ports(effects: outbox))
    do {
        let outbox = RecordingEffectSink()
        let engine = try Engine(automation, start: start, ports: Engine.Ports(effects: outbox))
        // ... engine.ingest(event) ...
        for effect in outbox.effects where effect.isExternal { deliver(effect) }
        print(engine.now)
    }
    do {
        let results = try engine.runActionSet("as-masterclass", contactID: "c-1")
        for result in results where result.isError { print(result.message) }
    }
    do {
        let dana = engine.contact(matching: ContactMatch(firstName: "Dana", lastName: "Whitfield", email: "dana@example.com"))
        let results = try engine.runActionSet("as-masterclass", contactID: dana!.id)
        print(results)
    }
    print(withOutbox.now)
}

/// What the Date sample reads from: a date picker's value.
struct DatePickerStandIn { var date: Date }
/// What the coding-path sample reads from: a caught decoding error's context.
struct CaughtDecodingError { var context: DecodingError.Context }

/// JSONValue.decode's sample (Sources/PurchaseActionsCore/JSON/JSONValue+Codable.swift), in a type
/// of the same name as the one it decodes.
enum DecodeDocSample {
    struct Event: Decodable {
        var json: JSONValue
        init(json: JSONValue) throws(JSONError) { self.json = json }
        public init(from decoder: any Decoder) throws { self = try JSONValue.decode(from: decoder) { json throws(JSONError) in try Event(json: json) } }
    }
}
