import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// `StepLocator`: the step an enrollment is at (`purchase-actions enrollments`' step column).
@Suite("StepLocator: the step at a place in a workflow")
struct StepLocatorTests {
    @Test("Each position names the step of the instruction before it; 0, the end's outside and negative positions none")
    func positions() {
        let locator = StepLocator(RelocateTests.v1)
        #expect(locator.stepID(atPosition: 0) == nil)
        #expect(locator.stepID(atPosition: 1) == "a")
        #expect(locator.stepID(atPosition: 2) == "pause")
        #expect(locator.stepID(atPosition: 3) == "call")
        #expect(locator.stepID(atPosition: -1) == nil)
        #expect(locator.stepID(atPosition: Int.max) == nil, "never read out of bounds")
        #expect(locator.stepID(atPosition: Int.min) == nil)
    }

    @Test("An enrollment waiting at a wait: the wait's id; inside a call: the called workflow's step (its own locator)")
    func enrollments() throws {
        let (waiting, _) = try RelocateTests.waiting()
        #expect(StepLocator(RelocateTests.v1).stepID(of: waiting) == "pause")
        let (inCall, _) = try RelocateTests.waiting(until: "2025-01-02T00:00:00Z")
        #expect(inCall.frames.count == 2)
        #expect(StepLocator(RelocateTests.callee).stepID(of: inCall) == "hold")
        #expect(StepLocator(RelocateTests.v1).stepID(of: inCall) == nil, "its innermost frame is in another workflow")
        var other = waiting
        other.frames[0].version = 2
        #expect(StepLocator(RelocateTests.v1).stepID(of: other) == nil, "another version")
        other.frames = []
        #expect(StepLocator(RelocateTests.v1).stepID(of: other) == nil, "no frame")
    }
}
