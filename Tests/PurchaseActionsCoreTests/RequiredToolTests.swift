import CommandLineTesting
import Testing

/// The test support that skips or fails a test needing a tool README does not list
/// (Tests/CommandLineTesting/RequiredTool.swift).
@Suite("RequiredTool: how a missing tool is found and named")
struct RequiredToolTests {
    @Test("A program on PATH is found; one that is nowhere is not")
    func programs() {
        #expect(RequiredTool.executable(named: "sh") != nil)
        #expect(RequiredTool.executable(named: "no-such-program-\(UInt32.random(in: 0...UInt32.max))") == nil)
        #expect(RequiredTool(program: "sh", for: "a shell", install: "none").isInstalled)
        #expect(!RequiredTool(program: "no-such-program-x9", for: "nothing", install: "none").isInstalled)
    }

    @Test("The reasons a skip and a failure give name the tool, what it is for and how to install it")
    func messages() {
        let tool = RequiredTool(name: "dot", for: "the pictures", install: "apt-get install graphviz", isInstalled: false)
        #expect(tool.description == "needs dot (the pictures): apt-get install graphviz")
        #expect(
            RequiredTool.Missing(tool: tool).description
                == "dot is missing and PURCHASE_ACTIONS_REQUIRE_TOOLS=1 requires it (the pictures): apt-get install graphviz")
    }

    @Test("A Python statement that fails means the module is missing")
    func python() {
        #expect(!RequiredTool(python: "import no_such_module_x9", name: "x", for: "y", install: "z").isInstalled)
    }
}
