public import PurchaseActionsCore

/// Where the engine keeps its state: enrollments, wake-up times and the ids of events seen.
///
/// The in-memory store is here; durable stores (SQLite, PostgreSQL) implement the same protocol.
public protocol EnrollmentStore: AnyObject {
    /// Records an event id; `false` if it was seen before (the event must not run again).
    func markProcessed(eventID: String) -> Bool
    /// Whether an event id was recorded.
    func hasProcessed(eventID: String) -> Bool
    /// The enrollment with this id.
    func enrollment(id: String) -> Enrollment?
    /// Adds or replaces an enrollment (and its wake-up time, from its state). A new enrollment may
    /// arrive already ended (the engine saves one when it waits or ends); one that holds its order
    /// is remembered for ``hasEnrolled(workflowID:orderID:)`` either way.
    func save(_ enrollment: Enrollment)
    /// The running enrollments of a contact, oldest first.
    func runningEnrollments(contactID: String) -> [Enrollment]
    /// Whether the contact has a running enrollment in the workflow.
    func isEnrolled(contactID: String, workflowID: String) -> Bool
    /// How many running enrollments the contact has (the engine asks before every enrollment,
    /// so a store answers without reading them).
    func runningCount(contactID: String) -> Int
    /// How many running enrollments the contact has in the workflow.
    func runningCount(contactID: String, workflowID: String) -> Int
    /// Whether an enrollment of the workflow holds this order (``Enrollment/holdsOrder``).
    func hasEnrolled(workflowID: String, orderID: String) -> Bool
    /// The earliest wake-up time at or before `instant`, with its enrollment, ties in enrollment order.
    func nextWakeUp(atOrBefore instant: Instant) -> (Instant, String)?
    /// A new enrollment id.
    func newEnrollmentID() -> String
    /// How many enrollments are waiting (on a wait step, for a time, an event or a condition), all
    /// contacts together: what ``Engine/waiting`` reports (`simulate` warns when some still wait at
    /// the end, Docs/cli.md).
    var waitingCount: Int { get }
}

extension EnrollmentStore {
    /// Counted from ``runningEnrollments(contactID:)``; a store should answer from a count it keeps.
    public func runningCount(contactID: String) -> Int { runningEnrollments(contactID: contactID).count }

    /// Counted from ``runningEnrollments(contactID:)``.
    public func runningCount(contactID: String, workflowID: String) -> Int {
        runningEnrollments(contactID: contactID).reduce(0) { $0 + ($1.workflowID == workflowID ? 1 : 0) }
    }
}

/// Engine state in memory: for tests, `simulate` and the library.
public final class InMemoryEnrollmentStore: EnrollmentStore {
    /// Whether finished and exited enrollments stay readable (``all``, ``enrollment(id:)``); a
    /// long-running engine lets them go (the log has their history), so memory holds only live runs.
    public let keepsFinished: Bool
    #if DEBUG
    private var processed: Set<String> = []
    #else
    @exclusivity(unchecked) private var processed: Set<String> = []
    #endif
    #if DEBUG
    private var enrollments: [String: Enrollment] = [:]
    #else
    @exclusivity(unchecked) private var enrollments: [String: Enrollment] = [:]
    #endif
    /// Each contact's running enrollments (id and workflow), oldest first.
    #if DEBUG
    private var running: [String: [(id: String, workflowID: String)]] = [:]
    #else
    @exclusivity(unchecked) private var running: [String: [(id: String, workflowID: String)]] = [:]
    #endif
    /// (workflow, order) pairs held by an enrollment.
    #if DEBUG
    private var orders: Set<OrderKey> = []
    #else
    @exclusivity(unchecked) private var orders: Set<OrderKey> = []
    #endif
    #if DEBUG
    private var wakeUps: [String: Instant] = [:]
    #else
    @exclusivity(unchecked) private var wakeUps: [String: Instant] = [:]
    #endif
    /// Wake-ups by time; an entry whose time no longer matches `wakeUps` is stale and skipped.
    #if DEBUG
    private var queue = WakeUpQueue()
    #else
    @exclusivity(unchecked) private var queue = WakeUpQueue()
    #endif
    #if DEBUG
    private var count = 0
    #else
    @exclusivity(unchecked) private var count = 0
    #endif

    private struct OrderKey: Hashable {
        let workflowID: String
        let orderID: String

