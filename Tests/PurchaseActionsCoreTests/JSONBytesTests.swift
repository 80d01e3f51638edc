import PropertyBased
import PurchaseActionsCore
import Testing

/// Issue 12, item 7: the buffer the canonical JSON writer writes into (`JSONBytes`, written
/// through a pointer) holds exactly the bytes an `[UInt8]` given the same appends holds, across
/// its growth, and refuses what is out of range.
@Suite("JSONBytes: the pointer-written buffer holds what an array would")
struct JSONBytesTests {
    @Test("Random appends of every kind, from a tiny capacity, equal the same appends to an array")
    func randomAppends() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000).array(of: 0...300)) { values in
            var buffer = JSONBytes(capacity: values.first ?? 0)
            var array: [UInt8] = []
            for value in values {
                let byte = UInt8(truncatingIfNeeded: value)
                switch value % 5 {
                case 0:
                    buffer.append(byte)
                    array.append(byte)
                case 1:
                    let run = (0..<(value % 40)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ value) }
                    buffer.append(contentsOf: run)
                    array.append(contentsOf: run)
                case 2:
                    buffer.append(byte, repetitions: value % 70)
                    array.append(contentsOf: repeatElement(byte, count: value % 70))
                case 3:
                    buffer.append("static ✓")
                    array.append(contentsOf: "static ✓".utf8)
                default:
                    buffer.reserve(3)
                    buffer.appendReserved(byte)
                    buffer.appendReserved(byte &+ 1)
                    array.append(contentsOf: [byte, byte &+ 1])
                }
                #expect(buffer.count == array.count)
            }
            #expect(buffer.array == array)
            // The bytes handed out in place are exactly those written, and only those.
            #expect(buffer.withUnsafeBytes { Array($0) } == array)
            if let last = array.indices.last { #expect(buffer[last] == array[last]) }
            let keep = array.count / 2
            buffer.truncate(to: keep)
            buffer.append(contentsOf: [1, 2, 3])
            #expect(buffer.array == Array(array[..<keep]) + [1, 2, 3])
        }
    }

    @Test("Empty appends add nothing; a large append grows the buffer in one step")
    func edges() {
        var buffer = JSONBytes(capacity: 0)
        buffer.append(contentsOf: [])
        buffer.append(7, repetitions: 0)
        buffer.append(7, repetitions: -3)
        #expect(buffer.count == 0)
        #expect(buffer.array == [])
        #expect(buffer.withUnsafeBytes { $0.count } == 0)
        let large = [UInt8](repeating: 9, count: 100_000)
        buffer.append(contentsOf: large)
        #expect(buffer.array == large)
    }

    @Test("Reading past the bytes written, or truncating past them, stops the program")
    func outOfRange() async {
        await #expect(processExitsWith: .failure) {
            var buffer = JSONBytes()
            buffer.append(1)
            _ = buffer[1]
        }
        await #expect(processExitsWith: .failure) {
            var buffer = JSONBytes()
            buffer.append(1)
            buffer.truncate(to: 2)
        }
    }
}
