import PurchaseActionsDunning
import Testing

@Suite("Decline table: policy codes, then advice codes, then codes, then the unknown default")
struct DeclineTableTests {
    let table = DeclineTable.standard
    let settings = DeclineSettings()

    @Test("Mastercard advice codes 24-30 set the wait: 1h, 24h, 2d, 4d, 6d, 8d, 10d")
    func adviceWaits() {
        let waits: [(String, PolicyDuration)] = [
            ("24", .hours(1)), ("25", .hours(24)), ("26", .days(2)), ("27", .days(4)), ("28", .days(6)), ("29", .days(8)), ("30", .days(10)),
        ]
        for (advice, wait) in waits {
            let decline = table.classify(code: "do_not_honor", adviceCode: advice, settings: settings)
            #expect(decline.declineClass == .retryAfter && decline.retryAfter == wait && decline.reason == "advice \(advice)")
        }
    }

    @Test("Advice 01 update-required, 02 soft, 03 / 04 / 21 hard, over the code's own class")
    func adviceClasses() {
        #expect(table.classify(code: "insufficient_funds", adviceCode: "01", settings: settings).declineClass == .updateRequired)
        #expect(table.classify(code: "lost_card", adviceCode: "02", settings: settings).declineClass == .soft)
        for advice in ["03", "04", "21"] {
            #expect(table.classify(code: "insufficient_funds", adviceCode: advice, settings: settings).declineClass == .hard)
        }
        // An advice code the table does not know leaves the code to decide.
        #expect(table.classify(code: "insufficient_funds", adviceCode: "99", settings: settings).reason == "code insufficient_funds")
    }

    @Test("Codes: hard, soft, update-required as dunning.md lists them; Visa category 1 numbers; case does not matter")
    func codes() {
        for code in ["lost_card", "stolen_card", "pickup_card", "incorrect_number", "invalid_account", "do_not_try_again",
                     "revocation_of_authorization", "transaction_not_allowed", "authentication_required",
                     "04", "07", "12", "14", "15", "41", "43", "46", "57", "R0", "r1", "R3"] {
            #expect(table.classify(code: code, adviceCode: nil, settings: settings).declineClass == .hard, "\(code)")
        }
        for code in ["insufficient_funds", "do_not_honor", "exceeds_limit", "card_velocity_exceeded", "issuer_unavailable",
                     "processing_error", "try_again_later", "suspected_fraud"] {
            #expect(table.classify(code: code, adviceCode: nil, settings: settings).declineClass == .soft, "\(code)")
        }
        let expired = table.classify(code: "Expired_Card", adviceCode: nil, settings: settings)
        #expect(expired.declineClass == .updateRequired && expired.code == "expired_card")
    }

    @Test("The policy's codes win over advice and table; unknown codes take the policy's default (soft)")
    func policyAndUnknown() {
        let custom = DeclineSettings(unknown: .hard, codes: ["do_not_honor": .hard, "weird": .updateRequired])
        let overridden = table.classify(code: "DO_NOT_HONOR", adviceCode: "25", settings: custom)
        #expect(overridden.declineClass == .hard && overridden.reason == "policy" && overridden.retryAfter == nil)
        #expect(table.classify(code: "weird", adviceCode: nil, settings: custom).declineClass == .updateRequired)
        let unknown = table.classify(code: "no_such_code", adviceCode: nil, settings: settings)
        #expect(unknown.declineClass == .soft && unknown.reason == "unknown")
        #expect(table.classify(code: "no_such_code", adviceCode: nil, settings: custom).declineClass == .hard)
    }

    @Test("Every row has a source and each key is listed once")
    func rows() {
        #expect(Set(table.rows.map(\.key)).count == table.rows.count)
        #expect(table.rows.allSatisfy { !$0.source.isEmpty && ($0.declineClass == .retryAfter) == ($0.retryAfter != nil) })
        #expect(table.rows.count == 12 + 12 + 9 + 8 + 1)
    }
}
