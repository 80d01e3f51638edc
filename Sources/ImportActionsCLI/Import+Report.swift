#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import ArgumentParser
import Crypto
import LegacyImport
import MigrationReport
import PurchaseActions
import PurchaseActionsCore
import Synchronization

/// Writes `migration-report.json`, `.md` and `.html` into the output folder as the import runs:
/// each workflow's fragments are appended to one body file per ``ReportBody`` in the staging folder,
/// and ``finish(findings:warnings:inlineSVG:)`` writes each document's header (tool, input digest,
/// totals, behaviour changes, findings) and copies the bodies in, chunk by chunk, so memory does not
/// grow with the number of workflows. The body files are deleted before the folder is committed.
struct ReportWriter {
    private var builder: MigrationReportBuilder
    private let directory: OutputDirectory
    private let export: String
    private var bodies: [ReportBody: BodyFile] = [:]
    private var tookTemplateFindings = false

    /// The size of the chunks bodies and the export are read in: 256 KiB.
    static let chunkSize = 1 << 18
    /// The largest SVG picture read for the HTML report: 4 MiB.
    static let pictureLimit = 1 << 22

    init(directory: OutputDirectory, export: String) {
        self.directory = directory
        self.export = export
        builder = MigrationReportBuilder(tool: "import-actions", version: ImportActions.configuration.version, input: export)
    }

    /// Takes the account and the catalogue as the stream hands them out.
    mutating func add(_ item: ExportItem) {
        switch item {
        case .account(let settings): builder.add(account: settings)
        case .catalogue(let catalogue): builder.add(catalogue: catalogue)
        default: break
        }
    }

    /// Takes the dunning policy the billing settings became, for the account section.
    mutating func add(dunningPolicy: DunningPolicyNote) { builder.add(dunningPolicy: dunningPolicy) }

    /// Appends one compiled workflow's fragments to the body files. Before the first, the report
    /// takes the template findings (`templateFindings`, asked once: the catalogue, and so every
    /// template, precedes the first part), so steps using a template with findings are approximated.
    mutating func add(_ output: LegacyCompiler.Output, templateFindings: () -> [MigrationFinding] = { [] }) throws(CommandError) {
        if !tookTemplateFindings {
            tookTemplateFindings = true
            builder.add(templateFindings: templateFindings())
        }
        try append(builder.add(workflow: output.workflow, findings: output.findings))
    }

    /// Appends the fragments of workflows rendered apart (``ReportPipeline``), in workflow order;
    /// the template findings as in ``add(_:templateFindings:)``.
    mutating func add(_ rendered: [RenderedWorkflow], templateFindings: () -> [MigrationFinding] = { [] }) throws(CommandError) {
        if !tookTemplateFindings {
            tookTemplateFindings = true
            builder.add(templateFindings: templateFindings())
        }
        for workflow in rendered { try append(builder.add(workflow)) }
    }

    /// A renderer in the state of this writer's builder (``MigrationReportBuilder/currentRenderer``).
    var currentRenderer: ReportRenderer { builder.currentRenderer }

    private mutating func append(_ fragment: ReportFragment) throws(CommandError) {
        for part in fragment.parts {
            let file: BodyFile
            if let open = bodies[part.body] {
                file = open
            } else {
                file = try BodyFile(path: directory.staging + "/" + part.body.fileName, shown: shown(part.body.fileName))
                bodies[part.body] = file
            }
            try file.append(part.bytes)
        }
    }

