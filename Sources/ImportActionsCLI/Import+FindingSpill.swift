#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import MigrationReport
import PurchaseActionsCore

/// The findings of an import, kept in a file of the staging folder (`.findings`, deleted before the
/// folder is committed) as they are found, so that memory does not grow with their number
/// (Benchmarks/README.md, "Import throughput"). In memory stay only their ``FindingSummary`` (the
/// totals and the first ones, for the report's headers and the console) and where each sorted run
/// of the file starts.
///
/// Each finding is written as its entry of `migration-report.json` (``MigrationFinding/reportJSONEntry``)
/// behind its ``FindingKey``: line, column and the order it was found in. Parts arrive in document
/// order and each part's findings are sorted before they are written, so the file is one run in
/// document order, plus one for the templates' findings (found at the end, at catalogue lines);
/// whenever a finding sorts before the one written last a new run starts. ``entries()`` merges the
/// runs, which gives exactly ``Migration/documentOrder(_:)`` of all the findings in the order found.
final class FindingSpill {
    /// The file's name in the staging folder.
    static let fileName = ".findings"
    /// Bytes before each entry: line, column and order (8 bytes each) and the entry's length (4).
    static let headerSize = 28

    private let path: String
    private let shown: String
    private let file: BodyFile
    private(set) var summary = FindingSummary()
    /// The file offset where each run starts.
    private(set) var runStarts: [Int] = [0]
    private var last: FindingKey?
    private var size = 0

    /// Creates the file in `directory`'s staging folder.
    init(in directory: OutputDirectory) throws(CommandError) {
        path = directory.staging + "/" + Self.fileName
        shown = directory.destination + "/" + Self.fileName
        file = try BodyFile(path: path, shown: shown)
    }

    /// Adds findings in the order found (one part's, or any found together): each gets the next
    /// order, then they are written sorted by line and column.
    func add(_ findings: [MigrationFinding]) throws(CommandError) {
        guard !findings.isEmpty else { return }
        var keyed: [(key: FindingKey, finding: MigrationFinding)] = []
        keyed.reserveCapacity(findings.count)
        for finding in findings {
            keyed.append((FindingKey(finding, order: summary.total), finding))
            summary.add(finding, order: summary.total)
        }
        if findings.count > 1 { keyed.sort { $0.key < $1.key } }
        for (key, finding) in keyed {
            if let last, key < last { runStarts.append(size) }
            last = key
            let entry = Self.entry(finding)
            guard let length = UInt32(exactly: entry.count) else {
                throw CommandError(.io, "cannot write \(shown): a finding's text is larger than 4 GiB")
            }
            var record: [UInt8] = []
            record.reserveCapacity(Self.headerSize + entry.count)
            for value in [key.line, key.column, key.order] { withUnsafeBytes(of: Int64(value).littleEndian) { record += $0 } }
            withUnsafeBytes(of: length.littleEndian) { record += $0 }
            record += entry
            try file.append(record)
            size += record.count
        }
    }

    /// The finding's entry of the JSON report's list, `reportJSONEntry`'s bytes (its JSON indented
    /// by four spaces, no final newline), written without building its JSON tree.
    static func entry(_ finding: MigrationFinding) -> [UInt8] {
        var writer = CanonicalJSONWriter(capacity: 512, indent: 4)
        finding.writeJSON(to: &writer)
        return writer.bytes
    }

    /// Closes the file; the findings can then be read back with ``entries()``.
    func close() throws(CommandError) { try file.close() }

    /// The findings' entries in document order, read back from the file run by run.
    func entries() throws(CommandError) -> Entries {
        try Entries(path: path, shown: shown, runs: zip(runStarts, runStarts.dropFirst() + [size]).map { $0..<$1 })
    }

    /// Deletes the file.
    func remove() { unlink(path) }

    /// Reads the entries of the runs back, smallest key first (a heap over the runs' next entries).
    final class Entries {
        private let descriptor: Int32
        private let shown: String
        private var readers: [RunReader]
        /// Indices of readers with an entry, as a binary min-heap by their current key.
        private var heap: [Int] = []

