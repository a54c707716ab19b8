import Foundation
import SluiceConsole
import SluiceCore
import SluiceRedrive
import SluiceStore
import SluiceTesting
import Synchronization
import Testing

/// Redrives started, steered and stopped from the console loop, against a real embedded store.
@Suite("runtime: redrive from the console", .serialized)
struct RedriveRuntimeTests {
    static let runbook = """
    ---
    id: timeouts
    title: Requeue timeouts
    dlq: orders-dlq
    batch:
      size: 5
      jitter: 100ms..200ms
      max_rate: 100/s
    strategy:
      Timeout: requeue
    require:
      root_cause_ack: true
    ---
    # Requeue timeouts
    The downstream service is back.
    """

    /// A runbook folder with one runbook for orders-dlq and one broken file.
    static func runbookFolder(in temp: TemporaryStore) throws -> String {
        let folder = temp.directory + "/runbooks"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try runbook.write(toFile: folder + "/timeouts.md", atomically: true, encoding: .utf8)
        try "---\nid: broken\ndlq: orders-dlq\nstrategy:\n  Timeout: requeu\n---\n".write(toFile: folder + "/broken.md", atomically: true, encoding: .utf8)
        return folder
    }

    @Test("R, runbook, plan, ack, count: exactly the filtered messages move, and the journal has it")
    func redriveFromConsole() async throws {
        let temp = try RuntimeTests.makeStore(dlqMessages: 30)
        let services = RedriveServices.local(temp.store, runbookDirectory: try Self.runbookFolder(in: temp))
        let terminal = InMemoryTerminal(size: Size(width: 120, height: 40))
        let (app, run) = RuntimeTests.startApp(temp, terminal: terminal, redrive: services)
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("orders-dlq") })
        terminal.send([.char("j"), .enter])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("30 messages") })
        terminal.send([.char("/")] + Key.typing("Timeout") + [.enter])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("10 of 30 match") })
        terminal.send([.char("R")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("› timeouts") && $0.contains("broken.md:5:12") })
        terminal.send([.enter])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("move 10 · discard 0") })
        terminal.send([.enter] + Key.typing("worker timeout raised\n10\n"))
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("COMPLETED") && $0.contains("moved 10") })
        let stats = try temp.store.stats(for: ["orders", "orders-dlq"])
        #expect(stats.first { $0.queue == "orders" }?.visible == 10)
        #expect(stats.first { $0.queue == "orders-dlq" }?.visible == 20)
        let job = try #require(try temp.store.redriveJobs().first)
        #expect(job.progress.state == .completed)
        #expect(try temp.store.journal().contains { $0.details.values.contains("worker timeout raised") })
        terminal.send([.char("q")])
        #expect(await run.value == .quit)
        #expect(await app.stoppedJobs.isEmpty)
    }

    @Test("quitting mid-redrive stops it between batches, resumable, like SIGHUP on the command line")
    func quitStopsResumably() async throws {
        let temp = try RuntimeTests.makeStore(dlqMessages: 60)
        let gate = GatedTarget(base: LocalRedriveTarget(store: temp.store))
        let services = RedriveServices(store: temp.store, target: gate, runbookDirectory: try Self.runbookFolder(in: temp))
        let terminal = InMemoryTerminal(size: Size(width: 120, height: 40))
        let (app, run) = RuntimeTests.startApp(temp, terminal: terminal, redrive: services)
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("orders-dlq") })
        terminal.send([.char("j"), .enter, .char("R")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("› timeouts") })
        terminal.send([.enter])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("move 20 · discard 0") })
        terminal.send([.enter] + Key.typing("worker timeout raised\n20\n"))
        // The first batch ran; the second waits at the gate.
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("RUNNING") && $0.contains("moved 5") })
        #expect(await gate.waitForBlockedBatch(timeout: RuntimeTests.patience))
        terminal.send([.char("D"), .char("q")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("Quit anyway?") })
        terminal.send([.char("y")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("stopping 1 redrive job") })
        gate.open()
        #expect(await run.value == .quit)
        let job = try #require(try temp.store.redriveJobs().first)
        #expect(await app.stoppedJobs == [job.progress.jobId])
        #expect(job.progress.state == .interrupted)
        #expect(job.progress.reason == "stopped: the console quit")
        #expect(job.progress.moved == 10)
        #expect(job.progress.state.isResumable)
    }

    @Test("p pauses the job and a then y aborts it for good")
    func pauseAndAbort() async throws {
        let temp = try RuntimeTests.makeStore(dlqMessages: 60)
        let gate = GatedTarget(base: LocalRedriveTarget(store: temp.store))
        let services = RedriveServices(store: temp.store, target: gate, runbookDirectory: try Self.runbookFolder(in: temp))
        let terminal = InMemoryTerminal(size: Size(width: 120, height: 40))
        let (_, run) = RuntimeTests.startApp(temp, terminal: terminal, redrive: services)
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("orders-dlq") })
        terminal.send([.char("j"), .enter, .char("R")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("› timeouts") })
        terminal.send([.enter])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("move 20 · discard 0") })
        terminal.send([.enter] + Key.typing("worker timeout raised\n20\n"))
        #expect(await gate.waitForBlockedBatch(timeout: RuntimeTests.patience))
        terminal.send([.char("p")])
        // The pause request is made before the screen says so; only then may the batch finish.
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("pausing rd-") })
        gate.open()
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("PAUSED") && $0.contains("paused by the operator") })
        terminal.send([.char("a")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("Abort redrive") })
        terminal.send([.char("y")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("ABORTED") })
        let job = try #require(try temp.store.redriveJobs().first)
        #expect(job.progress.state == .aborted)
        #expect(job.progress.moved == 10)
        terminal.send([.char("q")])
        #expect(await run.value == .quit)
    }

    @Test("the simulation's status reaches the header, its keys reach the simulation, a redrive is recorded")
    func simulation() async throws {
        let temp = try RuntimeTests.makeStore(dlqMessages: 10)
        let fake = FakeSimulation()
        let services = RedriveServices.local(temp.store, runbookDirectory: try Self.runbookFolder(in: temp))
        let terminal = InMemoryTerminal(size: Size(width: 160, height: 40))
        let (_, run) = RuntimeTests.startApp(temp, terminal: terminal, redrive: services, simulation: fake)
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("drill outage live 0s/1h 1x") }, "\(terminal.text)")
        terminal.send([.char("P")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("1x PAUSED") })
        terminal.send([.char("."), .char(">"), .char(">")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("drill outage live 10s/1h 60x PAUSED") })
        #expect(fake.calls == ["pause", "step", "speed 10", "speed 60"])
        terminal.send([.char("j"), .enter, .char("R")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("› timeouts") })
        terminal.send([.enter])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("move 4 · discard 0") })
        terminal.send([.enter] + Key.typing("worker timeout raised\n4\n"))
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("COMPLETED") })
        let action = try #require(fake.actions.first)
        #expect(action.0 == "redrive")
        #expect(action.1["dlq"] == "orders-dlq" && action.1["move"] == "4" && action.1["ack"] == "worker timeout raised")
        terminal.send([.char("q")])
        #expect(await run.value == .quit)
    }

    @Test("without a runbook folder the dialog says how to get one")
    func noFolder() async throws {
        let temp = try RuntimeTests.makeStore(dlqMessages: 3)
        let terminal = InMemoryTerminal(size: Size(width: 120, height: 40))
        let (_, run) = RuntimeTests.startApp(temp, terminal: terminal, redrive: .local(temp.store, runbookDirectory: nil))
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("orders-dlq") })
        terminal.send([.char("j"), .enter, .char("R")])
        #expect(await terminal.waitUntil(timeout: RuntimeTests.patience) { $0.contains("start the console with --runbooks DIR") })
        terminal.send([.char("q")])
        #expect(await run.value == .quit)
    }
}

