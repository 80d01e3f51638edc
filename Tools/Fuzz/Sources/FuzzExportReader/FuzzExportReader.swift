// libFuzzer entry point for the export reader (LegacyImport). Build and run: see ../../README.md.
//
// Every input goes through the public API in four configurations (default and small limits, each
// without and with the XML Schema), as a stream drained item by item and once as a whole document.
// Any `ImportError` is an expected outcome; a crash, trap, sanitizer report, hang or unbounded
// memory use is a bug. Tests/LegacyImportTests/FuzzCrasherReplayTests.swift replays
// Fixtures/fuzz-crashers/ through the same calls under `swift test`: keep the two in step.
//
// Environment (read once):
//   FUZZ_SCHEMA=0   skip the two schema-validating configurations (to fuzz past a known schema bug)
//   FUZZ_VERBOSE=1  print each configuration's outcome (for reproducing a single input)

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LegacyImport

/// The harness's small limits: low enough that short inputs reach every limit check.
let smallLimits = ExportLimits(maxDepth: 16, maxAttributes: 8, maxTextBytes: 4096, maxDocumentBytes: 1 << 20)

/// The configurations each input is read with.
let readers: [ExportReader] = {
    let schema = environment("FUZZ_SCHEMA") != "0"
    return [
        // Defaults, without and with the XML Schema (`import-actions X.xml` and `... --check`).
        ExportReader(limits: .default, validatesSchema: false),
        schema ? ExportReader(limits: .default, validatesSchema: true) : nil,
        ExportReader(limits: smallLimits, validatesSchema: false),
        schema ? ExportReader(limits: smallLimits, validatesSchema: true) : nil,
    ].compactMap { $0 }
}()

let verbose = environment("FUZZ_VERBOSE") == "1"

func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

/// Drains a stream item by item, as `import-actions` does; returns something derived from every item
/// so that nothing is optimised away.
@inline(never)
func drain(_ reader: ExportReader, _ bytes: [UInt8]) -> Int {
    var count = 0
    do throws(ImportError) {
        let stream = try reader.stream(bytes: bytes, name: "fuzz.xml")
        while let item = try stream.next() {
            count &+= item.hashValue & 1
        }
        count &+= stream.warnings.count
        // After the end the stream stays at the end.
        _ = try stream.next()
        if verbose { print("stream(\(describe(reader))): \(count) items and warnings") }
    } catch {
        count &+= error.description.utf8.count  // builds the message: location and element path
        if verbose { print("stream(\(describe(reader))): \(error.code): \(error)") }
    }
    return count
}

/// Reads the whole document into memory, as small callers and tests do.
@inline(never)
func readWhole(_ reader: ExportReader, _ bytes: [UInt8]) -> Int {
    do throws(ImportError) {
        let document = try reader.read(bytes: bytes, name: "fuzz.xml")
        if verbose { print("read(\(describe(reader))): \(document.account.actionSets.count) action sets") }
        return document.account.actionSets.count &+ document.warnings.count
    } catch {
        if verbose { print("read(\(describe(reader))): \(error.code): \(error)") }
        return error.description.utf8.count
    }
}

func describe(_ reader: ExportReader) -> String {
    (reader.limits == .default ? "default limits" : "small limits") + (reader.validatesSchema ? ", schema" : "")
}

nonisolated(unsafe) var sink = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExportReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    for reader in readers {
        sink &+= drain(reader, bytes)
    }
    sink &+= readWhole(readers[0], bytes)
    return 0
}
