import Foundation
import SluiceCore
import SluiceStore

/// A million-message DLQ: facet counts in an age window, a page of 100, dashboard stats for 20 queues.
enum DLQBench {
    static func run(_ report: Report, dir: String, messages: Int) throws {
        let clock = ManualClock(start: Timestamp(millis: 1_795_000_000_000))
        let store = try Store(path: dir + "/dlq.sluice", clock: clock)
        try store.createQueue(QueueSpec(name: "big-dlq", retention: .days(14)))
        try store.createQueue(QueueSpec(name: "big", redrivePolicy: RedrivePolicy(deadLetterQueue: "big-dlq", maxReceiveCount: 3)))
        for i in 0..<9 {
            try store.createQueue(QueueSpec(name: "q\(i)-dlq"))
            try store.createQueue(QueueSpec(name: "q\(i)", redrivePolicy: RedrivePolicy(deadLetterQueue: "q\(i)-dlq", maxReceiveCount: 3)))
        }
        let types = ["Timeout", "Throttled", "ValidationError", "SchemaMismatch", "NullPointer", "Unauthorized", "Conflict", "Unknown"]
        var rng = SplitMix64(seed: 1)
        let body = [UInt8](repeating: 0x62, count: 200)
        // Three days of failures: 2.6 s between batches of 10.
        var sent = 0
        while sent < messages {
            let entries = (0..<10).map { k -> SendEntry in
                let t = types[Int(rng.next() % UInt64(types.count))]
                return SendEntry(entryId: "\(k)", body: body, attributes: t == "Unknown" ? [:] : ["errorType": .string(t)])
            }
            _ = try store.send(to: "big-dlq", entries: entries)
            sent += 10
            clock.advance(by: .milliseconds(Int64(259_200_000 / (messages / 10))))
        }
        for i in 0..<9 { for _ in 0..<50 { try store.send(to: "q\(i)", body: body) } }

        let window = MessageFilter(minAge: .hours(1), maxAge: .days(2))
        let facetMs = try medianMillis(repeats: 21) { _ = try store.facets(of: "big-dlq", filter: window) }
        let total = try store.facets(of: "big-dlq", filter: window).total
        // The peer: the plain indexed GROUP BY the design names (~49 ms on this kind of machine).
        let plainMs = try medianMillis(repeats: 7) { _ = try store.plainFacetCountForBenchmark(of: "big-dlq", filter: window) }
        report.add(Row(section: "1M-message DLQ", measure: "facet counts by error type, age window 1h..2d (\(total) msgs)", value: facetMs, unit: "ms",
                       peer: "plain indexed GROUP BY", peerValue: plainMs, target: "< 50 ms (aim < 10 ms)", met: facetMs < 50, note: nil))

        let pageFilter = MessageFilter(errorTypes: ["Timeout"], minAge: .hours(1), maxAge: .days(2))
        let pageMs = try medianMillis(repeats: 21) { _ = try store.page(of: "big-dlq", filter: pageFilter, after: nil, limit: 100) }
        report.add(Row(section: "1M-message DLQ", measure: "first page of 100 (one type, age window)", value: pageMs, unit: "ms",
                       peer: nil, peerValue: nil, target: "< 5 ms", met: pageMs < 5, note: nil))

        let statsMs = try medianMillis(repeats: 21) { _ = try store.stats() }
        let queueCount = try store.listQueues().count
        report.add(Row(section: "1M-message DLQ", measure: "dashboard stats for all \(queueCount) queues", value: statsMs, unit: "ms",
                       peer: nil, peerValue: nil, target: "< 5 ms for 20 queues", met: statsMs < 5, note: nil))
    }
}
