import Foundation
import SluiceCore
import SluiceDrills
import SluiceTesting
import Testing

@Suite("Replaying traces")
struct ReplayTests {
    /// Runs the small outage with its trace written to a file in the fixture.
    private func traced(_ fixture: DrillFixture) async throws -> (path: String, report: DrillReport) {
        let drill = try fixture.write("small.yaml", DrillFixture.smallOutage())
        let trace = fixture.dir + "/small.trace"
        let report = try await DrillRunner.run(path: drill, trace: .file(trace)).report
        return (trace, report)
    }

    /// Rewrites one line of a trace file.
    private func tamper(_ path: String, line number: Int, _ change: (String) -> String) throws -> String {
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        lines[number - 1] = change(lines[number - 1])
        let out = path + ".tampered"
        try lines.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
        return out
    }

    @Test("a clean trace replays identically, even after the drill files are gone")
    func cleanReplay() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let (trace, report) = try await traced(fixture)
        try FileManager.default.removeItem(atPath: fixture.dir + "/small.yaml")
        try FileManager.default.removeItem(atPath: fixture.dir + "/fast-timeout.md")

        let replay = try await DrillRunner.replay(path: trace)
        #expect(replay.endStateMatches)
        #expect(replay.recordedEndDigest == report.endDigest)
        #expect(replay.firstDifference == nil, "first difference at line \(replay.firstDifference ?? 0): \(String(describing: replay.difference))")
        #expect(replay.report == report)
    }

    @Test("a tampered line is reported as a divergence at that line")
    func tamperedLine() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let (trace, _) = try await traced(fixture)
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        // The first send after the header lines: change one of its keys.
        let target = try #require(lines.firstIndex { $0.contains("\"type\":\"send\"") }) + 1
        let tampered = try tamper(trace, line: target) { $0.replacingOccurrences(of: "\"m1\"", with: "\"m999999\"") }

        let replay = try await DrillRunner.replay(path: tampered)
        #expect(replay.endStateMatches, "only the record of a send changed, not what was sent")
        #expect(replay.firstDifference == target)
        #expect(replay.difference?.recorded.contains("m999999") == true)
        #expect(replay.difference?.replayed.contains("\"m1\"") == true)

        let plain = try SluiceProcess.run(["drill", "replay", tampered], timeout: 120)
        #expect(plain.status == 0, "without --check only the end state counts: \(plain.stdout)")
        let checked = try SluiceProcess.run(["drill", "replay", tampered, "--check"], timeout: 120)
        #expect(checked.status == 1, "\(checked.stdout)\n\(checked.stderr)")
        #expect(checked.stdout.contains("first differing trace line: \(target)"), "\(checked.stdout)")
        #expect(checked.stdout.contains("m999999"))
    }

    @Test("a trace whose end state was altered fails replay even without --check")
    func tamperedEnd() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let (trace, report) = try await traced(fixture)
        let tampered = try tamper(trace, line: report.traceLines) { $0.replacingOccurrences(of: report.endDigest, with: "0123456789abcdef") }
        let r = try SluiceProcess.run(["drill", "replay", tampered], timeout: 120)
        #expect(r.status == 1)
        #expect(r.stdout.contains("end state DIFFERS"), "\(r.stdout)")
        #expect(r.stdout.contains("first differing trace line: \(report.traceLines)"))

        let clean = try SluiceProcess.run(["drill", "replay", trace, "--check"], timeout: 120)
        #expect(clean.status == 0, "\(clean.stdout)\n\(clean.stderr)")
        #expect(clean.stdout.contains("every trace line is identical (\(report.traceLines) lines)"))
    }

    @Test("a file that is not a trace is refused with its line")
    func notATrace() throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let path = try fixture.write("junk.trace", "{\"t\":0,\"type\":\"drill\"}\nnot json\n")
        #expect(throws: SluiceError.self) { try TraceReader.read(path: path) }
        do { _ = try TraceReader.read(path: path) } catch let error as SluiceError {
            #expect(error.message.hasPrefix("\(path):2: not a drill trace record"))
        } catch {}
        let r = try SluiceProcess.run(["drill", "replay", path], timeout: 60)
        #expect(r.status == 2, "\(r.stderr)")
    }
}
