public import PurchaseActions

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
    /// Adds or replaces an enrollment (and its wake-up time, from its state).
    func save(_ enrollment: Enrollment)
    /// The running enrollments of a contact, oldest first.
    func runningEnrollments(contactID: String) -> [Enrollment]
    /// Whether the contact has a running enrollment in the workflow.
    func isEnrolled(contactID: String, workflowID: String) -> Bool
    /// Whether any enrollment of the workflow was for this order.
    func hasEnrolled(workflowID: String, orderID: String) -> Bool
    /// The earliest wake-up time at or before `instant`, with its enrollment, ties in enrollment order.
    func nextWakeUp(atOrBefore instant: Instant) -> (Instant, String)?
    /// A new enrollment id.
    func newEnrollmentID() -> String
}

/// Engine state in memory: for tests, `simulate` and the library.
public final class InMemoryEnrollmentStore: EnrollmentStore {
    /// Whether finished and exited enrollments stay readable (``all``, ``enrollment(id:)``); a
    /// long-running engine lets them go (the log has their history), so memory holds only live runs.
    public let keepsFinished: Bool
    private var processed: Set<String> = []
    private var enrollments: [String: Enrollment] = [:]
    /// Each contact's running enrollments, oldest first.
    private var running: [String: [String]] = [:]
    private var orders: Set<String> = []
    private var wakeUps: [String: Instant] = [:]
    /// Wake-ups by time; an entry whose time no longer matches `wakeUps` is stale and skipped.
    private var queue = WakeUpQueue()
    private var sequence: [String: Int] = [:]
    private var count = 0

    /// Creates an empty store.
    public init(keepsFinished: Bool = true) {
        self.keepsFinished = keepsFinished
    }

    /// Every enrollment, in the order they were made.
    public var all: [Enrollment] { enrollments.values.sorted { sequence[$0.id]! < sequence[$1.id]! } }

    public func markProcessed(eventID: String) -> Bool { processed.insert(eventID).inserted }

    public func hasProcessed(eventID: String) -> Bool { processed.contains(eventID) }

    public func enrollment(id: String) -> Enrollment? { enrollments[id] }

    public func save(_ enrollment: Enrollment) {
        let isNew = enrollments[enrollment.id] == nil
        if isNew, enrollment.isRunning {
            running[enrollment.contactID, default: []].append(enrollment.id)
            if let order = enrollment.orderID { orders.insert(enrollment.workflowID + "\u{0}" + order) }
        }
        if !enrollment.isRunning, !isNew {
            running[enrollment.contactID]?.removeAll { $0 == enrollment.id }
            if running[enrollment.contactID]?.isEmpty == true { running[enrollment.contactID] = nil }
        }
        if enrollment.isRunning || keepsFinished {
            enrollments[enrollment.id] = enrollment
        } else {
            enrollments[enrollment.id] = nil
            sequence[enrollment.id] = nil
        }
        if case .waiting(_, let wakeAt?, _) = enrollment.state {
            if wakeUps[enrollment.id] != wakeAt { queue.push(wakeAt, sequence[enrollment.id] ?? 0, enrollment.id) }
            wakeUps[enrollment.id] = wakeAt
        } else {
            wakeUps[enrollment.id] = nil
        }
    }

    public func runningEnrollments(contactID: String) -> [Enrollment] {
        (running[contactID] ?? []).compactMap { enrollments[$0] }
    }

    public func isEnrolled(contactID: String, workflowID: String) -> Bool {
        runningEnrollments(contactID: contactID).contains { $0.workflowID == workflowID }
    }

    public func hasEnrolled(workflowID: String, orderID: String) -> Bool { orders.contains(workflowID + "\u{0}" + orderID) }

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

    public func newEnrollmentID() -> String {
        count += 1
        let id = "e-\(count)"
        sequence[id] = count
        return id
    }
}
