import Foundation
import SluiceCore
import SluiceDrills
import SluiceTesting
import Testing

@Suite("Expectations that do not hold")
struct ExpectationTests {
    /// An alarm on the worker queue's failures, one-minute periods, that fires on the first one.
    static let failingAlarm = """
    alarms:
      orders-failing:
        queue: orders
        metric: failed
        threshold: 0
        period: 1m
        evaluation_periods: 1
    """

    /// One of each kind, each impossible for the small outage, plus one that holds.
    static let impossible = """
      - alarm: orders-failing
        fires_within: 10s
      - alarm: orders-failing
        never: true
      - alarm: orders-failing
        fires_within: 5m
        clears_within: 1s
      - alarm: orders-dlq-not-empty
        fires_within: 1m
        after: 5m
      - produced: {max: 10}
      - lost: {min: 1}
      - timeouts: 0
      - guard_paused: fast-timeout
      - redrive: fast-timeout
        ends: aborted
      - latency: orders
        p50: 1ms
      - duplicate_side_effects: 0
    """

    @Test("each expectation kind detects a violation and says what it saw")
    func eachKindFails() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let path = try fixture.write("failing.yaml", DrillFixture.smallOutage(expect: Self.impossible, extra: Self.failingAlarm))
        let report = try await DrillRunner.run(path: path).report
        #expect(!report.passed)
        let results = report.expectations
        try #require(results.count == 11)
        func check(_ index: Int, _ expectation: String, _ detail: String, passed: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
            let r = results[index]
            #expect(r.expectation == expectation, sourceLocation: sourceLocation)
            #expect(r.passed == passed, "\(r.expectation): \(r.detail)", sourceLocation: sourceLocation)
            #expect(r.detail.contains(detail), "'\(r.detail)' should contain '\(detail)'", sourceLocation: sourceLocation)
            #expect(r.line > 0, "points back at its line", sourceLocation: sourceLocation)
        }
        check(0, "alarm orders-failing fires within 10s", "later than 10s")
        check(1, "alarm orders-failing never fires", "fired at ")
        check(2, "alarm orders-failing fires within 5m and clears within 1s", "cleared (OK) at ")
        check(3, "alarm orders-dlq-not-empty fires within 1m after 5m", "never fired after 5m")
        check(4, "produced <= 10", "produced = ")
        check(5, "lost >= 1", "lost = 0")
        check(6, "timeouts <= 0", "timeouts = ")
        check(7, "a guard of fast-timeout paused its redrive", "no guard ever paused it")
        check(8, "the redrive with fast-timeout ends aborted", "ended completed")
        check(9, "p50 latency of orders <= 1ms", "p50 = ")
        check(10, "duplicate_side_effects <= 0", "duplicate_side_effects = 0", passed: true)
        #expect(results[0].line < results[1].line, "lines follow the file")

        let text = report.text
        #expect(text.contains("FAILED — 10 of 11 expectations did not hold"), "\(text)")
        #expect(text.contains("✗ alarm orders-failing fires within 10s (line "))
        #expect(text.contains("✓ duplicate_side_effects <= 0 (line "))
    }

    @Test("a DLQ left holding other error types fails dlq_only and names them")
    func dlqOnlyFails() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let expect = "  - dlq_only: orders-dlq\n    error_types: []\n  - dlq_only: orders-dlq\n    error_types: [Timeout]"
        let report = try await DrillRunner.run(path: fixture.write("no-redrive.yaml", DrillFixture.smallOutage(redrive: false, expect: expect))).report
        let held = report.dlqContents["orders-dlq"]?["Timeout"] ?? 0
        #expect(held > 0)
        #expect(report.expectations.map(\.passed) == [false, true])
        #expect(report.expectations[0].detail == "orders-dlq also holds Timeout \(held)")
        #expect(report.expectations[1].detail == "orders-dlq holds Timeout \(held)")
    }

    @Test("sluice drill run exits 1 with a report naming what failed, 0 when all holds, 2 for an invalid file")
    func exitCodes() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let failing = try fixture.write("failing.yaml", DrillFixture.smallOutage(expect: "  - lost: 0\n  - produced: {max: 10}"))
        let r = try SluiceProcess.run(["drill", "run", failing], timeout: 120)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("✓ lost <= 0 (line "), "\(r.stdout)")
        #expect(r.stdout.contains("✗ produced <= 10 (line "), "\(r.stdout)")
        #expect(r.stdout.contains("FAILED — 1 of 2 expectations did not hold"))

        let json = try SluiceProcess.run(["drill", "run", failing, "--json"], timeout: 120)
        #expect(json.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let expectations = object?["expectations"] as? [[String: Any]] ?? []
        #expect(expectations.map { $0["passed"] as? Bool } == [true, false], "\(json.stdout.prefix(400))")

        let passing = try fixture.write("passing.yaml", DrillFixture.smallOutage())
        let ok = try SluiceProcess.run(["drill", "run", passing], timeout: 120)
        #expect(ok.status == 0, "\(ok.stdout)\n\(ok.stderr)")
        #expect(ok.stdout.contains("PASSED — 3 expectations held"))

        let invalid = try fixture.write("invalid.yaml", DrillFixture.smallOutage().replacingOccurrences(of: "duration: 6m", with: "duration: 6 minutes"))
        let bad = try SluiceProcess.run(["drill", "run", invalid], timeout: 60)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("invalid.yaml:3:11:"), "\(bad.stderr)")
    }
}
