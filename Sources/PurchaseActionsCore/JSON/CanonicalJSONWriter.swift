/// Writes canonical JSON text (``JSONValue/canonicalBytes``: two-space indentation, keys sorted by
/// code point, only the characters JSON requires escaped) straight into a byte buffer, without
/// building a ``JSONValue`` tree first: the workflow files of an import are written this way
/// (Benchmarks/README.md, "Import throughput").
///
/// The caller writes each object's members in key order, leaving out the absent ones; the bytes
/// are then exactly those of the same value's ``JSONValue/canonicalBytes`` (debug builds check the
/// order and trap on a key written out of it). `{}` and `[]` are written for an empty object or
/// array, as the tree's text has them.
package struct CanonicalJSONWriter: ~Copyable {
    /// The text so far, in a buffer written through a pointer (`JSONBytes`).
    private var buffer: JSONBytes
    /// The text so far.
    package var bytes: [UInt8] { buffer.array }
    /// Spaces before the next member or element.
    private var indent = 0
    /// Whether the container being written has no member or element yet.
    private var empty = true
    #if DEBUG
    /// The last key of each open object (nil in an array), to check the order.
    private var keys: [[UInt8]?] = []
    #endif

    /// An empty writer whose buffer has room for `capacity` bytes. With an `indent`, the text is
    /// written as a value nested that many spaces in: it starts with those spaces, and every line
    /// is indented by them.
    package init(capacity: Int = 4096, indent: Int = 0) {
        buffer = JSONBytes(capacity: capacity)
        buffer.append(UInt8(ascii: " "), repetitions: indent)
        self.indent = indent
    }

    /// The bytes with the final newline the canonical text ends with.
    package mutating func finish() -> [UInt8] {
        buffer.append(UInt8(ascii: "\n"))
        return buffer.array
    }

    /// Calls `body` with the bytes and the final newline the canonical text ends with, in the
    /// writer's buffer (no array made; the pointer is valid only during the call).
    package mutating func finish<Result, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Result) throws(Failure) -> Result {
        buffer.append(UInt8(ascii: "\n"))
        return try buffer.withUnsafeBytes(body)
    }

    // MARK: Containers

    /// Opens an object; its members follow, each with ``key(_:)``, in key order.
    package mutating func beginObject() {
        buffer.append(UInt8(ascii: "{"))
        open()
        #if DEBUG
        keys.append([])
        #endif
    }

    /// Closes the object opened last.
    package mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    /// Opens an array; each element follows ``element()``.
    package mutating func beginArray() {
        buffer.append(UInt8(ascii: "["))
        open()
        #if DEBUG
        keys.append(nil)
        #endif
    }

    /// Closes the array opened last.
    package mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// Starts the next element of the open array (its value follows).
    package mutating func element() {
        separate()
    }

    /// Starts the member `name` of the open object (its value follows). `name` is plain ASCII with
    /// nothing to escape, and sorts after the member written before it.
    package mutating func key(_ name: StaticString) {
        let name = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        #if DEBUG
        checkOrder(Array(name))
        #endif
        // One reservation for the separator, the line's indentation and `"name": `; the line
        // break and indentation copied at once, the quotes and colon stored byte by byte.
        buffer.reserve(name.count + indent + 6)
        if !empty { buffer.appendReserved(UInt8(ascii: ",")) }
        empty = false
        writeLineStart()
        buffer.appendReserved(UInt8(ascii: "\""))
        buffer.append(name)
        buffer.appendReserved(UInt8(ascii: "\""))
        buffer.appendReserved(UInt8(ascii: ":"))
        buffer.appendReserved(UInt8(ascii: " "))
    }

    /// Starts the member `name` of the open object, a key of any text (escaped as a string is).
    package mutating func key(_ name: String) {
        #if DEBUG
        checkOrder(Array(name.utf8))
        #endif
        separate()
        string(name)
        buffer.append(Self.colon)
    }

    private static let colon: StaticString = ": "

    #if DEBUG
    private mutating func checkOrder(_ new: [UInt8]) {
        if let last = keys.last, let last {
            assert(last.isEmpty || last.lexicographicallyPrecedes(new), "key \(String(decoding: new, as: UTF8.self)) out of order")
        }
        keys[keys.count - 1] = new
    }
    #endif

    private mutating func open() {
        indent += 2
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        indent -= 2
        if !empty { newline() }
        buffer.append(bracket)
        // The enclosing container has at least this value.
        empty = false
        #if DEBUG
        keys.removeLast()
        #endif
    }

    private mutating func separate() {
        buffer.reserve(indent + 2)
        if !empty { buffer.appendReserved(UInt8(ascii: ",")) }
        empty = false
        writeLineStart()
    }

    private mutating func newline() {
        buffer.reserve(indent + 1)
        writeLineStart()
    }

    /// A line break and the indentation, in one copy when the indentation is at most
    /// `lineStarts`' spaces.
    @inline(__always)
    private mutating func writeLineStart() {
        if indent < Self.lineStarts.utf8CodeUnitCount {
            buffer.append(UnsafeBufferPointer(start: Self.lineStarts.utf8Start, count: indent + 1))
        } else {
            buffer.append(UInt8(ascii: "\n"))
            buffer.append(UInt8(ascii: " "), repetitions: indent)
        }
    }

    /// A line break and 128 spaces.
    private static let lineStarts: StaticString = "\n                                                                                                                                "

    // MARK: Values

    /// Writes a string.
    package mutating func string(_ text: String) {
        JSONValue.writeString(text, to: &buffer)
    }

    /// Writes a string known to be plain ASCII with nothing to escape (a format's fixed word).
    package mutating func word(_ text: StaticString) {
        buffer.reserve(text.utf8CodeUnitCount + 2)
        buffer.appendReserved(UInt8(ascii: "\""))
        buffer.append(text)
        buffer.appendReserved(UInt8(ascii: "\""))
    }

    /// Writes an integer in decimal.
    package mutating func integer(_ value: Int) {
        // A sign and at most 19 digits.
        buffer.reserve(20)
        if value < 0 { buffer.appendReserved(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int.min has one too; the largest power of ten not above it.
        var magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            buffer.appendReserved(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    /// Writes `true` or `false`.
    package mutating func bool(_ value: Bool) {
        buffer.append(value ? "true" : "false")
    }

    /// Writes a whole value, as its canonical text at this depth.
    package mutating func value(_ value: JSONValue) {
        switch value {
        case .null: buffer.append("null")
        case .bool(let value): bool(value)
        case .integer(let value): integer(value)
        case .string(let value): string(value)
        case .array(let values):
            beginArray()
            for value in values {
                element()
                self.value(value)
            }
            endArray()
        case .object(let members):
            beginObject()
            for member in members.sorted(by: { JSONValue.precedes($0.key, $1.key) }) {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    // MARK: Members

    /// Writes the member `name` with a string value.
    package mutating func member(_ name: StaticString, _ text: String) {
        key(name)
        string(text)
    }

    /// Writes the member `name` with a string value, or nothing when `text` is nil.
    package mutating func member(_ name: StaticString, _ text: String?) {
        guard let text else { return }
        key(name)
        string(text)
    }

    /// Writes the member `name` with an integer value.
    package mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        integer(value)
    }

    /// Writes the member `name` with an integer value, or nothing when `value` is nil.
    package mutating func member(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    /// Writes the member `name` with a Boolean value.
    package mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// Writes the member `name` with a fixed word as its value.
    package mutating func member(_ name: StaticString, word: StaticString) {
        key(name)
        self.word(word)
    }

    /// Writes the member `name` with an array of strings.
    package mutating func member(_ name: StaticString, _ texts: [String]) {
        key(name)
        strings(texts)
    }

    /// Writes an array of strings.
    package mutating func strings(_ texts: [String]) {
        beginArray()
        for text in texts {
            element()
            string(text)
        }
        endArray()
    }
}
