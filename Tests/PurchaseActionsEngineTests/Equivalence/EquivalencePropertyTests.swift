import Foundation
import PropertyBased
import PurchaseActionsCore
import Testing

/// A generated event the format or the engine refused: a generator bug, reported with its history.
struct BrokenHistory: Error, CustomStringConvertible {
    var description: String
}

/// The issue "proven equivalence": for every fixture export, with "run purchase actions on all
/// orders" as written and flipped, generated histories give, event by event, the same effects from
/// the reference model of the legacy semantics as from the compiled workflows on the engine.
///
/// Seeds are fixed, so every run checks the same histories. The reference runs with
/// ``ReferenceSemantics/engineCompatible``: the known discrepancies (EquivalenceKnownIssueTests)
/// are switched to what the engine does, so anything else that differs fails here.
@Suite("Equivalence: reference model of the legacy semantics ≡ compiler + engine")
struct EquivalencePropertyTests {
    static let historiesPerExport = 300

    /// The histories of one export, the same for both settings.
    static func histories(_ export: Int, _ account: LegacyAccount, count: Int) -> [[HistoryEvent]] {
        var rng = Xoshiro(seed: (0x5EED_0001, 0x1E6A_C7, UInt64(export + 1), 0xE9))
        return (0..<count).map { _ in
            var builder = HistoryBuilder(account: account)
            return builder.build(HistoryBuilder.seeds.run(using: &rng))
        }
    }

    /// Compares every history; reports the first few divergences, shrunk, as issues.
    static func check(_ export: Int, semantics: ReferenceSemantics, count: Int) throws -> (
        histories: Int, events: Int, effects: Int, diverging: [Divergence]
    ) {
        let setups = try EquivalenceSetup.load(EquivalenceSetup.exports[export])
        let histories = histories(export, setups[0].account, count: count)
        var diverging: [Divergence] = []
        var events = 0
        var effects = 0
        for setup in setups {
            for history in histories {
                events += history.count
                let outcome: (divergence: Divergence?, effects: Int)
                do {
                    outcome = try EquivalenceHarness.run(history, setup, semantics)
                } catch {
                    throw BrokenHistory(description: "\(setup.label): \(error)\n" + history.map(\.line).joined(separator: "\n"))
                }
                effects += outcome.effects
                if let divergence = outcome.divergence { diverging.append(divergence) }
            }
        }
        return (histories.count * setups.count, events, effects, diverging)
    }

    @Test("Every event of every generated history has the same effects", arguments: 0..<EquivalenceSetup.exports.count)
    func historiesAgree(export: Int) throws {
        let clock = ContinuousClock()
        let started = clock.now
        let result = try Self.check(export, semantics: .engineCompatible, count: Self.historiesPerExport)
        for divergence in result.diverging.prefix(3) {
            let setup = try EquivalenceSetup.load(EquivalenceSetup.exports[export]).first { $0.label == divergence.setup }!
            Issue.record("\(EquivalenceHarness.shrink(divergence, setup))")
        }
        #expect(result.diverging.count == 0, "\(result.diverging.count) of \(result.histories) histories diverge")
        print(
            "equivalence: \(EquivalenceSetup.exports[export]): \(result.histories) histories, \(result.events) events, \(result.effects) effects compared, "
                + "\(result.diverging.count) diverging, \(clock.now - started)")
    }
}
