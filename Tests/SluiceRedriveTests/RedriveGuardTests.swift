import SluiceCore
import SluiceRedrive
import SluiceStore
import SluiceTesting
import Synchronization
import Testing

/// An observer whose numbers the test scripts per batch.
final class ScriptedObserver: GuardObserver {
    let script: @Sendable (Int) -> GuardObservations
    private let calls = Mutex(0)
    init(_ script: @escaping @Sendable (Int) -> GuardObservations) { self.script = script }
    func observe(guards: [RunbookGuard], dlq: String, returnedRatio: Double?) async -> GuardObservations {
        let n = calls.withLock { $0 += 1; return $0 }
        var obs = script(n)
        if obs.returnedRatio == nil { obs.returnedRatio = returnedRatio }
        return obs
    }
}

@Suite struct RedriveGuardTests {
    @Test func pauseIfSourceDepthHoldsBatchesUntilItClears() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 60])
        let guardDepth = RunbookGuard(action: .pause, condition: .depth(queue: "orders", .greater, 1000))
        let plan = try await f.plan(RedriveFixture.runbook(guards: [guardDepth]))
        // The source is busy on the 3rd, 4th and 5th checks, then drains.
        let observer = ScriptedObserver { n in GuardObservations(depth: ["orders": (3...5).contains(n) ? 1500 : 10]) }
        let log = EventLog()
        let result = try await f.runner(observer: observer).run(job: plan.jobId, onEvent: log.append)
        #expect(result.state == .completed)
        #expect(result.moved == 60)
        let paused = log.all.compactMap { if case .paused(let p) = $0 { p } else { nil } }
        #expect(paused.count == 1)
        #expect(paused.first?.moved == 20, "two batches ran before the guard paused")
        #expect(paused.first?.reason?.contains("depth(orders) = 1500 > 1000") == true)
        #expect(try f.store.journal().contains { $0.action == "redrive.paused" && $0.subject == plan.jobId })
    }

    @Test func abortIfAlarmStopsAtTheBatchWhereItFires() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 60])
        let alarm = RunbookGuard(action: .abort, condition: .alarm(name: "orders-worker-errors", .equal, .alarm))
        let plan = try await f.plan(RedriveFixture.runbook(guards: [alarm]))
        let observer = ScriptedObserver { n in GuardObservations(alarms: ["orders-worker-errors": n >= 4 ? .alarm : .ok]) }
        let result = try await f.runner(observer: observer).run(job: plan.jobId)
        #expect(result.state == .aborted)
        #expect(result.moved == 30)
        #expect(result.reason?.contains("alarm(orders-worker-errors) is ALARM") == true)
        #expect(try f.ids(in: "orders-dlq").count == 30, "the rest stays in the DLQ")
    }

    @Test func abortIfRedrivenMessagesBounceBack() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 50])
        let bounce = RunbookGuard(action: .abort, condition: .returnedRatio(.greater, 0.2))
        let plan = try await f.plan(RedriveFixture.runbook(guards: [bounce]))
        let store = f.store
        let clock = f.clock
        let observer = BackendGuardObserver(backend: f.backend)
        // A broken worker: everything redriven fails again and lands back in the DLQ.
        let result = try await f.runner(observer: observer).run(job: plan.jobId) { event in
            guard case .batch = event else { return }
            for _ in 0..<4 {
                for m in (try? store.receive(from: "orders", max: 10)) ?? [] {
                    try? store.fail(in: "orders", receipt: m.receiptHandle!, errorType: "Timeout", errorMessage: "still broken")
                }
            }
            _ = try? store.receive(from: "orders", max: 10)
            clock.advance(by: .seconds(1))
        }
        #expect(result.state == .aborted)
        #expect(result.reason?.contains("returned_ratio") == true)
        #expect(result.moved < 50)
        #expect(result.returned > 0)
    }

    @Test func anUnknownObservationNeverTripsAGuard() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 20])
        let alarm = RunbookGuard(action: .abort, condition: .alarm(name: "no-such-alarm", .equal, .alarm))
        let plan = try await f.plan(RedriveFixture.runbook(guards: [alarm]))
        let log = EventLog()
        let result = try await f.runner(observer: BackendGuardObserver(backend: f.backend)).run(job: plan.jobId, onEvent: log.append)
        #expect(result.state == .completed)
        let reports = log.all.compactMap { if case .guardReport(let r) = $0 { r } else { nil } }
        #expect(reports.allSatisfy { $0.unknown.count == 1 })
    }
}
