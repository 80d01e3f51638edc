#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import MigrationReport
import PurchaseActions
import PurchaseActionsCore

/// `import-actions --pictures`: a Graphviz DOT file per workflow in `pictures/`, and SVG beside each
/// when Graphviz's `dot` is on `PATH` (Docs/cli.md, "Pictures").
///
/// The DOT files are written with the workflows, into the staging folder; ``makeSVGs(quiet:)`` then
/// runs `dot -Tsvg -O` on them in batches of ``batchSize`` files, ``parallelRuns`` at a time, each
/// run stopped after ``batchTimeout`` seconds. A missing `dot`, a failing run or a stopped one is a warning on
/// standard error: the DOT files are written and the import goes on.
struct Pictures {
    /// The most DOT files one `dot` run draws: 200.
    static let batchSize = 200
    /// The most seconds one `dot` run may take: 120 (about 1 s per picture is already very slow;
    /// 200 pictures of the bundled exports take about 2 s).
    static let batchTimeout = 120
    /// The largest SVG file ``svg(workflowID:)`` reads back: 4 MiB.
    static let maxSVGBytes = 4 * 1024 * 1024
    /// The line printed when `dot` is not on `PATH`.
    static let dotMissing = "dot not found: install Graphviz (Debian: apt install graphviz) for SVG pictures; the DOT files are written"

    /// The staging folder's `pictures/`.
    let folder: String
    /// The workflow ids drawn, in the order written.
    private(set) var workflowIDs: [String] = []
    /// The ids whose SVG was made.
    private(set) var drawn: Set<String> = []

    /// Creates `pictures/` in the output's staging folder.
    init(in directory: OutputDirectory) throws(CommandError) {
        folder = try directory.makeFolder("pictures")
    }

    /// Writes `pictures/<id>.dot`.
    mutating func add(_ workflow: Workflow, to directory: OutputDirectory) throws(CommandError) {
        try directory.write(Array(WorkflowPicture(workflow).dot.utf8), to: "pictures/\(workflow.id).dot")
        workflowIDs.append(workflow.id)
    }

    /// Runs `dot` on every DOT file written, in batches, and renames each `<id>.dot.svg` it makes to
    /// `<id>.svg`. Prints one warning (unless `quiet`) when `dot` is missing, fails or takes too
    /// long; never throws: the DOT files are the pictures, SVG is a convenience.
    mutating func makeSVGs(quiet: Bool, program: String? = Pictures.findProgram("dot")) {
        guard !workflowIDs.isEmpty else { return }
        guard let program else {
            if !quiet { Terminal.error(Self.dotMissing) }
            return
        }
        let batches = stride(from: 0, to: workflowIDs.count, by: Self.batchSize).map {
            Array(workflowIDs[$0..<min($0 + Self.batchSize, workflowIDs.count)])
        }
        var next = 0
        while next < batches.count {
            // Up to `parallelRuns` runs at a time, each timed from its own start.
            let group = batches[next..<min(next + Self.parallelRuns, batches.count)]
            next += group.count
            let runs = group.enumerated().map { index, batch in
                let files = batch.map { folder + "/" + $0 + ".dot" }
                return (batch, files, Self.start(program, ["-Tsvg", "-O"] + files, errors: folder + "/.dot-errors-\(index)"))
            }
            var failure: (batch: [String], outcome: Outcome)?
            for (batch, files, run) in runs {
                let outcome = run.finish(timeout: Self.batchTimeout)
                if outcome.succeeded {
                    for (id, file) in zip(batch, files) where rename(file + ".svg", folder + "/" + id + ".svg") == 0 { drawn.insert(id) }
                } else {
                    // Whatever a failed or stopped run left may be half-written: none of it is kept.
                    for file in files { unlink(file + ".svg") }
                    if failure == nil { failure = (batch, outcome) }
                }
            }
            if let (batch, outcome) = failure {
                if !quiet {
                    let others = batch.count > 1 ? " and \(batch.count - 1) more" : ""
                    Terminal.error(
                        "warning: dot \(outcome.failure) drawing pictures/\(batch[0]).dot\(others); SVG pictures: \(drawn.count) made, \(workflowIDs.count - drawn.count) not made; the DOT files are written")
                }
                return
            }
        }
    }