/// A target whose second and later batches wait until the test opens the gate, so a test can
/// act while a job is mid-run.
final class GatedTarget: RedriveTarget {
    let base: any RedriveTarget
    private let state = Mutex((batches: 0, blocked: false, open: false))

    init(base: any RedriveTarget) { self.base = base }

    func open() { state.withLock { $0.open = true } }

    /// Waits until a batch is held at the gate.
    func waitForBlockedBatch(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.blocked }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func candidates(dlq: String, filter: MessageFilter, limit: Int) async throws -> [PlanCandidate] {
        try await base.candidates(dlq: dlq, filter: filter, limit: limit)
    }

    func runBatch(job: String, fromIndex: Int, count: Int) async throws -> BatchOutcome {
        let first = state.withLock { s -> Bool in
            s.batches += 1
            return s.batches == 1
        }
        if !first {
            state.withLock { $0.blocked = true }
            while !state.withLock({ $0.open }) { try await Task.sleep(for: .milliseconds(5)) }
        }
        return try await base.runBatch(job: job, fromIndex: fromIndex, count: count)
    }

    func returned(job: String, dlq: String) async throws -> Int? { try await base.returned(job: job, dlq: dlq) }
    func finish(job: String) async { await base.finish(job: job) }
}

/// A simulation that records what the console asks of it.
final class FakeSimulation: SimulationControl {
    private let state = Mutex((status: SimulationStatus(name: "outage", mode: "live", elapsed: .zero, duration: .hours(1), speed: 1,
                                                        isPaused: false, isFinished: false),
                               calls: [String](), actions: [(String, [String: String])]()))

    var calls: [String] { state.withLock { $0.calls } }
    var actions: [(String, [String: String])] { state.withLock { $0.actions } }

    func status() async -> SimulationStatus { state.withLock { $0.status } }
    func setPaused(_ paused: Bool) async {
        state.withLock { $0.status.isPaused = paused; $0.calls.append(paused ? "pause" : "resume") }
    }
    func step() async {
        state.withLock { $0.status.elapsed = $0.status.elapsed + .seconds(10); $0.calls.append("step") }
    }
    func setSpeed(_ speed: Int) async {
        state.withLock { $0.status.speed = speed; $0.calls.append("speed \(speed)") }
    }
    func recordOperatorAction(_ action: String, details: [String: String]) async {
        state.withLock { $0.actions.append((action, details)) }
    }
}
