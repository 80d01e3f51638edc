/// What one safe charge attempt came to (``SafeCharger/charge(_:gateway:isPaid:lookups:pauseBeforeLookup:)``),
/// for the dunning process to record.
///
/// ``resolution`` says what happened; ``outcome`` is the same as a ``ChargeOutcome`` for
/// `DunningProcess.record(_:outcome:at:)` (`nil` when nothing was charged because the invoice was
/// paid). ``charged`` and ``lookups`` say which gateway calls were made: at most one `charge` per
/// attempt, ever.
public struct ChargeAttemptResult: Hashable, Sendable {
    /// What became of the attempt.
    public enum Resolution: Hashable, Sendable {
        /// The invoice was paid when it was read again just before charging: `charge` was not called.
        case alreadyPaid
        /// Charged; the gateway's charge id (from the charge call, or from a status look-up after
        /// an unknown outcome).
        case approved(charge: String)
        /// Declined, with the gateway's code and the network's advice code.
        case declined(code: String, adviceCode: String?)
        /// The charge's outcome was unknown and a status look-up found no charge with the key:
        /// nothing was charged as far as the gateway knows. Try the same attempt (the same key)
        /// again later, never a new key.
        case notFound
        /// Still not known after the look-ups (or none were allowed). Try the same attempt (the
        /// same key) again later, never a new key.
        case unknown(reason: String)
        /// The request certainly never reached the gateway (``ChargeCall/notSent(reason:)``):
        /// nothing was charged and nothing is recorded; the same key is sent again later (the
        /// worker keeps the outbox row pending, with a back-off).
        case notSent(reason: String)
    }

    /// The request, with its idempotency key.
    public var request: ChargeRequest
    /// What became of it.
    public var resolution: Resolution
    /// Whether the gateway's `charge` was called (once at most) and may have reached it (`false`
    /// when the invoice was paid, and when the request was not sent).
    public var charged: Bool
    /// How many status look-ups were made (0 unless the charge's outcome was unknown).
    public var lookups: Int
    /// Words for people: what was done and why, for the timeline.
    public var detail: String

    /// Creates a result.
    public init(request: ChargeRequest, resolution: Resolution, charged: Bool, lookups: Int, detail: String) {
        self.request = request
        self.resolution = resolution
        self.charged = charged
        self.lookups = lookups
        self.detail = detail
    }

    /// The outcome to record: approved and declined as they are, ``Resolution/notFound`` and
    /// ``Resolution/unknown(reason:)`` as `unknown` (the same key is tried again later), `nil` for
    /// ``Resolution/alreadyPaid`` (nothing to record as an attempt: the invoice is paid) and for
    /// ``Resolution/notSent(reason:)`` (nothing to record at all: see ``isNotSent``).
    public var outcome: ChargeOutcome? {
        switch resolution {
        case .alreadyPaid, .notSent: return nil
        case .approved(let charge): return .approved(charge: charge)
        case .declined(let code, let adviceCode): return .declined(code: code, adviceCode: adviceCode)
        case .notFound: return .unknown(reason: "the gateway has no charge with the key \(request.idempotencyKey)")
        case .unknown(let reason): return .unknown(reason: reason)
        }
    }

    /// Whether the request never reached the gateway (``Resolution/notSent(reason:)``): the dunning
    /// process is not told, and the same key is sent again later.
    public var isNotSent: Bool {
        if case .notSent = resolution { return true }
        return false
    }

    /// `already-paid`, `approved`, `declined`, `not-found`, `unknown` or `not-sent`: the resolution's name.
    public var name: String {
        switch resolution {
        case .alreadyPaid: return "already-paid"
        case .approved: return "approved"
        case .declined: return "declined"
        case .notFound: return "not-found"
        case .unknown: return "unknown"
        case .notSent: return "not-sent"
        }
    }
}
