// libFuzzer entry point for the workflow decoder and the engine. Build and run: see ../../README.md.
//
// Each input is a workflow file (Docs/workflow-format.md), read as `purchase-actions simulate
// --workflows` reads one (`Workflow.load`). When it decodes, it is written back and read again (the two
// must agree), then run by an engine holding it alone: two fixed events of each of its triggers' types
// (a `manual` trigger runs it by id), then the clock 100 years on, so traps in time arithmetic and
// unbounded work show, not only decoder bugs. The calls are in ../FuzzHarness/HarnessCalls.swift,
// which Tests/PurchaseActionsEngineTests/FuzzEngineCrasherReplayTests.swift replays
// Fixtures/fuzz-crashers/workflow-* through.
//
// Environment (read once):
//   FUZZ_VERBOSE=1       print each input's outcome (for reproducing a single input)

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FuzzHarness

let verbose = getenv("FUZZ_VERBOSE").map { String(cString: $0) } == "1"
nonisolated(unsafe) var sink = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWorkflow(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let outcome = FuzzHarness.runWorkflow(bytes)
    if verbose { print("workflow: \(outcome)") }
    sink &+= outcome.checksum
    return 0
}
