import Foundation
import SluiceHarnessKit
import SluiceTesting
import Testing

/// Short CI versions of the process-level harnesses; the long runs are `sluice-harness
/// kill-local|concurrent|corrupt|kill-sqs` (see Fuzz/README.md for the figures).
@Suite("reliability harness, short runs", .serialized)
struct HarnessShortRuns {
    @Test("SIGKILL during local redrives: every message in exactly one place, resumes complete")
    func killLocal() {
        let report = LocalKillHarness(iterations: 4, seed: 7).run()
        #expect(report.ok, "\(report)")
        #expect(report.passed > 100, "the invariant must actually have been checked: \(report.summary)")
    }

    @Test("two redrives of one DLQ at once: no message moved twice")
    func concurrentRedrives() {
        let report = ConcurrentRedriveHarness(iterations: 3).run()
        #expect(report.ok, "\(report)")
        #expect(report.passed > 50, "\(report.summary)")
    }

    @Test("truncated and bit-flipped store files and WALs: refused with exit 2 or read correctly")
    func corruption() {
        var harness = CorruptionHarness(casesPerKind: 3, seed: 11)
        // Flips inside a queue row can change a counter undetectably (SQLite keeps no page
        // checksums): a known limitation the long run reports; CI checks everything else.
        harness.includeRowFlips = false
        let report = harness.run()
        #expect(report.ok, "\(report)")
        #expect(report.passed >= 40, "\(report.summary)")
    }

    @Test("SIGKILL during SQS redrives through the fault proxy: nothing lost, duplicates bounded",
          .enabled(if: MotoServer.isAvailable, "\(MotoServer.unavailableReason)"), .timeLimit(.minutes(2)))
    func killSQS() async throws {
        let report = await SQSKillHarness(iterations: 1, seed: 3).run(moto: try await MotoServer.shared())
        #expect(report.ok, "\(report)")
        #expect(report.passed >= 10, "\(report.summary)")
    }
}
