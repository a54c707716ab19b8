import Foundation
import SluiceCore
import SluiceRedrive
import SluiceStore
import Synchronization

/// Local filtered redrive: unpaced throughput, and a paced run against its runbook's rate and jitter.
enum RedriveBench {
    static func fill(_ store: Store, count: Int) throws {
        try store.createQueue(QueueSpec(name: "src-dlq", retention: .days(14)))
        try store.createQueue(QueueSpec(name: "src", redrivePolicy: RedrivePolicy(deadLetterQueue: "src-dlq", maxReceiveCount: 3)))
        let body = [UInt8](repeating: 0x63, count: 200)
        var sent = 0
        while sent < count {
            // Three of four are Timeout (moved); the rest ValidationError (skipped by the runbook).
            let entries = (0..<10).map { k in
                SendEntry(entryId: "\(k)", body: body, attributes: ["errorType": .string((sent + k) % 4 == 3 ? "ValidationError" : "Timeout")])
            }
            _ = try store.send(to: "src-dlq", entries: entries)
            sent += 10
        }
    }

    static func run(_ report: Report, dir: String, messages: Int) async throws {
        let clock = SystemClock()
        let store = try Store(path: dir + "/redrive.sluice", clock: clock)
        try fill(store, count: messages)
        let unpaced = Runbook(id: "bench-unpaced", dlqPatterns: ["*-dlq"],
                              batch: RunbookBatch(size: 100, jitter: TimeSpan.zero...TimeSpan.zero, maxRate: 0), strategies: ["Timeout": .requeue])
        let backend = LocalBackend(store: store)
        let target = LocalRedriveTarget(store: store)
        let plan = try await RedrivePlanner(backend: backend, target: target).plan(dlq: "src-dlq", runbook: unpaced, filter: MessageFilter(errorTypes: ["Timeout"]))
        try store.createRedriveJob(plan, ack: nil)
        let runner = RedriveRunner(store: store, target: target, observer: nil, clock: clock)
        var moved = 0
        let elapsed = try await seconds { moved = try await runner.run(job: plan.jobId).moved }
        let rate = Double(moved) / elapsed
        report.add(Row(section: "redrive", measure: "local filtered redrive of \(moved) messages, unpaced (batches of 100)", value: rate, unit: "msg/s",
                       peer: nil, peerValue: nil, target: "≥ 20,000/s", met: rate >= 20_000, note: nil))

        // Paced: 200/s in batches of 10 with 5-20 ms jitter, over 1,500 messages (about 7.5 s).
        let paced = Runbook(id: "bench-paced", dlqPatterns: ["*-dlq"],
                            batch: RunbookBatch(size: 10, jitter: TimeSpan.milliseconds(5)...TimeSpan.milliseconds(20), maxRate: 200),
                            strategies: ["ValidationError": .requeue])
        let pacedPlan = try await RedrivePlanner(backend: backend, target: target).plan(dlq: "src-dlq", runbook: paced, filter: .all, maxMessages: 1500)
        try store.createRedriveJob(pacedPlan, ack: nil)
        let starts = Mutex<[(Timestamp, Timestamp)]>([])
        let waits = Mutex<[TimeSpan]>([])
        try await runner.run(job: pacedPlan.jobId) { event in
            if case .batch(_, let o) = event { starts.withLock { $0.append((o.startedAt, o.endedAt)) } }
            if case .waiting(_, let j) = event { waits.withLock { $0.append(j) } }
        }
        let batches = starts.withLock { $0 }
        let span = (batches.last!.1 - batches.first!.0).seconds
        let achieved = Double(1500 - 10) / span
        let pauses = zip(batches.dropFirst(), batches).map { ($0.0 - $1.1).millis }
        let minPause = pauses.min() ?? 0
        report.add(Row(section: "redrive", measure: "paced run, runbook max_rate 200/s (1,500 msgs)", value: achieved, unit: "msg/s",
                       peer: "runbook rate", peerValue: 200, target: "within ±5 % of 200/s", met: abs(achieved - 200) / 200 <= 0.05,
                       note: "shortest pause between batches \(minPause) ms (jitter lower bound 5 ms)"))
        report.add(Row(section: "redrive", measure: "shortest pause between paced batches", value: Double(minPause), unit: "ms",
                       peer: nil, peerValue: nil, target: "≥ jitter lower bound 5 ms", met: minPause >= 5, note: nil))
    }
}
