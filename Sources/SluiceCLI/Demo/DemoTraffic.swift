import SluiceCore
import SluiceStore

/// The demo's live traffic: producers sending orders, payments and notifications, and workers
/// receiving them, acknowledging most and failing some, so the DLQs keep filling the way they
/// do in an incident (a slow warehouse, a throttled partner, poison payloads, and a payment
/// provider outage for three minutes of every twelve).
///
/// Every loop wakes ten times a second of real time and does the work that `speed` times as
/// much demo time calls for, so `--speed 60x` costs no more wake-ups than `1x`.
struct DemoTraffic: Sendable {
    let store: Store
    let clock: DemoClock
    let seed: UInt64

    /// Demo messages per second each producer sends.
    static let rates: [(queue: String, perSecond: Double)] = [("orders", 6), ("payments", 4), ("notifications", 3)]
    /// Messages per demo second each worker can process.
    static let workerCapacity = 40.0

    /// The demo's queues: two workers with DLQs and one without.
    static func createTopology(in store: Store) throws {
        try store.createQueue(QueueSpec(name: "orders-dlq"))
        try store.createQueue(QueueSpec(name: "payments-dlq"))
        try store.createQueue(QueueSpec(name: "orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)))
        try store.createQueue(QueueSpec(name: "payments", redrivePolicy: RedrivePolicy(deadLetterQueue: "payments-dlq", maxReceiveCount: 3)))
        try store.createQueue(QueueSpec(name: "notifications"))
    }

    /// Whether the payment provider is down at `time` (minutes 4 to 7 of every 12).
    static func isOutage(_ time: Timestamp) -> Bool {
        let minute = (time.millis / 60_000) % 12
        return (4..<7).contains(minute)
    }

    /// Runs every producer and worker until the task is cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for (index, (queue, rate)) in DemoTraffic.rates.enumerated() {
                group.addTask { await produce(queue: queue, perSecond: rate, seed: seed &+ UInt64(index)) }
                group.addTask { await work(queue: queue, seed: seed &+ 100 &+ UInt64(index)) }
            }
        }
    }

    private func produce(queue: String, perSecond: Double, seed: UInt64) async {
        var rng = SplitMix64(seed: seed)
        var last = clock.now()
        var owed = 0.0
        var sent = 0
        var nextBurst = last + .minutes(2)
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 100_000_000)
            let now = clock.now()
            owed += perSecond * (now - last).seconds * (0.6 + Double(rng.next() % 800) / 1000)
            last = now
            if queue == "orders" && now >= nextBurst {
                // A flash sale: a burst the workers take a while to drain.
                owed += 40
                nextBurst = now + .minutes(2)
            }
            var count = min(500, Int(owed))
            owed -= Double(count)
            while count > 0 {
                let n = min(QueueLimits.maxBatchEntries, count)
                let entries = (0..<n).map { i -> SendEntry in
                    var entry: SendEntry
                    switch queue {
                    case "orders": entry = DemoBodies.order(sent + i, &rng)
                    case "payments": entry = DemoBodies.payment(sent + i, &rng)
                    default: entry = DemoBodies.notification(sent + i, &rng)
                    }
                    entry.entryId = String(i)
                    return entry
                }
                _ = try? store.send(to: queue, entries: entries)
                sent += n
                count -= n
            }
        }
    }

    /// A worker: what it received on one wake-up stays in flight until the next, then gets its
    /// verdict. One message in a hundred is dropped without a verdict (a crashed invocation) and
    /// comes back after the visibility timeout.
    private func work(queue: String, seed: UInt64) async {
        var rng = SplitMix64(seed: seed)
        var last = clock.now()
        var budget = 0.0
        var inFlight: [QueueMessage] = []
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 100_000_000)
            let now = clock.now()
            let outage = DemoTraffic.isOutage(now)
            var acks: [String] = []
            for message in inFlight {
                guard let receipt = message.receiptHandle else { continue }
                if DemoBodies.chance(0.01, &rng) { continue }
                if let failure = DemoBodies.verdict(queue: queue, body: message.body, outage: outage) {
                    try? store.fail(in: queue, receipt: receipt, errorType: failure.type, errorMessage: failure.message)
                } else {
                    acks.append(receipt)
                }
            }
            for start in stride(from: 0, to: acks.count, by: QueueLimits.maxBatchEntries) {
                _ = try? store.delete(from: queue, receipts: Array(acks[start..<min(acks.count, start + QueueLimits.maxBatchEntries)]))
            }
            inFlight.removeAll()
            budget = min(400, budget + DemoTraffic.workerCapacity * (now - last).seconds)
            last = now
            while budget >= 1 {
                let batch = (try? store.receive(from: queue, max: min(QueueLimits.maxBatchEntries, Int(budget)))) ?? []
                if batch.isEmpty { break }
                budget -= Double(batch.count)
                inFlight += batch
            }
        }
    }
}
