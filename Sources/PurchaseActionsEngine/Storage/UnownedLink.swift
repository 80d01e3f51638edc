/// A reference that does not retain its object: `unowned(unsafe)`, so following it costs no
/// reference counting, for the links inside the engine's programs (a call to the program it
/// calls, an instruction to its step) whose objects whoever holds the link keeps alive otherwise.
///
/// Debug builds also keep a weak reference and check it on every read: a link that outlived its
/// object traps there with a message, where release builds would read freed memory.
struct UnownedLink<Object: AnyObject>: @unchecked Sendable {
    /// The object, unretained and unchecked.
    private unowned(unsafe) let unchecked: Object
    #if DEBUG
    /// The object, weakly: `nil` once it is freed (debug builds only).
    private weak var witness: Object?
    #endif

    /// A link to `object`, which something else must keep alive for as long as the link is read.
    @inline(__always)
    init(_ object: Object) {
        unchecked = object
        #if DEBUG
        witness = object
        #endif
    }

    /// The object (checked to be alive in debug builds).
    @inline(__always)
    var object: Object {
        #if DEBUG
        precondition(witness != nil, "an unowned link to a \(Object.self) outlived its object")
        #endif
        return unchecked
    }

    /// Whether the object is still alive: `true` in release builds, which cannot tell.
    var isAlive: Bool {
        #if DEBUG
        witness != nil
        #else
        true
        #endif
    }
}
