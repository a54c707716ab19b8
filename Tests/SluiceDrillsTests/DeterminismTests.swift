import Foundation
import SluiceCore
import SluiceDrills
import Testing

@Suite("Drills are deterministic")
struct DeterminismTests {
    @Test("the same file and seed give byte-identical traces and reports; another seed gives another trace")
    func sameSeedSameRun() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let path = try fixture.write("small.yaml", DrillFixture.smallOutage())
        let loaded = try DrillParser.load(path: path)

        let first = try await DrillRunner.run(loaded, trace: .memory)
        let second = try await DrillRunner.run(loaded, trace: .memory)
        #expect(first.trace.count > 10_000, "the trace records the run (\(first.trace.count) bytes)")
        #expect(first.trace == second.trace, "two runs of one drill and seed must write the same trace bytes")
        #expect(first.report == second.report)
        #expect(try encoded(first.report) == encoded(second.report), "the JSON reports are byte-identical")
        #expect(first.report.traceDigest == second.report.traceDigest)
        #expect(first.report.passed, "\(first.report.text)")

        let other = try await DrillRunner.run(loaded, seed: 43, trace: .memory)
        #expect(other.report.seed == 43)
        #expect(other.trace != first.trace, "a different seed must give a different trace")
        #expect(other.report.traceDigest != first.report.traceDigest)
        #expect(other.report.endDigest != first.report.endDigest, "different seeds reach different end states (other ids, other timings)")
    }

    @Test("the trace is sorted-key JSON Lines on drill time with no wall-clock field")
    func traceShape() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let path = try fixture.write("small.yaml", DrillFixture.smallOutage())
        let (report, bytes) = try await DrillRunner.run(DrillParser.load(path: path), trace: .memory)
        let records = try TraceReader.parse(bytes)
        #expect(records.count == report.traceLines)
        #expect(records.first?.type == "drill")
        #expect(records.last?.type == "end")
        let times = records.map(\.t)
        #expect(times == times.sorted(), "lines are in drill-time order")
        #expect(times.last ?? 0 <= 6 * 60_000)
        let types = Set(records.map(\.type))
        for expected in ["runbook", "alarm.defined", "sample", "send", "invoke", "fault.start", "fault.end", "operator", "redrive.plan", "redrive.batch", "end"] {
            #expect(types.contains(expected), "the trace has \(expected) lines")
        }
        // Keys sorted in every line: re-encoding a line canonically gives the same bytes.
        for line in bytes.split(separator: 10).prefix(200) {
            let value = try JSONDecoder().decode(TraceValue.self, from: Data(line))
            var out: [UInt8] = []
            value.write(to: &out)
            #expect(out == Array(line))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\"wall"), "no wall-clock field")
        #expect(!text.contains("drill.sluice"), "nothing about the run's temporary store")
    }

    private func encoded(_ report: DrillReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(report)
    }
}

@Suite("Idempotency makes duplicates harmless")
struct IdempotencyTests {
    @Test("duplicate side effects are 0 with idempotency on and more than 0 with it off")
    func onAndOff() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let on = try await DrillRunner.run(path: fixture.write("on.yaml", DrillFixture.smallOutage(idempotency: true))).report
        let off = try await DrillRunner.run(path: fixture.write("off.yaml", DrillFixture.smallOutage(idempotency: false))).report

        // The same traffic and faults reach both: the producer's duplicates and whole batches
        // that come back after a hung call.
        #expect(on.count(.produced) == off.count(.produced))
        #expect(on.count(.sent) > on.count(.produced), "the producer sent duplicates")
        #expect(on.count(.timeouts) > 0 && off.count(.timeouts) > 0, "hung calls timed whole batches out")

        #expect(on.count(.duplicateSideEffects) == 0)
        #expect(on.count(.duplicatesSuppressed) > 0, "the idempotency store recognised repeats")
        #expect(on.count(.sideEffects) == on.count(.processed))
        #expect(on.passed, "\(on.text)")

        #expect(off.count(.duplicateSideEffects) > 0, "without idempotency, repeats repeat the side effect")
        #expect(off.count(.duplicatesSuppressed) == 0)
        #expect(off.count(.sideEffects) == off.count(.processed) + off.count(.duplicateSideEffects))
        let failed = off.expectations.filter { !$0.passed }
        #expect(failed.map(\.expectation) == ["duplicate_side_effects <= 0"], "\(off.text)")
        #expect(!off.passed)
    }
}