        fileprivate init(path: String, shown: String, runs: [Range<Int>]) throws(CommandError) {
            self.shown = shown
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw CommandError(.io, "cannot read \(shown): \(String(cString: strerror(errno)))") }
            // About 4 MiB of buffers in all, at least 4 KiB per run.
            let bufferSize = Swift.max(1 << 12, Swift.min(ReportWriter.chunkSize, (1 << 22) / Swift.max(1, runs.count)))
            readers = runs.map { RunReader(range: $0, bufferSize: bufferSize) }
            for index in readers.indices where try readers[index].advance(descriptor, shown) { push(index) }
        }

        deinit {
            #if canImport(Glibc)
            _ = Glibc.close(descriptor)
            #else
            _ = Darwin.close(descriptor)
            #endif
        }

        /// The next entry in document order, or `nil` after the last.
        func next() throws(CommandError) -> [UInt8]? {
            guard let top = heap.first else { return nil }
            let entry = readers[top].entry
            if try readers[top].advance(descriptor, shown) {
                sink(0)
            } else {
                let last = heap.removeLast()
                if !heap.isEmpty {
                    heap[0] = last
                    sink(0)
                }
            }
            return entry
        }

        private func less(_ a: Int, _ b: Int) -> Bool { readers[heap[a]].key < readers[heap[b]].key }

        private func push(_ reader: Int) {
            heap.append(reader)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard less(child, parent) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        private func sink(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var smallest = left
                if left + 1 < heap.count, less(left + 1, left) { smallest = left + 1 }
                guard less(smallest, parent) else { return }
                heap.swapAt(smallest, parent)
                parent = smallest
            }
        }
    }

    /// One run of the file, read through a buffer: its current entry and key.
    struct RunReader {
        var next: Int
        let end: Int
        let bufferSize: Int
        var buffer: [UInt8] = []
        var position = 0
        var key = FindingKey(line: 0, column: 0, order: 0)
        var entry: [UInt8] = []

        init(range: Range<Int>, bufferSize: Int) {
            next = range.lowerBound
            end = range.upperBound
            self.bufferSize = bufferSize
        }

        /// Reads the next entry of the run into ``key`` and ``entry``; `false` at the run's end.
        mutating func advance(_ descriptor: Int32, _ shown: String) throws(CommandError) -> Bool {
            guard try fill(FindingSpill.headerSize, descriptor, shown) else { return false }
            func integer(_ at: Int, _ width: Int) -> Int {
                var value: UInt64 = 0
                for index in (0..<width).reversed() { value = value << 8 | UInt64(buffer[position + at + index]) }
                return width == 8 ? Int(Int64(bitPattern: value)) : Int(value)
            }
            key = FindingKey(line: integer(0, 8), column: integer(8, 8), order: integer(16, 8))
            let length = integer(24, 4)
            position += FindingSpill.headerSize
            guard try fill(length, descriptor, shown) else { throw CommandError(.io, "cannot read \(shown): the file ends inside a finding") }
            entry = Array(buffer[position..<(position + length)])
            position += length
            return true
        }

        /// Makes sure `count` bytes are buffered from `position`, reading more of the run when needed.
        private mutating func fill(_ count: Int, _ descriptor: Int32, _ shown: String) throws(CommandError) -> Bool {
            if buffer.count - position >= count { return true }
            buffer.removeSubrange(0..<position)
            position = 0
            while buffer.count < count, next < end {
                let wanted = Swift.min(Swift.max(bufferSize, count - buffer.count), end - next)
                let start = buffer.count
                buffer += repeatElement(0, count: wanted)
                let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + start, wanted, off_t(next)) }
                if got < 0, errno == EINTR {
                    buffer.removeSubrange(start...)
                    continue
                }
                guard got > 0 else {
                    throw CommandError(.io, "cannot read \(shown): \(got < 0 ? String(cString: strerror(errno)) : "the file is shorter than written")")
                }
                buffer.removeSubrange((start + got)...)
                next += got
            }
            return buffer.count >= count
        }
    }
}