    /// Writes the three documents and deletes the body files. The findings come from `findings`
    /// (closed, its file deleted afterwards): its summary for the headers, its entries, in document
    /// order, for the JSON report's list. `inlineSVG` gives a workflow's SVG picture, if one was made
    /// (by default read from `pictures/<id>.svg` in the staging folder). `digest` is the export's
    /// (``digest(_:)``), when the caller has it already.
    ///
    /// The JSON document (its findings merged back from the spill, its outline body copied in) is
    /// written on a thread of its own while this one writes the Markdown and the HTML: the three
    /// are independent, and this is the import's serial end (Benchmarks/README.md, "Import
    /// throughput").
    func finish(findings: FindingSpill, warnings: [ImportWarning], inlineSVG: ((String) -> [UInt8]?)? = nil, digest: String? = nil) throws(CommandError) {
        for file in bodies.values { try file.close() }
        let staging = directory.staging
        let pictures = inlineSVG ?? { id in
            let bytes = FileSystem.prefix(staging + "/pictures/" + id + ".svg", limit: Self.pictureLimit)
            return bytes.isEmpty || bytes.count >= Self.pictureLimit ? nil : bytes
        }
        let exportDigest: String
        if let digest { exportDigest = digest } else { exportDigest = try Self.digest(export) }
        let ending = ReportEnding(
            digest: exportDigest, summary: findings.summary, warnings: warnings.map { ReaderWarning($0.message, at: $0.location) })
        // Only reads from here on: the bodies are closed, and `findings` is read by the JSON job alone.
        let shared = FinishBox(self, findings)
        let side = BackgroundWriter(directory, capacity: 1)
        do throws(CommandError) {
            try side.perform { () throws(CommandError) in
                let (writer, findings) = shared.take()
                try writer.write(.json, ending: ending, findings: findings, pictures: { _ in nil })
            }
            try write(.markdown, ending: ending, findings: findings, pictures: pictures)
            try write(.html, ending: ending, findings: findings, pictures: pictures)
            try side.finish()
        } catch {
            side.cancel()
            throw error
        }
        for body in bodies.keys { unlink(staging + "/" + body.fileName) }
        findings.remove()
    }

    /// Writes one document: its pieces, the findings' entries of the JSON one, the bodies copied in.
    private func write(_ document: ReportDocument, ending: ReportEnding, findings: FindingSpill, pictures: @escaping (String) -> [UInt8]?) throws(CommandError) {
        let output = try BodyFile(path: directory.staging + "/" + document.fileName, shown: shown(document.fileName))
        let pieces = builder.pieces(document, ending: ending)
        // Only HTML bodies hold picture markers; the budget is found from the pieces made here.
        let budget = document == .html ? builder.pictureBudget(htmlPieces: pieces) : 0
        var splicer = PictureSplicer(shows: builder.showsPicture, inlineSVG: pictures, budget: budget)
        var entries: FindingSpill.Entries?
        for piece in pieces {
            switch piece {
            case .text(let bytes): try output.append(bytes)
            case .findings(let range):
                if entries == nil { entries = try findings.entries() }
                for index in range {
                    guard let entry = try entries?.next() else {
                        throw CommandError(.io, "cannot read \(shown(FindingSpill.fileName)): fewer findings than counted")
                    }
                    try output.append(MigrationReportBuilder.findingsJSONSeparator(index: index) + entry)
                }
            case .body(let body):
                guard bodies[body] != nil else { continue }
                try copy(body, to: output, splicer: &splicer)
            }
        }
        try output.close()
    }

