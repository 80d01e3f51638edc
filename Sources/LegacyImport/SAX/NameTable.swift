internal import CLibXML2
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Swift strings for libxml2's interned names. libxml2 keeps one copy of each name in the parser's
/// dictionary, so its address identifies it: each name becomes a Swift string, and its role in the
/// format is looked up, once. An open-addressing table keyed by address keeps the look-up cheap.
struct NameTable {
    private static let capacity = 1024
    private var keys = [UnsafeRawPointer?](repeating: nil, count: capacity)
    private var strings = [String](repeating: "", count: capacity)
    private var roles = [ElementRole](repeating: [], count: capacity)
    private var count = 0
    private var exportNamespace: UnsafeRawPointer?
    /// Every name met, by dictionary address: past the table's capacity names are not cached, so
    /// this set, not `count`, says how many distinct names the document has used.
    private(set) var distinct: Set<UnsafeRawPointer> = []
    /// The bytes of the distinct names in ``distinct``, each counted once.
    private(set) var distinctBytes = 0

    /// Counts a name the table never turns into a string (a namespace prefix, an instruction target).
    mutating func note(_ pointer: UnsafePointer<xmlChar>) {
        count(UnsafeRawPointer(pointer))
    }

    /// Adds a name to ``distinct`` and its length to ``distinctBytes`` the first time it is met.
    private mutating func count(_ key: UnsafeRawPointer) {
        // libxml2 bounds a name to 50,000 characters and a URI by the namespace limit checked before.
        if distinct.insert(key).inserted { distinctBytes += strlen(key.assumingMemoryBound(to: CChar.self)) }
    }

    private func slot(_ key: UnsafeRawPointer) -> Int {
        Int(truncatingIfNeeded: UInt(bitPattern: key) >> 3 &* 0x9E37_79B9) & (Self.capacity - 1)
    }

    /// The name as a Swift string, with its role if it is an element name in the export namespace.
    mutating func name(_ pointer: UnsafePointer<xmlChar>, ours: Bool) -> (String, ElementRole) {
        let key = UnsafeRawPointer(pointer)
        var index = slot(key)
        while let stored = keys[index] {
            // The comparison guards against a name that was not interned and whose memory was reused.
            if stored == key, Self.equals(strings[index], pointer) {
                return (strings[index], ours ? roles[index] : [])
            }
            index = (index + 1) & (Self.capacity - 1)
        }
        count(key)
        let text = String(cString: pointer)
        let role = ElementRole.ofOurs(text)
        if count < Self.capacity / 2 {
            keys[index] = key
            strings[index] = text
            roles[index] = role
            count += 1
        }
        return (text, ours ? role : [])
    }

    mutating func string(_ pointer: UnsafePointer<xmlChar>) -> String {
        name(pointer, ours: false).0
    }

    private static func equals(_ text: String, _ pointer: UnsafePointer<xmlChar>) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            // strncmp stops at the C string's end, so nothing past it is read.
            let cString = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
            guard let base = bytes.baseAddress else { return pointer[0] == 0 }
            return strncmp(cString, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), bytes.count) == 0 && pointer[bytes.count] == 0
        }
    }

    mutating func isExportNamespace(_ pointer: UnsafePointer<xmlChar>) -> Bool {
        let key = UnsafeRawPointer(pointer)
        if key == exportNamespace, Self.equals(SAXParser.exportNamespace, pointer) { return true }
        guard string(pointer) == SAXParser.exportNamespace else { return false }
        exportNamespace = key
        return true
    }
}
