/// An element's path joined from its parts in one allocation: `parent/name`, or
/// `parent/name[@id='id']` (`FileLocation.path`, and the reader's paths of the elements it reads).
///
/// A path is made for every element the reader models and every step and condition the compiler
/// traces; joining it with `+` or appends makes or grows a string for each part. Here the parts'
/// bytes are copied in place into a string of the right size, each copy through `Filler.copy(_:)`,
/// which checks it against the room left in every build (`ElementPathTests`).
package enum ElementPath {
    /// `parent + "/" + name`, with `"[@id='" + id + "']"` when `id` is not nil.
    package static func join(parent: String, name: String, id: String?) -> String {
        var parent = parent
        var name = name
        var idText = id ?? ""
        let hasID = id != nil
        // Sizes of strings held in memory: the sum cannot overflow.
        let count = parent.utf8.count + 1 + name.utf8.count + (hasID ? idText.utf8.count + 8 : 0)
        return parent.withUTF8 { parent in
            name.withUTF8 { name in
                idText.withUTF8 { id in
                    String(unsafeUninitializedCapacity: count) { buffer in
                        var filler = Filler(buffer)
                        filler.copy(parent)
                        filler.copy("/")
                        filler.copy(name)
                        if hasID {
                            filler.copy("[@id='")
                            filler.copy(id)
                            filler.copy("']")
                        }
                        return filler.written
                    }
                }
            }
        }
    }

    /// `base + ":" + String(number)` (a generated id such as `as-1.a2:rule:1`), in one allocation.
    package static func numbered(_ base: String, _ number: Int) -> String {
        var base = base
        // The magnitude, so Int.min has digits too; at most 20 of them, 10^19 fits a UInt.
        var digits = 1
        var divisor: UInt = 1
        while divisor <= number.magnitude / 10 {
            divisor *= 10
            digits += 1
        }
        let sign = number < 0 ? 1 : 0
        return base.withUTF8 { base in
            String(unsafeUninitializedCapacity: base.count + 1 + sign + digits) { buffer in
                var filler = Filler(buffer)
                filler.copy(base)
                filler.copy(":")
                if sign == 1 { filler.copy("-") }
                var magnitude = number.magnitude
                repeat {
                    filler.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude / divisor))
                    magnitude %= divisor
                    divisor /= 10
                } while divisor > 0
                return filler.written
            }
        }
    }

    /// Copies bytes into a buffer one part after another, each copy checked against the room left.
    struct Filler {
        private let buffer: UnsafeMutableBufferPointer<UInt8>
        /// How many bytes are written, from the start.
        private(set) var written = 0

        init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

        /// Appends `bytes`; stops the program if they do not fit (a programming error: the size
        /// is counted from the same parts).
        mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard !bytes.isEmpty else { return }
            precondition(bytes.count <= buffer.count - written, "ElementPath: a part does not fit the room counted for it")
            _ = UnsafeMutableBufferPointer(rebasing: buffer[written..<(written + bytes.count)]).initialize(fromContentsOf: bytes)
            written += bytes.count
        }

        /// Appends one byte; stops the program if it does not fit.
        mutating func append(_ byte: UInt8) {
            precondition(written < buffer.count, "ElementPath: a byte does not fit the room counted for it")
            buffer[written] = byte
            written += 1
        }

        /// Appends a fixed piece of text.
        mutating func copy(_ text: StaticString) {
            copy(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
    }
}