    /// Copies a body file into a document in chunks, through the splicer for HTML bodies.
    private func copy(_ body: ReportBody, to output: BodyFile, splicer: inout PictureSplicer) throws(CommandError) {
        let path = directory.staging + "/" + body.fileName
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CommandError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // A body without picture markers is copied as it is, by the kernel where it can
        // (`copy_file_range`: no read into this process and write back; Benchmarks/README.md).
        if !body.hasPictureMarkers, try output.copyAll(from: descriptor) { return }
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CommandError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            try output.append(body.hasPictureMarkers ? splicer.feed(buffer[0..<count]) : Array(buffer[0..<count]))
        }
        if body.hasPictureMarkers { try output.append(splicer.finish()) }
    }

    private func shown(_ name: String) -> String { directory.destination + "/" + name }

    /// The SHA-256 digest of a file, in lower-case hexadecimal.
    static func digest(_ path: String) throws(CommandError) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CommandError(.io, "cannot read \(path) for its digest: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CommandError(.io, "cannot read \(path) for its digest: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in hasher.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

/// The report writer and the findings, handed to the thread writing the JSON document in
/// ``ReportWriter/finish(findings:warnings:inlineSVG:digest:)``: both only read there (the bodies are
/// closed; the findings' file is read by that thread alone until it is joined), so nothing in them
/// is written by two threads.
///
/// `@unchecked Sendable` (the writer and the findings are not `Sendable`: they hold open files),
/// so its one accessor is checked in every build: ``take()`` hands them out once, to the one thread
/// that writes the JSON document; a second take is a programming error and stops the program
/// (`FinishBoxTests`).
final class FinishBox: @unchecked Sendable {
    private let writer: ReportWriter
    private let findings: FindingSpill
    private let taken = Atomic(false)

    init(_ writer: ReportWriter, _ findings: FindingSpill) {
        self.writer = writer
        self.findings = findings
    }

    /// The writer and the findings, for the thread that writes the JSON document: once only.
    func take() -> (writer: ReportWriter, findings: FindingSpill) {
        let (first, _) = taken.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        precondition(first, "FinishBox taken twice")
        return (writer, findings)
    }
}

/// A file written through a 64 KiB buffer: created new (never over an existing file), appended to,
/// closed once.
final class BodyFile {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let shown: String
    static let bufferSize = 1 << 16

    init(path: String, shown: String) throws(CommandError) {
        self.shown = shown
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw CommandError(.io, "cannot write \(shown): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.bufferSize)
    }

    func append(_ bytes: [UInt8]) throws(CommandError) {
        buffer += bytes
        if buffer.count >= Self.bufferSize { try flush() }
    }

    private func flush() throws(CommandError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandError(.io, "cannot write \(shown): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    #if os(Linux)
    private typealias CopyFileRange = @convention(c) (Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int
    /// glibc's `copy_file_range` (2.27 and later), looked up by name: the Swift Glibc module does
    /// not declare it.
    private static let copyFileRange: CopyFileRange? = dlsym(nil, "copy_file_range").map { unsafeBitCast($0, to: CopyFileRange.self) }
    #endif

    /// Appends the rest of the open file `source` (from its current offset) with `copy_file_range`
    /// where the system has it: returns false, having copied nothing, when it cannot be used here
    /// (the caller then reads and appends), true when all is copied.
    func copyAll(from source: Int32) throws(CommandError) -> Bool {
        #if os(Linux)
        try flush()
        var copiedAny = false
        while true {
            guard let copyFileRange = Self.copyFileRange else { return false }
            let copied = copyFileRange(source, nil, descriptor, nil, 1 << 30, 0)
            if copied > 0 {
                copiedAny = true
                continue
            }
            if copied == 0 { return true }
            if errno == EINTR { continue }
            // Not supported between these files (another file system, an old kernel): fall back,
            // unless part was copied already (the offsets have moved; say so rather than guess).
            if !copiedAny, errno == ENOSYS || errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP || errno == EBADF { return false }
            throw CommandError(.io, "cannot write \(shown): \(String(cString: strerror(errno)))")
        }
        #else
        return false
        #endif
    }

    /// Writes what is buffered and closes the file.
    func close() throws(CommandError) {
        guard descriptor >= 0 else { return }
        try flush()
        let descriptor = self.descriptor
        self.descriptor = -1
        #if canImport(Glibc)
        guard Glibc.close(descriptor) == 0 else { throw CommandError(.io, "cannot write \(shown): \(String(cString: strerror(errno)))") }
        #else
        guard Darwin.close(descriptor) == 0 else { throw CommandError(.io, "cannot write \(shown): \(String(cString: strerror(errno)))") }
        #endif
    }

    deinit {
        #if canImport(Glibc)
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        #else
        if descriptor >= 0 { _ = Darwin.close(descriptor) }
        #endif
    }
}
