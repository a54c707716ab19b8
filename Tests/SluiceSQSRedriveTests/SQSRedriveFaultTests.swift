import Foundation
import SluiceCore
import SluiceRedrive
import SluiceSQS
import SluiceStore
import SluiceTesting
import Testing

/// A filtered redrive with `FaultProxy` between Sluice and moto: every kind of fault on every
/// operation the redrive uses, and still nothing lost (checked with boto3 on moto directly).
@Suite("SQS redrive through the fault proxy", .enabled(if: sqsToolsAvailable, "\(sqsToolsMissing)"), .timeLimit(.minutes(3)))
struct SQSRedriveFaultTests {
    static let faults: [FaultProxy.Fault] = [.serverError, .throttling, .requestThrottled, .slow(.seconds(3)), .drop, .dropAfterForward]

    /// Quick retries. The attempt timeout is shorter than the slow fault only for that fault, so
    /// a slow request is retried while the server still executes the first one; otherwise it is
    /// generous, so a busy machine does not add timeouts of its own.
    static func policy(for fault: FaultProxy.Fault) -> RetryPolicy {
        let timeout: TimeSpan = if case .slow = fault { .milliseconds(1500) } else { .seconds(10) }
        return RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(20), maxDelay: .milliseconds(300), deadline: .seconds(90), attemptTimeout: timeout)
    }

    /// Short, so messages hidden by a receive whose answer was lost come back within the test;
    /// long enough that a scan on a busy machine (several seconds per receive through the proxy)
    /// does not see its own first messages come back before it renews them.
    static let lease = TimeSpan.seconds(8)

    /// Failed attempts of `operation` the server may still have executed: timeouts and closed
    /// connections, as opposed to an error answer (`HTTP 4xx/5xx`). Each such receive can hide a
    /// batch from the scan for one lease; each such send can duplicate a batch.
    static func ambiguousFailures(_ log: [String], _ operation: String) -> Int {
        log.filter { $0.hasPrefix("sqs: \(operation)") && !$0.contains("(HTTP ") }.count
    }

    static let runbook = Runbook(id: "fault-test", dlqPatterns: ["*-dlq"],
                                 batch: RunbookBatch(size: 10, jitter: TimeSpan.zero...TimeSpan.zero, maxRate: 0),
                                 strategies: ["Timeout": .requeue, "Poison": .requeue])

    @Test("a filtered redrive completes with nothing lost", arguments: faults)
    func redriveUnderFault(_ fault: FaultProxy.Fault) async throws {
        try await SQSWorld.with { w in
            try await w.createQueues()
            let seeded = try await w.seedDLQ([("Timeout", 24), ("Poison", 8), ("ValidationError", 8)])
            let proxy = try FaultProxy(upstreamPort: w.moto.port)
            defer { proxy.shutdown() }
            let log = LogLines()
            let backend = try SQSWorld.makeBackend(endpoint: proxy.endpoint, policy: Self.policy(for: fault), lease: Self.lease, log: log.sink)
            let store = try Store(path: w.store)
            let target = SQSRedriveTarget(store: store, backend: backend, lease: Self.lease)

            // The first request of all, then each operation of the scan, the release, the sends and the deletes.
            proxy.inject(fault, count: 1)
            proxy.inject(fault, count: 1, operations: ["ReceiveMessage"])
            proxy.inject(fault, count: 2, operations: ["ChangeMessageVisibilityBatch"])
            proxy.inject(fault, count: 2, operations: ["SendMessageBatch"])
            proxy.inject(fault, count: 2, operations: ["DeleteMessageBatch"])

            let (plan, progress) = try await SQSWorld.using(backend) {
                // The runbook would move Poison too; the operator's filter keeps Timeout only.
                let plan = try await RedrivePlanner(backend: backend, target: target).plan(dlq: w.dlq, runbook: Self.runbook, filter: MessageFilter(errorTypes: ["Timeout"]))
                try store.createRedriveJob(plan, ack: nil)
                try await target.frozen(plan: plan)
                return (plan, try await RedriveRunner(store: store, target: target, observer: nil, clock: SystemClock()).run(job: plan.jobId))
            }
            let stats = proxy.stats
            proxy.clearFaults()
            let lines = log.all
            let context = "\(fault): \(stats); client log: \(lines)"

            #expect(stats.faults[fault.description] == 8, "every planned fault was injected — \(context)")
            #expect(progress.state == .completed, "\(context)")
            #expect(progress.moved == plan.items.count && progress.failed == 0 && progress.gone == 0, "\(progress) — \(context)")
            let planned = Set(plan.items.map(\.messageId))
            // A receive that got no answer hides its messages for a lease (8 s): the scan waits
            // that out at its end and receives them, so the plan holds every Timeout message.
            #expect(planned.count == 24, "planned \(planned.count) of 24 — notes \(plan.notes) — \(context)")

            let (source, dlq) = try w.listWithBoto3(expectSource: planned.count, expectDLQ: seeded.count - planned.count, timeout: 30)
            let timeoutBodies = Set(seeded.filter { $0.errorType == "Timeout" }.map(\.body))
            let copies = Dictionary(grouping: source, by: { $0.originalId ?? "none" })
            #expect(Set(copies.keys) == planned, "every planned message reached the source, and nothing else did — \(context)")
            #expect(source.allSatisfy { timeoutBodies.contains($0.body) })
            let duplicates = source.count - copies.count
            #expect(duplicates <= 10 * Self.ambiguousFailures(lines, "SendMessageBatch"), "\(duplicates) duplicates — \(context)")
            #expect(Set(dlq.map(\.id)).isDisjoint(with: planned), "a moved message is still in the DLQ — \(context)")
            let everywhere = Set(source.map(\.body)).union(dlq.map(\.body))
            #expect(everywhere == Set(seeded.map(\.body)), "lost: \(Set(seeded.map(\.body)).subtracting(everywhere).sorted()) — \(context)")
            #expect(dlq.count == Set(dlq.map(\.body)).count, "the DLQ holds each remaining message once")
        }
    }

    @Test("random dropped answers (the server acted) over a whole redrive: nothing lost, duplicates bounded by the faulted sends")
    func randomDropsAfterForward() async throws {
        try await SQSWorld.with { w in
            try await w.createQueues()
            let seeded = try await w.seedDLQ([("Timeout", 40), ("Poison", 10)])
            let proxy = try FaultProxy(upstreamPort: w.moto.port)
            defer { proxy.shutdown() }
            let log = LogLines()
            let backend = try SQSWorld.makeBackend(endpoint: proxy.endpoint, policy: Self.policy(for: .dropAfterForward), lease: Self.lease, log: log.sink)
            let store = try Store(path: w.store)
            let target = SQSRedriveTarget(store: store, backend: backend, lease: Self.lease)
            let (plan, progress) = try await SQSWorld.using(backend) {
                // Plan on a clean line, so the selection is the whole of Timeout; then fault the moves.
                let plan = try await RedrivePlanner(backend: backend, target: target).plan(dlq: w.dlq, runbook: Self.runbook, filter: MessageFilter(errorTypes: ["Timeout"]))
                try store.createRedriveJob(plan, ack: nil)
                try await target.frozen(plan: plan)
                proxy.inject(.dropAfterForward, probability: 0.4, seed: 7, operations: ["SendMessageBatch", "DeleteMessageBatch"])
                return (plan, try await RedriveRunner(store: store, target: target, observer: nil, clock: SystemClock()).run(job: plan.jobId))
            }
            let faults = proxy.stats.totalFaults
            proxy.clearFaults()
            let lines = log.all

            #expect(faults > 0, "the seed must fault something")
            #expect(plan.items.count >= 40 - 10 * Self.ambiguousFailures(lines, "ReceiveMessage"), "planned \(plan.items.count): \(lines)")
            #expect(progress.state == .completed && progress.moved == plan.items.count, "\(progress)")
            let (source, dlq) = try w.listWithBoto3(expectSource: plan.items.count, expectDLQ: seeded.count - plan.items.count, timeout: 30)
            let copies = Dictionary(grouping: source, by: { $0.originalId ?? "none" })
            #expect(Set(copies.keys) == Set(plan.items.map(\.messageId)))
            #expect(source.count - copies.count <= 10 * Self.ambiguousFailures(lines, "SendMessageBatch"), "duplicates \(source.count - copies.count): \(lines)")
            #expect(Set(dlq.map(\.id)).isDisjoint(with: Set(plan.items.map(\.messageId))))
            let everywhere = Set(source.map(\.body)).union(dlq.map(\.body))
            #expect(everywhere == Set(seeded.map(\.body)), "lost \(Set(seeded.map(\.body)).subtracting(everywhere).count)")
        }
    }
}
