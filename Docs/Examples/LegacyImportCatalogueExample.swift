// The sample of Sources/LegacyImport/LegacyImport.docc/LegacyImport.md, compiled.
import LegacyImport

/// Prints what an export holds, read in one streaming pass.
func summarise(file: String) throws {
    let stream = try ExportReader().stream(file: file)
    var summary = ExportSummary()
    while let item = try stream.next() {
        summary.add(item)
    }
    print(summary.lines.joined(separator: "\n"))
    for warning in stream.warnings { print(warning) }
}
