#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import PurchaseActionsCore
import PurchaseActionsDunning

/// The timeline entries of a `dunning simulate` run, kept in a temporary file instead of memory
/// (Docs/dunning-simulation.md, "Memory"): each entry is written as it happens, already in the form
/// it is printed in (a text line, or its JSON), and each invoice's entries are read back, in their
/// order, when the invoice is printed. The output is printed sorted by invoice id, which needs
/// every invoice's outcome first: only the invoices' ids and where their entries lie stay in
/// memory, and at most ``bufferBytes`` of entries not yet written.
///
/// The file is created in `$TMPDIR` (else `/tmp`) and removed from the folder at once, so it goes
/// away with the process however it ends; it holds at most `DunningSimulation.defaultMaxEntries`
/// entries (a few hundred bytes each).
final class DunningTimelineSpill {
    /// Entries gathered before they are written: 1 MiB.
    static let bufferBytes = 1 << 20

    /// The open, already unlinked file.
    private let descriptor: Int32
    /// Entries not written yet; they follow `written` bytes of the file.
    private var buffer: [UInt8] = []
    /// Bytes written to the file.
    private var written = 0
    /// Each invoice's slot.
    private var slots: [String: Int] = [:]
    /// Each slot's stretches of the file (offset, length), in order, flattened.
    private var stretches: [[Int]] = []
    /// The invoice of the last entry, whose stretch may grow.
    private var last: (invoice: String, slot: Int)?
    /// The first error writing the file, thrown by ``entries(of:)``.
    private var failure: CommandError?
    /// The largest buffer held (for the tests of the bound).
    private(set) var largestBuffer = 0

    /// Creates the file: an I/O error (exit 74) when it cannot be.
    init() throws(CommandError) {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + (folder.hasSuffix("/") ? "" : "/") + "purchase-actions-timelines-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw CommandError(.io, "cannot create a temporary file in \(DisplayText.escape(folder)) for the timelines (\(Self.describe(errno))); set TMPDIR to a writable folder")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.bufferBytes)
    }

    deinit { close(descriptor) }

    /// Adds one entry of `invoice`, as `bytes`.
    func append(_ invoice: String, _ bytes: some Collection<UInt8>) {
        guard failure == nil else { return }
        let offset = written + buffer.count
        buffer.append(contentsOf: bytes)
        largestBuffer = max(largestBuffer, buffer.count)
        let slot: Int
        if let last, last.invoice == invoice {
            slot = last.slot
            // Right after this invoice's previous entry: the same stretch grows.
            let count = stretches[slot].count
            if stretches[slot][count - 2] + stretches[slot][count - 1] == offset {
                stretches[slot][count - 1] += bytes.count
            } else {
                stretches[slot] += [offset, bytes.count]
            }
        } else {
            if let known = slots[invoice] {
                slot = known
            } else {
                slot = stretches.count
                slots[invoice] = slot
                stretches.append([])
            }
            stretches[slot] += [offset, bytes.count]
        }
        last = (invoice, slot)
        if buffer.count >= Self.bufferBytes { flush() }
    }

    /// Whether `invoice` has an entry.
    func has(_ invoice: String) -> Bool { slots[invoice] != nil }

    /// Writes the buffer to the file.
    private func flush() {
        var done = 0
        while done < buffer.count, failure == nil {
            let count = buffer.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, buffer.count - done, off_t(written + done)) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = CommandError(.io, "cannot write the temporary file of the timelines (\(Self.describe(errno))); free some space in $TMPDIR or set TMPDIR to another folder")
            } else {
                done += count
            }
        }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// The bytes of `invoice`'s entries, in order (empty for an invoice without entries).
    func entries(of invoice: String) throws(CommandError) -> [UInt8] {
        if !buffer.isEmpty { flush() }
        if let failure { throw failure }
        guard let slot = slots[invoice] else { return [] }
        let list = stretches[slot]
        var total = 0
        for index in stride(from: 1, to: list.count, by: 2) { total += list[index] }
        var bytes = [UInt8](repeating: 0, count: total)
        var at = 0
        for index in stride(from: 0, to: list.count, by: 2) {
            var done = 0
            while done < list[index + 1] {
                let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + at + done, list[index + 1] - done, off_t(list[index] + done)) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    throw CommandError(.io, "cannot read the temporary file of the timelines back (\(count < 0 ? Self.describe(errno) : "it is shorter than written"))")
                }
                done += count
            }
            at += list[index + 1]
        }
        return bytes
    }

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// Prints a run whose entries went to spills: the same bytes ``DunningPrinter`` and
/// `Terminal.jsonLine` print for the run held in memory.
extension DunningPrinter {
    /// An entry as `timelines` prints it: its line, controls escaped, and a line feed.
    func spilledLine(_ entry: DunningEntry) -> [UInt8] {
        Array((DisplayText.escapeControls("  " + line(entry)) + "\n").utf8)
    }

