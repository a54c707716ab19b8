import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// The per-minute activity the store keeps, rebuilt into snapshots an alarm monitor can ingest.
@Suite struct ActivityHistoryTests {
    @Test func historyRebuildsDepthAndCountersAtTheEndOfEveryMinute() throws {
        let t = try TemporaryStore()
        let start = t.clock.now()
        try t.store.createQueue(QueueSpec(name: "work", visibilityTimeout: .seconds(30)))
        // Minute 0: 5 sent. Minute 1: 3 received and deleted. Minute 2: nothing. Minute 3: 2 sent.
        for i in 0..<5 { try t.store.send(to: "work", body: Array("m\(i)".utf8)) }
        t.clock.advance(by: .minutes(1))
        let got = try t.store.receive(from: "work", max: 3, visibility: nil)
        _ = try t.store.delete(from: "work", receipts: got.compactMap(\.receiptHandle))
        t.clock.advance(by: .minutes(2))
        for i in 0..<2 { try t.store.send(to: "work", body: Array("n\(i)".utf8)) }
        t.clock.advance(by: .minutes(1))

        let history = try t.store.activityHistory(since: start)
        let work = history.compactMap { $0.first { $0.queue == "work" } }
        #expect(work.map(\.depth) == [5, 2, 2, 4])
        #expect(work.map { $0.counters?.sent } == [5, 5, 5, 7])
        #expect(work.map { $0.counters?.deleted } == [0, 3, 3, 3])
        #expect(work.map { $0.counters?.received } == [0, 3, 3, 3])
        // Ends of whole minutes, oldest first, never the minute still running.
        #expect(zip(work, work.dropFirst()).allSatisfy { $1.at - $0.at == .minutes(1) })
        #expect(work.last!.at < t.clock.now())
    }

    @Test func aMonitorPrimedFromHistoryFiresAtOnce() async throws {
        let t = try TemporaryStore()
        try t.store.createQueue(QueueSpec(name: "orders-dlq"))
        try t.store.createQueue(QueueSpec(name: "orders", visibilityTimeout: .seconds(1),
                                          redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)))
        // Ten minutes of a worker failing every minute, and a DLQ that is never empty.
        try t.store.send(to: "orders-dlq", body: Array("dead".utf8))
        for _ in 0..<10 {
            try t.store.send(to: "orders", body: Array("x".utf8))
            let got = try t.store.receive(from: "orders", max: 1, visibility: nil)
            try t.store.fail(in: "orders", receipt: got[0].receiptHandle!, errorType: "Timeout", errorMessage: nil)
            t.clock.advance(by: .minutes(1))
        }
        let backend = LocalBackend(store: t.store)
        let monitor = Monitor(definitions: AlarmDefinition.defaults(for: try t.store.listQueues()))
        await backend.prime(monitor)
        #expect(monitor.status(of: "orders-worker-errors")?.state == .alarm)
        #expect(monitor.status(of: "orders-dlq-not-empty")?.state == .alarm)
        // Without history the same monitor knows nothing yet.
        let fresh = Monitor(definitions: monitor.definitions)
        fresh.ingest(try t.store.stats(for: nil), at: t.clock.now())
        #expect(fresh.status(of: "orders-worker-errors")?.state != .alarm)
    }

    @Test func aDeletedQueueTakesItsHistoryWithIt() throws {
        let t = try TemporaryStore()
        try t.store.createQueue(QueueSpec(name: "gone"))
        try t.store.send(to: "gone", body: Array("x".utf8))
        t.clock.advance(by: .minutes(2))
        try t.store.deleteQueue(named: "gone")
        #expect(try t.store.activityHistory(since: t.clock.now() - .hours(1)).allSatisfy { $0.isEmpty })
    }
}