        /// Hashed by order alone: few workflows hold one order, and a workflow's id need not be read
        /// (equality still compares both).
        func hash(into hasher: inout Hasher) { hasher.combine(orderID) }
    }

    /// Creates an empty store.
    public init(keepsFinished: Bool = true) {
        self.keepsFinished = keepsFinished
    }

    /// Every enrollment, in the order they were made.
    public var all: [Enrollment] { enrollments.values.sorted { Self.sequence($0.id) < Self.sequence($1.id) } }

    public func markProcessed(eventID: String) -> Bool { processed.insert(eventID).inserted }

    public func hasProcessed(eventID: String) -> Bool { processed.contains(eventID) }

    public func enrollment(id: String) -> Enrollment? { enrollments[id] }

    public func save(_ enrollment: Enrollment) {
        let id = enrollment.id
        // New to the store: the engine saves an enrollment first when it waits or ends, or before
        // a step that reads the store (Engine.enroll), so a new one may already have finished.
        let isNew = enrollments[id] == nil
        if isNew, enrollment.holdsOrder, let order = enrollment.orderID { orders.insert(OrderKey(workflowID: enrollment.workflowID, orderID: order)) }
        if enrollment.isRunning {
            if isNew { running[enrollment.contactID, default: []].append((id, enrollment.workflowID)) }
            enrollments[id] = enrollment
        } else {
            if !isNew {
                running[enrollment.contactID]?.removeAll { $0.id == id }
                if running[enrollment.contactID]?.isEmpty == true { running[enrollment.contactID] = nil }
            }
            if keepsFinished {
                enrollments[id] = enrollment
            } else if !isNew {
                enrollments[id] = nil
            }
        }
        if case .waiting(_, let wakeAt?, _) = enrollment.state {
            if wakeUps[id] != wakeAt { queue.push(wakeAt, Self.sequence(id), id) }
            wakeUps[id] = wakeAt
        } else if !wakeUps.isEmpty {
            wakeUps[id] = nil
        }
    }

    public func runningEnrollments(contactID: String) -> [Enrollment] {
        (running[contactID] ?? []).compactMap { enrollments[$0.id] }
    }

    public func isEnrolled(contactID: String, workflowID: String) -> Bool {
        running[contactID]?.contains { $0.workflowID == workflowID } ?? false
    }

    public func runningCount(contactID: String) -> Int { running[contactID]?.count ?? 0 }

    public func runningCount(contactID: String, workflowID: String) -> Int {
        running[contactID]?.reduce(0) { $0 + ($1.workflowID == workflowID ? 1 : 0) } ?? 0
    }

    public func hasEnrolled(workflowID: String, orderID: String) -> Bool { orders.contains(OrderKey(workflowID: workflowID, orderID: orderID)) }

    public func nextWakeUp(atOrBefore instant: Instant) -> (Instant, String)? {
        while let top = queue.peek {
            guard wakeUps[top.id] == top.at else {
                queue.pop()
                continue
            }
            return top.at <= instant ? (top.at, top.id) : nil
        }
        return nil
    }

    /// Counted over the running enrollments (linear in their number; asked once at the end of a run,
    /// not per event).
    public var waitingCount: Int {
        running.values.reduce(0) { total, list in
            total + list.reduce(0) { sum, entry in
                guard case .waiting? = enrollments[entry.id]?.state else { return sum }
                return sum + 1
            }
        }
    }

    public func newEnrollmentID() -> String {
        count += 1
        return Self.id(count)
    }

    /// `e-<n>`, written digit by digit: a string interpolation costs more than the rest of making
    /// an enrollment.
    static func id(_ number: Int) -> String {
        var digits = 1
        var scale = 10
        while scale <= number.magnitude, digits < 19 {
            digits += 1
            scale &*= 10
        }
        return String(unsafeUninitializedCapacity: digits + 2) { buffer in
            buffer[0] = 0x65  // e
            buffer[1] = 0x2D  // -
            var rest = number.magnitude
            for index in stride(from: digits + 1, through: 2, by: -1) {
                buffer[index] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                rest /= 10
            }
            return digits + 2
        }
    }

    /// The number in an id this store made (`e-<n>`): the order enrollments were made in.
    private static func sequence(_ id: String) -> Int { Int(id.dropFirst(2)) ?? 0 }
}
