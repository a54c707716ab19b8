import SluiceCore
import SluiceStore

/// Fills the demo's DLQs with a history of failures before traffic starts, so the DLQ browser
/// has facets, ages and expiry warnings from the first second.
///
/// It writes through a second store on the same file whose virtual clock walks from hours ago
/// to now: messages get realistic send times without touching the live demo clock.
enum DemoSeeder {
    /// A seeded DLQ message's shape: which attributes carry the error, as each kind of producer writes them.
    enum Style { case lambda, workerTagged, bare }

    static func seed(path: String, now: Timestamp, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed ^ 0x5EED)
        // Old messages first (close to the 4-day retention), then the last six hours.
        let oldStart = now - .days(4) + .hours(2)
        let recentStart = now - .hours(6)
        let clock = ManualClock(start: oldStart)
        let store = try Store(path: path, clock: clock)
        try send(store, clock: clock, to: "payments-dlq", count: 12, from: oldStart, to: oldStart + .hours(8), rng: &rng) { n, rng in
            (DemoBodies.payment(n, &rng), DemoBodies.timeout, .lambda)
        }
        clock.set(recentStart)
        try send(store, clock: clock, to: "orders-dlq", count: 240, from: recentStart, to: now - .minutes(1), rng: &rng) { n, rng in
            let roll = rng.next() % 100
            let failure: DemoBodies.Failure = roll < 40 ? DemoBodies.timeout : roll < 65 ? DemoBodies.validation : roll < 80 ? DemoBodies.throttled : DemoBodies.schema
            let style: Style = roll % 7 == 0 ? .bare : (failure == DemoBodies.timeout ? .lambda : .workerTagged)
            return (DemoBodies.order(n, &rng), failure, style)
        }
        clock.set(recentStart)
        try send(store, clock: clock, to: "payments-dlq", count: 160, from: recentStart, to: now - .minutes(1), rng: &rng) { n, rng in
            let roll = rng.next() % 100
            let failure: DemoBodies.Failure = roll < 45 ? DemoBodies.timeout : roll < 70 ? DemoBodies.throttled : roll < 90 ? DemoBodies.validation : DemoBodies.undecodable
            var entry = DemoBodies.payment(n, &rng)
            if failure == DemoBodies.undecodable {
                entry.body = [0xFF, 0xFE, 0xFD, 0x00] + Array("pay-\(n)".utf8) + [0x00, 0xFF, 0x80, 0xDE, 0xAD, 0xBE, 0xEF]
                entry.attributes["contentType"] = .string("application/x-protobuf")
            }
            return (entry, failure, failure == DemoBodies.timeout ? .lambda : .workerTagged)
        }
    }

    private static func send(_ store: Store, clock: ManualClock, to queue: String, count: Int, from: Timestamp, to: Timestamp,
                             rng: inout SplitMix64, make: (Int, inout SplitMix64) -> (SendEntry, DemoBodies.Failure, Style)) throws {
        let span = (to - from).millis
        for n in 0..<count {
            // Spread evenly with a little jitter, never past `to`: ages stay positive.
            let base = from.millis + span * Int64(n) / Int64(max(1, count))
            let jitter = Int64(rng.next() % UInt64(max(1, span / Int64(max(1, count)))))
            clock.set(Timestamp(millis: min(to.millis, base + jitter)))
            var (entry, failure, style) = make(n, &rng)
            switch style {
            case .lambda:
                entry.attributes["RequestID"] = .string(DemoBodies.hex(&rng, 8) + "-" + DemoBodies.hex(&rng, 4) + "-" + DemoBodies.hex(&rng, 12))
                entry.attributes["ErrorCode"] = .number(200)
                entry.attributes["ErrorMessage"] = .string(failure.message)
            case .workerTagged:
                entry.attributes["errorType"] = .string(failure.type)
                entry.attributes["errorMessage"] = .string(failure.message)
            case .bare:
                break
            }
            _ = try store.send(to: queue, entries: [entry])
        }
    }
}
