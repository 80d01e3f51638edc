// libFuzzer entry point for the events decoder. Build and run: see ../../README.md.
//
// Each input is an events file (JSON Lines, Docs/events.md), read as `purchase-actions simulate
// --keep-going` reads one: split into lines, each through `Event.load`, the events that decoded run
// through an engine (the fixtures' workflows and one that every event type enters), the clock then
// run on 100 years. The calls are in ../FuzzHarness/HarnessCalls.swift, which
// Tests/PurchaseActionsEngineTests/FuzzEngineCrasherReplayTests.swift replays Fixtures/fuzz-crashers/
// events-* through.
//
// Environment: FUZZ_VERBOSE=1 prints each input's outcome (for reproducing a single input).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FuzzHarness

let verbose = getenv("FUZZ_VERBOSE").map { String(cString: $0) } == "1"
nonisolated(unsafe) var sink = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvents(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let outcome = FuzzHarness.runEvents(bytes)
    if verbose { print("events: \(outcome)") }
    sink &+= outcome.checksum
    return 0
}
