import Foundation
import SluiceCore
import SluiceDrills
import SluiceRunbooks
import Testing

@Suite("Malformed drills")
struct ValidationTests {
    static let runbooks: [Runbook] = {
        (try? [RunbookParser.parse(text: DrillFixture.fastTimeoutRunbook, path: "runbooks/fast-timeout.md")]) ?? []
    }()

    @Test("the base of the corpus is a valid drill")
    func baseIsValid() throws {
        let result = DrillParser.analyze(text: BadDrill.base, path: "runbooks/drills/bad.yaml", runbooks: Self.runbooks)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(result.loaded != nil)
    }

    @Test("each mistake is reported as file:line:column with a fix, and the drill is refused", arguments: badDrills)
    func reportsTheMistake(_ bad: BadDrill) throws {
        let path = "runbooks/drills/bad.yaml"
        let result = DrillParser.analyze(text: bad.text, path: path, runbooks: Self.runbooks)
        #expect(result.loaded == nil, "an invalid drill must be refused as a whole")
        let all = result.diagnostics.map(\.description).joined(separator: "\n")
        let hit = result.errors.first { $0.line == bad.line && $0.column == bad.column && $0.message.contains(bad.message) }
        #expect(hit != nil, "expected an error at \(bad.line):\(bad.column) containing '\(bad.message)', got:\n\(all)")
        guard let hit else { return }
        #expect(!hit.fix.isEmpty, "every error says how to fix it")
        if let fix = bad.fix { #expect(hit.fix.contains(fix), "fix '\(hit.fix)' should contain '\(fix)'") }
        #expect(hit.description.hasPrefix("\(path):\(bad.line):\(bad.column): error: "))
        #expect(throws: SluiceError.self) { try DrillParser.parse(text: bad.text, path: path, runbooks: Self.runbooks) }
    }

    @Test("the corpus is large enough to mean something")
    func corpusSize() {
        #expect(badDrills.count >= 25)
        #expect(Set(badDrills.map(\.name)).count == badDrills.count, "case names are unique")
    }

    @Test("every problem in a file is reported, not only the first")
    func collectsAll() {
        let text = BadDrill.base
            .replacingOccurrences(of: "    from: orders", with: "    from: ordrs")
            .replacingOccurrences(of: "runbook: fast-timeout", with: "runbook: slow-timeout")
            .replacingOccurrences(of: "  - lost: 0", with: "  - lots: 0")
        let result = DrillParser.analyze(text: text, path: "d.yaml", runbooks: Self.runbooks)
        #expect(result.errors.map { "\($0.line):\($0.column)" } == ["14:11", "23:14", "26:5"], "\(result.diagnostics.map(\.description))")
    }

    @Test("loading a drill with errors throws the first one as file:line:column")
    func loadRefuses() throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let path = try fixture.write("bad.yaml", BadDrill.base.replacingOccurrences(of: "    from: orders", with: "    from: ordrs"))
        do {
            _ = try DrillParser.load(path: path)
            Issue.record("expected a refusal")
        } catch let error as SluiceError {
            #expect(error.kind == .badInput)
            #expect(error.exitCode == 2)
            #expect(error.message.hasPrefix("\(path):14:11: worker 'order-worker' reads 'ordrs' is not a queue of this drill"), "\(error.message)")
        }
        #expect(throws: SluiceError.self) { try DrillParser.load(path: fixture.dir + "/missing.yaml") }
    }
}
