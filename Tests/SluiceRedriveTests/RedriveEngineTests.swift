import SluiceCore
import SluiceRedrive
import SluiceStore
import SluiceTesting
import Testing

@Suite struct RedriveEngineTests {
    @Test func thePlanCountsEveryTypeAndStrategyAndMovesOnlyWhatItFroze() async throws {
        let f = try RedriveFixture()
        let plan = try await f.plan(RedriveFixture.runbook())
        #expect(plan.destination == "orders")
        #expect(plan.moveCount == 42)
        #expect(plan.skipCount == 8, "ValidationError has no strategy: skipped, not moved")
        #expect(plan.counts.contains(StrategyCount(errorType: "ValidationError", strategy: .skip, count: 8)))
        #expect(plan.ageHistogram.reduce(0) { $0 + $1.count } == 42)
        // Late arrivals of a matching type after the plan are never swept in.
        for i in 0..<5 { try f.store.send(to: "orders-dlq", body: Array("late \(i)".utf8), attributes: ["errorType": .string("Timeout")]) }
        let progress = try await f.runner().run(job: plan.jobId)
        #expect(progress.state == .completed)
        #expect(progress.moved == 42)
        let left = try f.ids(in: "orders-dlq")
        #expect(left.count == 13)
        #expect(left.filter { $0.errorType == "Timeout" }.count == 5)
        #expect(try f.store.stats(for: ["orders"])[0].visible == 42)
    }

