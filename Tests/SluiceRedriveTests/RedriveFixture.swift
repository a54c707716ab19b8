import SluiceCore
import SluiceRedrive
import SluiceStore
import SluiceTesting

/// `orders` → `orders-dlq` with messages of several error types, on virtual time.
struct RedriveFixture {
    let t: TemporaryStore
    var store: Store { t.store }
    var clock: ManualClock { t.clock }
    var backend: LocalBackend { LocalBackend(store: store) }
    var target: LocalRedriveTarget { LocalRedriveTarget(store: store) }

    init(counts: [String: Int] = ["Timeout": 30, "Throttled": 12, "ValidationError": 8]) throws {
        t = try TemporaryStore()
        try t.store.createQueue(QueueSpec(name: "orders-dlq", retention: .days(14)))
        try t.store.createQueue(QueueSpec(name: "orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)))
        for (type, n) in counts.sorted(by: { $0.key < $1.key }) {
            for i in 0..<n {
                try t.store.send(to: "orders-dlq", body: Array("{\"order\":\"\(type)-\(i)\"}".utf8), attributes: ["errorType": .string(type)])
                t.clock.advance(by: .seconds(7))
            }
        }
        t.clock.advance(by: .hours(1))
    }

    static func runbook(strategies: [String: RedriveStrategy] = ["Timeout": .requeue, "Throttled": .requeue],
                        filter: MessageFilter = .all, batch: RunbookBatch = RunbookBatch(size: 10, jitter: .milliseconds(200)...TimeSpan.seconds(2), maxRate: 20),
                        guards: [RunbookGuard] = [], ack: Bool = false) -> Runbook {
        Runbook(id: "test-runbook", dlqPatterns: ["*-dlq"], filter: filter, batch: batch, strategies: strategies, guards: guards, requireRootCauseAck: ack)
    }

    func plan(_ runbook: Runbook, filter: MessageFilter = .all, maxMessages: Int? = nil) async throws -> RedrivePlan {
        let plan = try await RedrivePlanner(backend: backend, target: target).plan(dlq: "orders-dlq", runbook: runbook, filter: filter, maxMessages: maxMessages)
        try store.createRedriveJob(plan, ack: "payment API restored", actor: "tester")
        return plan
    }

    func runner(observer: (any GuardObserver)? = nil) -> RedriveRunner {
        var r = RedriveRunner(store: store, target: target, observer: observer, clock: clock)
        r.actor = "tester"
        return r
    }

    func ids(in queue: String, filter: MessageFilter = .all) throws -> [QueueMessage] {
        try store.allMessages(of: queue, filter: filter)
    }
}

/// Collects events from the runner (which calls back on its own task).
final class EventLog: Sendable {
    private let events = Mutex<[RedriveEvent]>([])
    func append(_ e: RedriveEvent) { events.withLock { $0.append(e) } }
    var all: [RedriveEvent] { events.withLock { $0 } }
    var batches: [BatchOutcome] { all.compactMap { if case .batch(_, let o) = $0 { o } else { nil } } }
}

import Synchronization