    /// An entry as `--json` prints it inside its invoice's `entries`.
    static func spilledJSON(_ entry: DunningEntry, first: Bool) -> [UInt8] {
        Array(((first ? "" : ",") + DisplayText.escapeJSONText(entry.json.compactText)).utf8)
    }

    /// The text of ``timelines(_:)``, each invoice's entries from `spill`, written invoice by invoice.
    func timelines(_ result: SimulationResult, spill: DunningTimelineSpill) throws(CommandError) {
        for timeline in result.invoices {
            var header = [timeline.invoice]
            if let contact = timeline.contact { header.append("contact \(contact)") }
            if let amount = timeline.amount, let currency = timeline.currency { header.append(Self.money(amount, currency)) }
            header.append(timeline.summary)
            var block = DisplayText.escapeControls(header.joined(separator: "  ")) + "\n"
            block += String(decoding: try spill.entries(of: timeline.invoice), as: UTF8.self)
            block += "\n"
            print(block, terminator: "")
        }
    }

    /// `result.json.compactText` as `Terminal.jsonLine` prints it, each invoice's entries from
    /// `spill`, written invoice by invoice (`terminator` after it: the line feed, or nothing when
    /// more of the line follows).
    static func json(_ result: SimulationResult, spill: DunningTimelineSpill, terminator: String) throws(CommandError) {
        var shell = result
        shell.invoices = []
        let text = DisplayText.escapeJSONText(shell.json.compactText)
        // The keys are sorted and `end` holds no `"`: the first `"invoices":[]` is the member.
        guard !result.invoices.isEmpty, let place = text.firstRange(of: #""invoices":[]"#) else {
            print(text, terminator: terminator)
            return
        }
        print(String(text[..<place.lowerBound]) + #""invoices":["#, terminator: "")
        for (index, timeline) in result.invoices.enumerated() {
            var invoice = DisplayText.escapeJSONText(timeline.json.compactText)
            // Before `entries` come only `amount`, `charges` and `contact`: a string's `"` is escaped,
            // so the first `"entries":[]` is the member.
            if let entries = invoice.firstRange(of: #""entries":[]"#) {
                let spilled = String(decoding: try spill.entries(of: timeline.invoice), as: UTF8.self)
                invoice = String(invoice[..<entries.lowerBound]) + #""entries":["# + spilled + "]" + String(invoice[entries.upperBound...])
            }
            print((index == 0 ? "" : ",") + invoice, terminator: "")
        }
        print("]" + String(text[place.upperBound...]), terminator: terminator)
    }

    /// `SimulationComparison.json` as `Terminal.jsonLine` prints it, both runs' entries from their spills.
    static func json(_ comparison: SimulationComparison, left: DunningTimelineSpill, right: DunningTimelineSpill) throws(CommandError) {
        // The members in key order: compare, differences, policy.
        print(#"{"compare":"#, terminator: "")
        try json(comparison.right, spill: right, terminator: "")
        let differences = JSONValue.array(
            comparison.differences.map { .members(["invoice": $0.invoice.json, "policy": $0.left.json, "compare": $0.right.json]) })
        print(#","differences":"# + DisplayText.escapeJSONText(differences.compactText) + #","policy":"#, terminator: "")
        try json(comparison.left, spill: left, terminator: "")
        print("}")
    }
}