    @Test func movedMessagesCarryLineageAndAResetReceiveCount() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 3])
        let before = try f.ids(in: "orders-dlq")
        let plan = try await f.plan(RedriveFixture.runbook())
        try await f.runner().run(job: plan.jobId)
        let moved = try f.ids(in: "orders")
        #expect(moved.count == 3)
        for (old, new) in zip(before, moved) {
            let lineage = try #require(new.lineage)
            #expect(lineage.originalMessageId == old.id)
            #expect(lineage.originalSentAt == old.sentAt)
            #expect(lineage.jobId == plan.jobId)
            #expect(lineage.redriveCount == 1)
            #expect(new.id != old.id, "a redrive enqueues anew")
            #expect(new.receiveCount == 0)
            #expect(new.body == old.body)
            #expect(new.attributes["errorType"] == old.attributes["errorType"])
            #expect(new.sentAt == f.clock.now() || new.sentAt > old.sentAt)
        }
        // Fail them back into the DLQ and redrive again: the original id and time survive.
        for _ in 0..<3 {
            for m in try f.store.receive(from: "orders", max: 10) { try f.store.fail(in: "orders", receipt: m.receiptHandle!, errorType: "Timeout", errorMessage: nil) }
        }
        #expect(try f.store.receive(from: "orders", max: 10).isEmpty)
        let second = try await f.plan(RedriveFixture.runbook())
        try await f.runner().run(job: second.jobId)
        let again = try f.ids(in: "orders")
        #expect(Set(again.compactMap { $0.lineage?.originalMessageId }) == Set(before.map(\.id)))
        #expect(again.allSatisfy { $0.lineage?.redriveCount == 2 && $0.lineage?.jobId == second.jobId })
    }

    @Test func strategiesRequeueRetryLaterDiscardAndSkip() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 4, "Throttled": 3, "ValidationError": 2, "Mystery": 1])
        let runbook = RedriveFixture.runbook(strategies: ["Timeout": .requeue, "Throttled": .retryLater, "ValidationError": .discard])
        let plan = try await f.plan(runbook)
        #expect((plan.moveCount, plan.discardCount, plan.skipCount) == (7, 2, 1))
        let progress = try await f.runner().run(job: plan.jobId)
        #expect((progress.moved, progress.discarded) == (7, 2))
        let s = try f.store.stats(for: ["orders"])[0]
        #expect(s.visible == 4)
        #expect(s.delayed == 3, "retry-later messages wait for the runbook's retry delay")
        #expect(try f.ids(in: "orders-dlq").map { $0.errorType } == ["Mystery"])
        let discards = try f.store.journal().filter { $0.action == "redrive.batch" }.compactMap { $0.details["discarded"] }
        #expect(discards.joined(separator: " ").split(separator: " ").count == 2)
    }

    @Test func theRunbookNarrowsTheOperatorsFilterAndNeverWidensIt() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 10, "Throttled": 10])
        let runbook = RedriveFixture.runbook(filter: MessageFilter(errorTypes: ["Timeout", "Throttled"]))
        let plan = try await f.plan(runbook, filter: MessageFilter(errorTypes: ["Timeout", "ValidationError"]))
        #expect(plan.effectiveFilter.errorTypes == ["Timeout"])
        #expect(plan.items.allSatisfy { $0.errorType == "Timeout" })
        #expect(plan.moveCount == 10)
        let capped = try await f.plan(runbook, maxMessages: 4)
        #expect(capped.moveCount == 4)
        #expect(capped.overLimit == 16)
    }

    @Test func batchesNeverExceedOneHundredWhateverTheRunbookSays() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 250])
        let runbook = RedriveFixture.runbook(batch: RunbookBatch(size: 500, jitter: .zero...TimeSpan.zero, maxRate: 10_000))
        let plan = try await f.plan(runbook)
        #expect(plan.limits.batchSize == 100)
        let log = EventLog()
        try await f.runner().run(job: plan.jobId, onEvent: log.append)
        #expect(log.batches.map(\.size) == [100, 100, 50])
    }

    @Test func jitterStaysInBoundsAndTheRateHoldsOverALongRun() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 2000])
        let runbook = RedriveFixture.runbook(batch: RunbookBatch(size: 10, jitter: .milliseconds(50)...TimeSpan.milliseconds(300), maxRate: 25))
        let plan = try await f.plan(runbook)
        let log = EventLog()
        try await f.runner().run(job: plan.jobId, onEvent: log.append)
        let starts = log.batches.map(\.startedAt)
        let ends = log.batches.map(\.endedAt)
        #expect(starts.count == 200)
        for i in 1..<starts.count {
            let pause = starts[i] - ends[i - 1]
            #expect(pause >= .milliseconds(50), "the pause is at least the jitter's lower bound")
            #expect(starts[i] - starts[i - 1] >= .milliseconds(400), "never faster than 25/s for batches of 10")
        }
        let seconds = (ends.last! - starts.first!).seconds
        let rate = Double(2000 - 10) / seconds
        #expect(abs(rate - 25) / 25 <= 0.05, "achieved \(rate)/s against 25/s")
        let jitters = log.all.compactMap { if case .waiting(_, let j) = $0 { j } else { nil } }
        #expect(jitters.allSatisfy { $0 <= .milliseconds(400) })
    }

    @Test func everyMovedIdAppearsInTheJournalExactlyOnce() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 57])
        let plan = try await f.plan(RedriveFixture.runbook())
        try await f.runner().run(job: plan.jobId)
        let moved = try f.store.journal().filter { $0.action == "redrive.batch" && $0.subject == plan.jobId }
            .flatMap { ($0.details["moved"] ?? "").split(separator: " ").map { String($0.split(separator: ">")[0]) } }
        #expect(moved.count == 57)
        #expect(Set(moved) == Set(plan.items.map(\.messageId)))
        let actions = try f.store.journal().filter { $0.subject == plan.jobId }.map(\.action)
        #expect(actions.first == "redrive.plan")
        #expect(actions.last == "redrive.completed")
        #expect(try f.store.journal().first { $0.action == "redrive.plan" }?.details["root_cause"] == "payment API restored")
    }

    @Test func aStoppedJobResumesWhereItStoppedWithNothingMovedTwice() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 95])
        let plan = try await f.plan(RedriveFixture.runbook())
        let control = RedriveControl()
        let log = EventLog()
        let first = try await f.runner().run(job: plan.jobId, control: control) { event in
            log.append(event)
            if log.batches.count == 4 { control.stop(reason: "SIGHUP") }
        }
        #expect(first.state == .interrupted)
        #expect(first.moved == 40)
        #expect(try f.store.redriveJob(plan.jobId).progress.reason == "SIGHUP")
        let second = try await f.runner().run(job: plan.jobId)
        #expect(second.state == .completed)
        #expect(second.moved == 95)
        #expect(try f.ids(in: "orders").count == 95)
        #expect(try f.ids(in: "orders-dlq").isEmpty)
        await #expect(throws: SluiceError.self) { try await f.runner().run(job: plan.jobId) }
    }

    @Test func abortEndsTheJobForGood() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 50])
        let plan = try await f.plan(RedriveFixture.runbook())
        let control = RedriveControl()
        let result = try await f.runner().run(job: plan.jobId, control: control) { event in
            if case .batch(let p, _) = event, p.batches == 2 { control.abort(reason: "operator pressed a") }
        }
        #expect(result.state == .aborted)
        #expect(result.moved == 20)
        await #expect(throws: SluiceError.self) { try await f.runner().run(job: plan.jobId) }
    }

    @Test func operatorPauseHoldsBatchesUntilResume() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 30])
        let plan = try await f.plan(RedriveFixture.runbook())
        let control = RedriveControl()
        let log = EventLog()
        let result = try await f.runner().run(job: plan.jobId, control: control) { event in
            log.append(event)
            if case .batch(let p, _) = event, p.batches == 1 { control.pause() }
            if case .paused(let p) = event {
                #expect(p.moved == 10)
                control.resume()
            }
        }
        #expect(result.state == .completed)
        #expect(log.all.contains { if case .resumed = $0 { true } else { false } })
    }

    @Test func twoRedrivesOfOneDLQNeverRunAtOnceNorMoveAMessageTwice() async throws {
        let f = try RedriveFixture(counts: ["Timeout": 40])
        let a = try await f.plan(RedriveFixture.runbook())
        let b = try await f.plan(RedriveFixture.runbook())
        #expect(Set(a.items.map(\.messageId)) == Set(b.items.map(\.messageId)))
        let controlA = RedriveControl()
        let outcome = try await f.runner().run(job: a.jobId, control: controlA) { event in
            guard case .batch(let p, _) = event, p.batches == 1 else { return }
            // While A runs, B is refused.
            let blocked = Mutex(false)
            let sem = DispatchSemaphoreBox()
            Task {
                do { try await f.runner().run(job: b.jobId) } catch let e as SluiceError where e.kind == .conflict { blocked.withLock { $0 = true } } catch {}
                sem.signal()
            }
            sem.wait()
            #expect(blocked.withLock { $0 }, "the second redrive of orders-dlq must be refused while the first runs")
        }
        #expect(outcome.moved == 40)
        // B runs afterwards: every item is gone, nothing moves twice.
        let late = try await f.runner().run(job: b.jobId)
        #expect(late.moved == 0)
        #expect(late.gone == 40)
        #expect(try f.ids(in: "orders").count == 40)
    }
}

import Foundation
import Synchronization

/// A semaphore usable from a synchronous callback (the runner's event handler).
final class DispatchSemaphoreBox: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func signal() { semaphore.signal() }
    func wait() { semaphore.wait() }
}
