import NIOCore
import PurchaseActionsCore
import PurchaseActionsDunning

extension HTTPPaymentGateway {
    /// An answer's body as read.
    enum BodyRead: Hashable, Sendable {
        /// All of it, at most the limit.
        case complete([UInt8])
        /// Longer than the limit (by its `Content-Length`, or once one byte past it arrived).
        case tooLarge
        /// The connection failed before the body's end.
        case cutShort
        /// The deadline passed before the body's end.
        case timedOut
    }

    /// A gateway's answer body, read.
    enum Answer: Hashable, Sendable {
        case approved(charge: String)
        case declined(code: String, adviceCode: String?)
        case pending
        /// Not a valid answer: why.
        case invalid(String)
    }

    /// Reads the body: at most `limit` bytes (one more means ``BodyRead/tooLarge``, the rest left
    /// unread), until `deadline`.
    static func readAnswer<Body: AsyncSequence & Sendable>(_ body: Body, limit: Int, until deadline: ContinuousClock.Instant) async -> BodyRead
    where Body.Element == ByteBuffer {
        await withTaskGroup(of: BodyRead.self) { group in
            group.addTask {
                var collected: [UInt8] = []
                do {
                    for try await chunk in body {
                        guard chunk.readableBytes <= limit - collected.count else { return .tooLarge }
                        collected.append(contentsOf: chunk.readableBytesView)
                    }
                } catch {
                    return Task.isCancelled ? .timedOut : .cutShort
                }
                return .complete(collected)
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return .timedOut
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            return first
        }
    }

    /// Reads an answer: a JSON object whose `status` is `approved` (with `charge`), `declined`
    /// (with `declineCode`, optional `adviceCode`) or `pending`; an `idempotencyKey`, when present,
    /// must be `key`; other members are ignored.
    static func parseAnswer(_ bytes: [UInt8], key: String) -> Answer {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(bytes)
        } catch {
            // Say why (a fraction in a number, a broken string...), not only that it failed.
            return .invalid("the answer is not JSON as the gateway contract takes it (\(DisplayText.escape("\(error)", maxScalars: 200)))")
        }
        guard case .object(let members) = parsed else {
            return .invalid("the answer is not a JSON object")
        }
        if let echoed = members["idempotencyKey"], echoed != .string(key), echoed != .null {
            return .invalid("the answer is for another idempotency key")
        }
        guard case .string(let status)? = members["status"] else {
            return .invalid("the answer has no \"status\" string")
        }
        switch status {
        case "approved":
            guard case .string(let charge)? = members["charge"], isPrintable(charge, limit: maximumChargeIDLength) else {
                return .invalid("an approved answer needs \"charge\": 1 to \(maximumChargeIDLength) characters, no control characters")
            }
            return .approved(charge: charge)
        case "declined":
            guard case .string(let code)? = members["declineCode"], isPrintable(code, limit: maximumDeclineCodeLength) else {
                return .invalid("a declined answer needs \"declineCode\": 1 to \(maximumDeclineCodeLength) characters, no control characters")
            }
            switch members["adviceCode"] {
            case nil, .null?:
                return .declined(code: code, adviceCode: nil)
            case .string(let advice)? where isAdviceCode(advice):
                return .declined(code: code, adviceCode: advice)
            default:
                return .invalid("\"adviceCode\" must be two digits, 01 to 99, or null")
            }
        case "pending":
            return .pending
        default:
            return .invalid("the answer's status \"\(Text.excerpt(status, limit: 40))\" is not approved, declined or pending")
        }
    }

    /// What a charge's answer means (the table on ``HTTPPaymentGateway``).
    static func chargeOutcome(code: Int, phrase: String, body: BodyRead, key: String) -> ChargeOutcome {
        switch code {
        case 200...299:
            switch answer(body, key: key) {
            case .approved(let charge): return .approved(charge: charge)
            case .declined(let decline, let advice): return .declined(code: decline, adviceCode: advice)
            case .pending: return .unknown(reason: "HTTP \(code): the charge is pending")
            case .invalid(let why): return .unknown(reason: "HTTP \(code): \(why)")
            }
        case 408, 409, 425, 429:
            return .unknown(reason: reason(code: code, phrase: phrase, body: body))
        case 400...499:
            // A refusal is final only when the whole answer arrived and says nothing of a charge: a
            // body cut short, too large or late may have said approved, and "pending" may still charge.
            guard case .complete = body else {
                return .unknown(reason: reason(code: code, phrase: phrase, body: body) + " (the answer did not arrive whole)")
            }
            switch answer(body, key: key) {
            case .declined(let decline, let advice): return .declined(code: decline, adviceCode: advice)
            case .approved: return .unknown(reason: reason(code: code, phrase: phrase, body: body) + " (an approved answer with a 4xx status)")
            case .pending: return .unknown(reason: reason(code: code, phrase: phrase, body: body) + " (a pending answer with a 4xx status)")
            case .invalid: return .declined(code: rejectedCode, adviceCode: nil)
            }
        default:
            return .unknown(reason: reason(code: code, phrase: phrase, body: body))
        }
    }

    /// What a status look-up's answer means (the table on ``HTTPPaymentGateway``).
    static func lookupStatus(code: Int, phrase: String, body: BodyRead, key: String) -> ChargeStatus {
        switch code {
        case 200...299:
            switch answer(body, key: key) {
            case .approved(let charge): return .approved(charge: charge)
            case .declined(let decline, let advice): return .declined(code: decline, adviceCode: advice)
            case .pending: return .unknown(reason: "HTTP \(code): the charge is pending")
            case .invalid(let why): return .unknown(reason: "HTTP \(code): \(why)")
            }
        case 404:
            return .notFound
        default:
            return .unknown(reason: reason(code: code, phrase: phrase, body: body))
        }
    }

    /// The answer in a body read in full; why not otherwise.
    private static func answer(_ body: BodyRead, key: String) -> Answer {
        switch body {
        case .complete(let bytes): return parseAnswer(bytes, key: key)
        case .tooLarge: return .invalid("the answer's body is over \(responseBodyLimit) bytes")
        case .cutShort: return .invalid("the connection closed before the answer's end")
        case .timedOut: return .invalid("the answer's body did not arrive in time")
        }
    }

    /// `HTTP <code> <phrase>: <body excerpt or what went wrong with it>`.
    private static func reason(code: Int, phrase: String, body: BodyRead) -> String {
        var reason = "HTTP \(code)"
        let phrase = Text.excerpt(phrase, limit: 60)
        if !phrase.isEmpty { reason += " \(phrase)" }
        if (300...399).contains(code) { reason += " (redirects are not followed: give the final URL)" }
        switch body {
        case .complete(let bytes) where !bytes.isEmpty:
            reason += ": " + Text.excerpt(String(decoding: bytes, as: UTF8.self), limit: reasonLimit)
        case .complete: break
        case .tooLarge: reason += ": the body is over \(responseBodyLimit) bytes"
        case .cutShort: reason += ": the connection closed before the body's end"
        case .timedOut: reason += ": the body did not arrive in time"
        }
        return reason
    }

    /// 1 to `limit` characters, none a control character.
    private static func isPrintable(_ text: String, limit: Int) -> Bool {
        !text.isEmpty && text.count <= limit && !Text.hasControl(text)
    }

    /// Two ASCII digits, `01` to `99`.
    static func isAdviceCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 2, bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
        return text != "00"
    }
}
