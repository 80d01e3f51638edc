import PurchaseActionsCore
@testable import PurchaseActionsEngine
import Testing

/// The engine's unchecked storage behind small types (Docs/engine.md, "Checked storage"): each
/// tested directly, its debug-build checks included (exit tests: the check traps in a child process).
@Suite("Checked storage: CheckedBuffer and UnownedLink")
struct CheckedStorageTests {
    struct Header: CheckedBufferHeader {
        let count: Int
        let name: String
    }

    final class Numbers: CheckedBuffer<Header, Int> {}

    /// Counts the elements alive, to see the buffer deinitialize them.
    final class Tracked: @unchecked Sendable {
        nonisolated(unsafe) static var alive = 0
        let value: Int
        init(_ value: Int) {
            self.value = value
            Tracked.alive += 1
        }
        deinit { Tracked.alive -= 1 }
    }

    final class Objects: CheckedBuffer<Header, Tracked> {}

    final class Target {
        let value = 7
    }

    @Test("Elements read back in order; the header is kept; count is the header's")
    func reads() {
        let buffer = Numbers.make(Header(count: 4, name: "n"), [10, 20, 30, 40])
        #expect(buffer.count == 4)
        #expect((0..<4).map { buffer[$0] } == [10, 20, 30, 40])
        #expect(buffer.withUnsafeMutablePointerToHeader { $0.pointee.name } == "n")
        let empty = Numbers.make(Header(count: 0, name: ""), [])
        #expect(empty.count == 0)
        #expect(empty.element(at: 0) == nil)
    }

    @Test("element(at:) is nil outside 0 ..< count in every build", arguments: [Int.min, -1, 4, 5, Int.max])
    func elementOutside(index: Int) {
        let buffer = Numbers.make(Header(count: 4, name: "n"), [10, 20, 30, 40])
        #expect(buffer.element(at: index) == nil)
        #expect(buffer.element(at: 3) == 40)
    }

    @Test("updateEach changes the elements it gives a value for")
    func updates() {
        let buffer = Numbers.make(Header(count: 3, name: "n"), [1, 2, 3])
        buffer.updateEach { $0 == 2 ? 20 : nil }
        #expect((0..<3).map { buffer[$0] } == [1, 20, 3])
    }

    @Test("Elements are deinitialized with the buffer")
    func deinitializes() {
        let before = Tracked.alive
        do {
            let buffer = Objects.make(Header(count: 3, name: "o"), [Tracked(1), Tracked(2), Tracked(3)])
            #expect(Tracked.alive == before + 3)
            #expect(buffer[2].value == 3)
        }
        #expect(Tracked.alive == before)
    }

    @Test("An unowned link reads its object while it lives")
    func linkReads() {
        let target = Target()
        let link = UnownedLink(target)
        #expect(link.object === target)
        #expect(link.isAlive)
        #expect(link.object.value == 7)
        withExtendedLifetime(target) {}
    }

    #if DEBUG
    @Test("Debug builds: a link that outlived its object says so")
    func linkOutlived() {
        var link: UnownedLink<Target>?
        do {
            let target = Target()
            link = UnownedLink(target)
        }
        #expect(link?.isAlive == false)
    }

    @Test("Debug builds: a read outside the buffer traps before it reads (below 0, at count, far past)")
    func readOutsideTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = CheckedStorageTests.Numbers.make(CheckedStorageTests.Header(count: 4, name: "n"), [10, 20, 30, 40])[-1]
        }
        await #expect(processExitsWith: .failure) {
            _ = CheckedStorageTests.Numbers.make(CheckedStorageTests.Header(count: 4, name: "n"), [10, 20, 30, 40])[4]
        }
        await #expect(processExitsWith: .failure) {
            _ = CheckedStorageTests.Numbers.make(CheckedStorageTests.Header(count: 4, name: "n"), [10, 20, 30, 40])[Int.max]
        }
    }

    @Test("Debug builds: following a link to a freed object traps")
    func deadLinkTraps() async {
        await #expect(processExitsWith: .failure) {
            var link: UnownedLink<Target>?
            do { link = UnownedLink(Target()) }
            _ = link?.object
        }
    }
    #endif

    @Test("A program reads the instruction before a position only within 1 ... count", arguments: [Int.min, -1, 0, 4, 5, Int.max])
    func programOutside(position: Int) {
        let workflow = Fixture.workflow("w", steps: [Fixture.tag("a", "a"), Fixture.tag("b", "b"), Fixture.tag("c", "c"), Step(id: "x", .exit)], zone: "UTC")
        let program = Program.make(workflow, rank: 0) { _ in nil }
        #expect(program.count == 4)
        if position == 4 {
            #expect(program.instruction(before: position)?.stepID == "x")
        } else {
            #expect(program.instruction(before: position) == nil)
        }
        #expect(program.instruction(before: 1)?.stepID == "a")
    }

    @Test("A buffer whose header miscounts its elements is refused in every build")
    func miscounted() async {
        await #expect(processExitsWith: .failure) {
            _ = Numbers.make(Header(count: 5, name: "n"), [1, 2])
        }
    }
}
