#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import PurchaseActionsCore

/// The findings of an import, streamed to an anonymous temporary file (`tmpfile`, gone when the
/// process ends) as canonical JSON text, so that an import's memory does not grow with its
/// findings (a 200,000-set export has about 450,000); `migration-report.json` copies them back
/// at the end (``ImportReportStream``). With them, a ``FindingTally`` keeps what the console shows.
///
/// Findings are written in the order they arrive, each batch (one compiled part, or the account
/// and catalogue) in document order: parts arrive in document order and their findings lie within
/// their own lines, so the file is in document order (the golden reports check it).
final class FindingSpill {
    private let file: UnsafeMutablePointer<FILE>
    /// How many findings the file holds.
    private(set) var count = 0
    /// The counts and the first findings, for the console.
    private(set) var tally = FindingTally()

    /// Opens the temporary file.
    init() throws(CommandError) {
        guard let file = tmpfile() else {
            throw CommandError(.io, "cannot create a temporary file for the findings: \(String(cString: strerror(errno)))")
        }
        self.file = file
    }

    deinit { fclose(file) }

    /// Appends findings, in document order among themselves.
    func append(_ findings: [MigrationFinding]) throws(CommandError) {
        guard !findings.isEmpty else { return }
        var bytes: [UInt8] = []
        for finding in Migration.documentOrder(findings) {
            tally.add(finding)
            if count > 0 { bytes.append(contentsOf: ",\n".utf8) }
            count += 1
            // The finding's canonical text, indented for its place in the report's "findings" array.
            bytes.append(contentsOf: "    ".utf8)
            let text = finding.json.canonicalBytes.dropLast()
            for byte in text {
                bytes.append(byte)
                if byte == UInt8(ascii: "\n") { bytes.append(contentsOf: "    ".utf8) }
            }
        }
        try put(bytes, to: file)
    }

    /// Copies every finding's text (without a final line break) to `output`.
    func copy(to output: UnsafeMutablePointer<FILE>) throws(CommandError) {
        fflush(file)
        rewind(file)
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let read = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if read == 0 { break }
            try put(Array(buffer[0..<read]), to: output)
        }
        guard ferror(file) == 0 else { throw CommandError(.io, "cannot read back the findings' temporary file") }
    }
}

/// Writes `bytes` to a stream, or throws an I/O error.
private func put(_ bytes: [UInt8], to stream: UnsafeMutablePointer<FILE>) throws(CommandError) {
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stream) }
    guard written == bytes.count else { throw CommandError(.io, "cannot write: \(String(cString: strerror(errno)))") }
}

/// `migration-report.json` written as a stream: the same canonical text as
/// ``MigrationRun/report``'s `canonicalBytes` (`{"findings", "formatVersion", "workflows"}`, keys
/// sorted, two-space indent), with the findings copied from a ``FindingSpill`` and only the
/// workflow ids held in memory.
enum ImportReportStream {
    /// Writes the report to `path` (a new file in the staging folder).
    static func write(to path: String, findings: FindingSpill, workflowIDs: [String]) throws(CommandError) {
        guard let output = fopen(path, "wx") else {
            throw CommandError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        var closed = false
        defer { if !closed { fclose(output) } }
        if findings.count == 0 {
            try put(Array("{\n  \"findings\": [],\n".utf8), to: output)
        } else {
            try put(Array("{\n  \"findings\": [\n".utf8), to: output)
            try findings.copy(to: output)
            try put(Array("\n  ],\n".utf8), to: output)
        }
        var tail = Array("  \"formatVersion\": 1,\n  \"workflows\": ".utf8)
        let ids = workflowIDs.sorted()
        if ids.isEmpty {
            tail += "[]".utf8
        } else {
            tail += "[\n".utf8
            for (index, id) in ids.enumerated() {
                if index > 0 { tail += ",\n".utf8 }
                tail += "    ".utf8
                tail += JSONValue.string(id).canonicalBytes.dropLast()
            }
            tail += "\n  ]".utf8
        }
        tail += "\n}\n".utf8
        try put(tail, to: output)
        closed = true
        guard fclose(output) == 0 else { throw CommandError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
