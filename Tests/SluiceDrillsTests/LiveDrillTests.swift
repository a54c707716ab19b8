import Foundation
import SluiceCore
import SluiceDrills
import Testing

@Suite("Live drills")
struct LiveDrillTests {
    /// A live session of the small outage with an in-memory trace, and its folder.
    private func open(_ fixture: DrillFixture, speed: Int) async throws -> (LiveDrill, String) {
        let loaded = try DrillParser.load(path: fixture.write("small.yaml", DrillFixture.smallOutage()))
        let directory = try DrillRunner.makeScratchFolder()
        let session = try await DrillSession(loaded: loaded, directory: directory, trace: .memory)
        return (LiveDrill(session: session, speed: speed), directory)
    }

    @Test("virtual time follows wall time times the speed; pause holds it, step moves one sample, and the run equals a headless one")
    func pacedPausedStepped() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let (live, directory) = try await open(fixture, speed: 60)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // Ticks as a view's loop would make them, with wall time given: deterministic.
        for _ in 0..<10 { await live.tick(wall: .milliseconds(100)) }
        #expect(await live.status().elapsed == .minutes(1), "1 s of wall time at 60x is one drill minute")
        await live.tick(wall: .seconds(5))
        #expect(await live.status().elapsed == .minutes(1) + .seconds(15), "one tick accounts for at most 250 ms of wall time")

        await live.setPaused(true)
        await live.tick(wall: .milliseconds(200))
        var status = await live.status()
        #expect(status.isPaused)
        #expect(status.elapsed == .minutes(1) + .seconds(15), "paused: wall time passes, drill time does not")
        await live.step()
        #expect(await live.status().elapsed == .minutes(1) + .seconds(25), "a step is one sample interval (10 s)")
        let headline = await live.status().headline
        #expect(headline?.hasPrefix("00:30 fault: downstream failure of order-worker") == true, "\(String(describing: headline))")

        await live.setPaused(false)
        await live.setSpeed(600)
        await live.tick(wall: .milliseconds(200))
        #expect(await live.status().elapsed == .minutes(3) + .seconds(25))

        // Whatever the tick boundaries, the run is the headless run.
        let report = try await live.finish()
        status = await live.status()
        #expect(status.isFinished)
        #expect(status.elapsed == .minutes(6))
        #expect(status.headline == "finished: PASSED, 3 expectations held")
        let headless = try await DrillRunner.run(live.session.loaded, trace: .memory)
        #expect(report == headless.report)
        #expect(await live.session.traceBytes == headless.trace, "ticking live writes the same trace as a headless run")
        #expect(await live.tick(wall: .seconds(1)) == false, "nothing left to drive")
    }

    @Test("running on wall time at high speed reaches minutes of drill time, and stops when asked")
    func wallClockLoop() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let (live, directory) = try await open(fixture, speed: 600)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        await live.start(tick: .milliseconds(20))
        let reached = await eventually(timeout: 60) { await live.status().elapsed >= .minutes(2) }
        #expect(reached, "at 600x, two drill minutes take 0.2 s of wall time plus the engine's own time")
        await live.setPaused(true)
        let held = await live.status().elapsed
        // Paused: every tick of the running loop leaves drill time where it is.
        for _ in 0..<5 { await live.tick(wall: .seconds(1)) }
        #expect(await live.status().elapsed == held)
        await live.step()
        #expect(await live.status().elapsed == held + .seconds(10))
        await live.stop()
        await live.setPaused(false)
        let stopped = await live.status().elapsed
        #expect(!(await live.status().isFinished))
        _ = try await live.finish()
        #expect(stopped < .minutes(6))
    }

    @Test("an operator action taken in the console goes into the trace, and a replay repeats it through the engine")
    func consoleActionRecorded() async throws {
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        let loaded = try DrillParser.load(path: fixture.write("quiet.yaml", DrillFixture.smallOutage(redrive: false, expect: "  - lost: 0")))
        let directory = try DrillRunner.makeScratchFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tracePath = fixture.dir + "/live.trace"
        let session = try await DrillSession(loaded: loaded, directory: directory, trace: .file(tracePath))
        let live = LiveDrill(session: session, speed: 60)
        await live.tick(wall: .milliseconds(250))
        for _ in 0..<11 { await live.tick(wall: .milliseconds(250)) }
        #expect(await live.status().elapsed == .minutes(3))
        await live.record("redrive", details: ["dlq": "orders-dlq", "runbook": "fast-timeout", "ack": "seen in the console", "job": "job-1"])
        #expect(await live.status().headline?.hasSuffix("operator (console): redrive orders-dlq with fast-timeout") == true)
        let report = try await live.finish()
        #expect(report.redrives.isEmpty, "the console ran that redrive itself; the engine only recorded it")

        let records = try TraceReader.read(path: tracePath)
        let line = try #require(records.first { $0.type == "operator" })
        #expect(line.t == 180_000)
        #expect(line.string("source") == "console")
        #expect(line.string("job") == "job-1")
        let steps = TraceReader.liveSteps(in: records)
        #expect(steps.count == 1)
        #expect(steps.first?.at == .minutes(3))
        #expect(steps.first?.action.runbookId == "fast-timeout")

        // The replay redrives through the engine at 3m, so its DLQ ends empty.
        let replay = try await DrillRunner.replay(path: tracePath)
        #expect(replay.report.redrives.map(\.state) == ["completed"])
        #expect(replay.report.dlqContents["orders-dlq"]?.isEmpty == true)
        #expect(report.dlqContents["orders-dlq"]?.isEmpty == false)
        #expect(!replay.endStateMatches, "a console redrive is repeated by the engine, not replayed byte for byte")
    }
}
