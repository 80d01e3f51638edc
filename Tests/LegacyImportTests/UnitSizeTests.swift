import LegacyImport
import PurchaseActionsCore
import Testing

/// An action set or a sequence compiles to one workflow, which holds at most `WorkflowLimits.steps`
/// steps: the reader refuses a unit that would pass it, so `import-actions` never writes a workflow
/// file that `simulate --workflows` refuses (Docs/export-format.md, "Limits").
@Suite("Actions per action set and steps per sequence")
struct UnitSizeTests {
    static func actionSet(_ count: Int, ruled: Bool) -> String {
        let rule = ruled ? #"<rule match="all"><has-tag tag="tag-a"/></rule>"# : ""
        let actions = (0..<count).map { #"<apply-tag id="a\#($0)" tag="tag-a">\#(rule)</apply-tag>"# }.joined(separator: "\n")
        return Minimal.export(actionSets: #"<action-set id="as-big" name="Big">"# + "\n" + actions + "\n</action-set>")
    }

    static func sequence(steps: Int, actionsPerStep: Int) -> String {
        let body = (0..<steps).map { step in
            #"<step id="s\#(step)" delay-days="\#(step)">"# + (0..<actionsPerStep).map { #"<apply-tag id="s\#(step)-a\#($0)" tag="tag-a"/>"# }.joined()
                + "</step>"
        }.joined(separator: "\n")
        return Minimal.export(sequences: #"<sequence id="seq-big" name="Big">"# + "\n" + body + "\n</sequence>")
    }

    @Test("1,000 actions with rules are read and compile within 2,000 steps; the 1,001st is refused where it is")
    func actionSetLimit() throws {
        let limit = WorkflowLimits.steps / 2
        let document = try Repository.read(Self.actionSet(limit, ruled: true))
        let set = try #require(document.account.actionSets.first { $0.id == "as-big" })
        let workflow = LegacyCompiler.compile(document.account).workflows.first { $0.id == "action-set.as-big" }
        #expect(set.actions.count == limit)
        #expect(Self.stepCount(try #require(workflow).steps) == WorkflowLimits.steps)

        let over = Self.actionSet(limit + 1, ruled: false)
        let error = try #require(Repository.error(over))
        #expect(error.code == .unexpectedElement && error.message.contains("at most \(limit) actions"), "\(error)")
        let line = over.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(#"id="a\#(limit)""#) }.map { $0 + 1 }
        #expect(error.location.line == line)
    }

    @Test("A sequence holds at most 1,000 steps and actions together; one more is refused at its step")
    func sequenceLimit() throws {
        // 500 steps of one action each: 1,000 together, compiling to 499 waits (day 0 has none) + 500 actions.
        let fits = try Repository.read(Self.sequence(steps: 500, actionsPerStep: 1))
        let workflow = try #require(LegacyCompiler.compile(fits.account).workflows.first { $0.id == "sequence.seq-big" })
        #expect(Self.stepCount(workflow.steps) <= WorkflowLimits.steps)
        let error = try #require(Repository.error(Self.sequence(steps: 334, actionsPerStep: 2)))
        #expect(error.code == .unexpectedElement && error.message.contains("steps and actions together, and this step brings it to 1002"), "\(error)")
        #expect(error.location.path.hasSuffix("step[@id='s333']") || error.location.path.contains("s333"), "\(error.location)")
    }

    static func stepCount(_ steps: [Step]) -> Int {
        steps.reduce(0) { total, step in
            var inner = 0
            if case .branch(let branches, let otherwise) = step.kind {
                inner = branches.reduce(0) { $0 + stepCount($1.steps) } + stepCount(otherwise)
            }
            return total + 1 + inner
        }
    }
}