    /// The SVG picture of a workflow made by ``makeSVGs(quiet:)``, read from the staging folder (at
    /// most ``maxSVGBytes``), or nil: what the HTML report inlines (`inlineSVG`).
    func svg(workflowID: String) -> [UInt8]? {
        guard drawn.contains(workflowID) else { return nil }
        // The loaders' bounded read: a file past the limit is refused from its size, unread.
        return try? FileAccess.contents(of: folder + "/" + workflowID + ".svg", "an SVG picture", maxBytes: Self.maxSVGBytes, tooLarge: "")
    }

    /// ``svg(workflowID:)`` as the report's HTML assembly takes it.
    var inlineSVG: @Sendable (String) -> [UInt8]? {
        let pictures = self
        return { pictures.svg(workflowID: $0) }
    }

    // MARK: Processes and files

    /// The full path of an executable `name` in a folder of `PATH`, or nil.
    static func findProgram(_ name: String) -> String? {
        guard let path = getenv("PATH").map({ String(cString: $0) }) else { return nil }
        for folder in path.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0, FileSystem.kind(candidate) != .directory { return candidate }
        }
        return nil
    }

    /// How a run ended.
    struct Outcome {
        var succeeded: Bool
        /// `exited with status 1 (first line of its errors)`, `was stopped after 120 s`, ...
        var failure: String
    }

    /// A started run of a program.
    struct Run {
        var pid: pid_t?
        var errors: String
        var started: timespec
        var failure: String

        /// Waits for the run to end, stopping it (`SIGKILL`) `timeout` seconds after it started;
        /// deletes its errors file.
        func finish(timeout: Int) -> Outcome {
            defer { unlink(errors) }
            guard let pid else { return Outcome(succeeded: false, failure: failure) }
            var status: Int32 = 0
            while true {
                let waited = waitpid(pid, &status, WNOHANG)
                if waited == pid { break }
                if waited < 0, errno != EINTR { return Outcome(succeeded: false, failure: "could not be waited for") }
                var now = timespec()
                clock_gettime(CLOCK_MONOTONIC, &now)
                if now.tv_sec - started.tv_sec >= timeout {
                    kill(pid, SIGKILL)
                    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                    return Outcome(succeeded: false, failure: "was stopped after \(timeout) s")
                }
                var pause = timespec(tv_sec: 0, tv_nsec: 5_000_000)
                nanosleep(&pause, nil)
            }
            // WIFSIGNALED / WEXITSTATUS, which Swift does not import.
            let signal = status & 0x7F
            let code = (status >> 8) & 0xFF
            guard signal != 0 || code != 0 else { return Outcome(succeeded: true, failure: "") }
            let message = String(decoding: FileSystem.prefix(errors, limit: 400), as: UTF8.self).split(separator: "\n").first ?? ""
            let how = signal != 0 ? "was killed by signal \(signal)" : "exited with status \(code)"
            return Outcome(succeeded: false, failure: how + (message.isEmpty ? "" : " (" + message + ")"))
        }
    }

    /// How many `dot` runs go at once: 2 (a picture takes one core).
    static let parallelRuns = 2

    /// Starts `program` with `arguments`, standard input and output on `/dev/null` and standard
    /// error to the file `errors`.
    static func start(_ program: String, _ arguments: [String], errors: String) -> Run {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var started = timespec()
        clock_gettime(CLOCK_MONOTONIC, &started)
        var pid = pid_t()
        #if canImport(Darwin)
        let environment = _NSGetEnviron()!.pointee
        #else
        let environment = environ
        #endif
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environment)
        guard spawned == 0 else {
            return Run(pid: nil, errors: errors, started: started, failure: "could not be started (\(String(cString: strerror(spawned))))")
        }
        return Run(pid: pid, errors: errors, started: started, failure: "")
    }
}

extension OutputDirectory {
    /// Creates a folder inside the staging folder and returns its path there (for a program that
    /// writes into it, such as `dot`).
    func makeFolder(_ relativePath: String) throws(CommandError) -> String {
        let path = staging + "/" + relativePath
        do {
            try FileSystem.makeDirectories(path)
        } catch {
            throw CommandError(.io, "cannot create \(destination)/\(relativePath): \(error.reason)")
        }
        return path
    }
}
