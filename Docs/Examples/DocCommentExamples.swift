// The samples in `///` doc comments of the library modules' public symbols, compiled (DocSamplesTests
// finds them; lines after a sample use what it declares). AccountProfile's is in
// EngineProfileExample.swift.
import PurchaseActions

/// LegacyCompiler's sample (Sources/PurchaseActionsCore/Migration/LegacyCompiler.swift).
func legacyCompilerDocSample(account: LegacyAccount) -> LegacyCompiler.Output {
    let compiler = LegacyCompiler(settings: account.settings, catalogue: account.catalogue)
    let output = compiler.compile(account.actionSets[0])
    print(output.workflow.json.canonicalText, output.findings)
    return output
}

/// DisplayText's sample (Sources/PurchaseActionsCore/Source/DisplayText.swift).
func displayTextDocSample() -> [String] {
    let line = DisplayText.escape("id\nerror: forged")   // "id\\nerror: forged", one line
    let code = DisplayText.escape("\u{1B}[31mred")        // "\\u{1B}[31mred"
    return [line, code]
}

/// JSONObjectReader's sample (Sources/PurchaseActionsCore/JSON/JSONReader.swift).
func jsonObjectReaderDocSample(value: JSONValue) throws(JSONError) -> (id: String, quantity: Int) {
    var object = try JSONObjectReader(value, at: .root)
    let id = try object.string("id")
    let quantity = try object.optionalInteger("quantity") ?? 1
    try object.finish()
    return (id, quantity)
}

/// ExportReader's sample (Sources/LegacyImport/Reader/ExportReader.swift), run from the root.
func exportReaderDocSample() throws {
    let reader = ExportReader()
    let stream = try reader.stream(file: "Fixtures/exports/course-creator.xml")
    while let item = try stream.next() {
        if case .actionSet(let set) = item { print(set.id, set.actions.count) }
    }
}

/// Engine's sample (Sources/PurchaseActionsEngine/Engine/Engine.swift).
func engineDocSample(account: LegacyAccount, first: Event) throws -> Engine {
    let engine = try Engine(Automation(migrating: account), start: first.occurredAt)
    try engine.ingest(first)
    engine.advance(to: first.occurredAt.adding(seconds: 90 * 86_400))
    for record in engine.log { print(record.message) }
    return engine
}
