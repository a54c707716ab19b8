import SluiceCore
import SluiceRunbooks
import Testing

@Suite("Malformed runbooks")
struct CorpusTests {
    @Test("each mistake is reported at its line and column, and the runbook is refused", arguments: badRunbooks)
    func reportsTheMistake(_ bad: BadRunbook) throws {
        let result = RunbookParser.analyze(text: bad.text, path: "runbooks/bad.md")
        #expect(result.runbook == nil, "an invalid runbook must be refused as a whole")
        let all = result.diagnostics.map(\.description).joined(separator: "\n")
        let hit = result.errors.first { $0.line == bad.line && $0.column == bad.column && $0.message.contains(bad.message) }
        #expect(hit != nil, "expected an error at \(bad.line):\(bad.column) containing '\(bad.message)', got:\n\(all)")
        guard let hit else { return }
        #expect(!hit.fix.isEmpty, "every error says how to fix it")
        if let fix = bad.fix {
            #expect(hit.fix.contains(fix), "fix '\(hit.fix)' should contain '\(fix)'")
        }
        #expect(hit.description.hasPrefix("runbooks/bad.md:\(bad.line):\(bad.column): error: "))
        #expect(throws: SluiceError.self) { try RunbookParser.parse(text: bad.text, path: "runbooks/bad.md") }
    }

    @Test("the corpus is large enough to mean something")
    func corpusSize() {
        #expect(badRunbooks.count >= 25)
        #expect(Set(badRunbooks.map(\.name)).count == badRunbooks.count, "case names are unique")
    }

    @Test("every problem in a file is reported, not only the first")
    func collectsAll() {
        let text = """
        ---
        id: Bad_Id
        dlq: orders-dlq
        batch:
          size: 0
          sise: 10
        strategy:
          Timeout: requeu
        ---
        """
        let result = RunbookParser.analyze(text: text, path: "x.md")
        let positions = result.errors.map { "\($0.line):\($0.column)" }
        #expect(positions == ["2:5", "5:9", "6:3", "8:12"])
    }

    @Test("the refusal names the first error and how many more there are")
    func refusalMessage() {
        let text = "---\nid: Bad_Id\ndlq: orders-dlq\nstrategy:\n  Timeout: requeu\n---\n"
        do {
            _ = try RunbookParser.parse(text: text, path: "runbooks/x.md")
            Issue.record("expected a refusal")
        } catch let error as SluiceError {
            #expect(error.kind == .badInput)
            #expect(error.exitCode == 2)
            #expect(error.message.hasPrefix("runbooks/x.md:2:5: id 'Bad_Id' is not kebab-case — "))
            #expect(error.message.hasSuffix("(and 1 more error)"))
            #expect(error.fix?.contains("sluice runbook check runbooks/x.md") == true)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
