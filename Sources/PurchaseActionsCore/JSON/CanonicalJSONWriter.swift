/// Writes canonical JSON text (``JSONValue/canonicalBytes``: two-space indentation, keys sorted by
/// code point, only the characters JSON requires escaped) straight into a byte buffer, without
/// building a ``JSONValue`` tree first: the workflow files of an import are written this way
/// (Benchmarks/README.md, "Import throughput").
///
/// The caller writes each object's members in key order, leaving out the absent ones; the bytes
/// are then exactly those of the same value's ``JSONValue/canonicalBytes`` (debug builds check the
/// order and trap on a key written out of it). `{}` and `[]` are written for an empty object or
/// array, as the tree's text has them.
package struct CanonicalJSONWriter {
    /// The text so far.
    package private(set) var bytes: [UInt8] = []
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
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
        self.indent = indent
    }

    /// The bytes with the final newline the canonical text ends with.
    package mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    // MARK: Containers

    /// Opens an object; its members follow, each with ``key(_:)``, in key order.
    package mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
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
        bytes.append(UInt8(ascii: "["))
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
        #if DEBUG
        let new = Array(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        if let last = keys.last, let last {
            assert(last.isEmpty || last.lexicographicallyPrecedes(new), "key \(name) out of order")
        }
        keys[keys.count - 1] = new
        #endif
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    private mutating func open() {
        indent += 2
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        indent -= 2
        if !empty { newline() }
        bytes.append(bracket)
        // The enclosing container has at least this value.
        empty = false
        #if DEBUG
        keys.removeLast()
        #endif
    }

    private mutating func separate() {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        newline()
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<indent { bytes.append(UInt8(ascii: " ")) }
    }

    // MARK: Values

    /// Writes a string.
    package mutating func string(_ text: String) {
        JSONValue.writeString(text, to: &bytes)
    }

    /// Writes a string known to be plain ASCII with nothing to escape (a format's fixed word).
    package mutating func word(_ text: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes an integer in decimal.
    package mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int.min has one too.
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    /// Writes `true` or `false`.
    package mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
    }

    /// Writes a whole value, as its canonical text at this depth.
    package mutating func value(_ value: JSONValue) {
        value.write(to: &bytes, indent: indent)
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
