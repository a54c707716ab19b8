import Foundation
import SluiceCore
import SluiceDrills

/// Drill engine speed (issue 5): simulated time at 50 msg/s with workers, idempotency and a few
/// failures, on the embedded store in virtual time. Target: one simulated hour in < 10 s.
enum DrillBench {
    static func run(_ report: Report, minutes: Int) async throws {
        let loaded = try DrillParser.parse(text: text(minutes: minutes), path: "bench/drill-hour.yaml", runbooks: [])
        var result: DrillReport?
        let elapsed = try await seconds { result = try await DrillRunner.run(loaded).report }
        guard let result else { return }
        // The target is for an hour; a shorter (quick) drill is held to its share of it.
        let budget = 10.0 * Double(minutes) / 60
        let label = minutes == 60 ? "one simulated hour at 50 msg/s" : "\(minutes) simulated minutes at 50 msg/s (quick; the full run simulates an hour)"
        report.add(Row(section: "drill", measure: "\(label): \(result.count(.produced)) messages, 2 worker pools, outage, throttling, poison, crash",
                       value: elapsed, unit: "s", peer: "simulated time", peerValue: Double(minutes * 60),
                       target: minutes == 60 ? "< 10 s" : String(format: "< %.1f s (10 s per hour)", budget), met: elapsed < budget,
                       note: "\(Int((Double(minutes * 60) / elapsed).rounded()))x real time; \(result.count(.sideEffects)) side effects, \(result.count(.deadLettered)) dead-lettered, \(result.traceLines) trace lines"))
        guard result.passed else {
            throw SluiceError(.internalError, "the bench drill's own expectations failed:\n\(result.text)")
        }
    }

    /// Two worker queues at 35 + 15 msg/s with DLQs; faults placed at fractions of the length
    /// so the quick drill has them too.
    static func text(minutes: Int) -> String {
        func at(_ fraction: Double) -> String { "\(Int((Double(minutes * 60) * fraction).rounded()))s" }
        return """
        id: drill-bench
        title: Benchmark drill, 50 msg/s with failures
        duration: \(minutes)m
        seed: 2026
        queues:
          orders: {visibility_timeout: 30s, dlq: orders-dlq, max_receive_count: 3}
          orders-dlq: {retention: 14d}
          payments: {visibility_timeout: 30s, dlq: payments-dlq, max_receive_count: 3}
          payments-dlq: {retention: 14d}
        producers:
          checkout:
            to: orders
            rate: 35/s
            duplicates: 1%
            tenants: 50
          billing:
            to: payments
            rate: 15/s
            duplicates: 1%
            tenants: 20
        workers:
          order-worker:
            from: orders
            concurrency: 4
            processing: 5ms..30ms
            timeout: 10s
          payment-worker:
            from: payments
            concurrency: 3
            processing: 10ms..40ms
            timeout: 10s
        faults:
          - outage: order-worker
            at: \(at(0.15))
            for: \(at(0.08))
            mode: hang
            ratio: 0.1
          - throttle: payment-worker
            at: \(at(0.4))
            for: \(at(0.08))
            ratio: 0.3
          - poison: orders
            at: \(at(0.3))
            count: 50
            error: MalformedPayload
          - crash: payment-worker
            at: \(at(0.7))
            for: 1m
        expect:
          - lost: 0
          - duplicate_side_effects: 0
          - dead_lettered: {min: 1}
        """
    }
}
