import Foundation
import SluiceCore
import SluiceHarnessKit
import SluiceRunbooks
import Testing

/// The in-process mutation fuzzer, briefly, plus the inputs it (or libFuzzer) found, kept as
/// regression cases.
@Suite("parser fuzzing")
struct ParseFuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// The shipped runbooks and drills, read once for every test here.
    static let corpus = Result { try ParseFuzzer.Corpus(root: root) }

    @Test("3,000 mutated runbooks, drills, durations, rates, guards and bodies: no crash, every check holds")
    func shortFuzzRun() throws {
        let report = ParseFuzzer(iterations: 3000, seed: 99, corpus: try Self.corpus.get()).run()
        #expect(report.ok, "\(report)")
        #expect(report.passed > 3000, "\(report.summary)")
    }

    /// Saved inputs: `Corpus/<target>-<name>.bin` (first byte: the target, as `fuzz-parse` saves them).
    @Test("saved fuzz inputs replay without a crash or a failed check", arguments: Self.savedInputs())
    func replay(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.root + "/Tests/SluiceReliabilityTests/Corpus/" + name)))
        let report = ParseFuzzer.replay(bytes, corpus: try Self.corpus.get())
        #expect(report.ok, "\(report)")
    }

    static func savedInputs() -> [String] {
        let dir = root + "/Tests/SluiceReliabilityTests/Corpus"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }

    /// Found by `fuzz-parse`: compound durations over the 10-year cap parsed (`3650d3d`) and then
    /// printed as a single term (`3653d`) that does not parse back.
    @Test("a compound duration over ten years is refused like a single term", arguments: ["3650d3d", "1w3650d", "3000d3000d"])
    func compoundDurationCap(_ text: String) throws {
        #expect(throws: SluiceError.self) { try TimeSpan.parse(text) }
        #expect(try TimeSpan.parse("3650d") == .days(3650))
        #expect(try TimeSpan.parse("1h30m") == .minutes(90))
    }

    /// Found by the harness: a positive but vanishing `max_rate` passed the reader and crashed
    /// `sluice redrive` (Double → Int64 overflow in the plan's duration estimate).
    @Test("a vanishing max_rate is refused with its line and column", arguments: [
        "0.000000000000000000000000000000000000000000001/s", "0.0001/h", "0.00000001",
    ])
    func vanishingRateRefused(_ rate: String) {
        let text = "---\nid: tiny\ndlq: \"*-dlq\"\nbatch:\n  max_rate: \(rate)\nstrategy:\n  Timeout: requeue\n---\n# tiny\n"
        let result = RunbookParser.analyze(text: text, path: "tiny.md")
        #expect(result.runbook == nil)
        #expect(result.errors.contains { $0.line == 5 && $0.message.contains("max_rate") }, "\(result.diagnostics)")
    }
}
