import Foundation
import SluiceCore
import SluiceDrills
import Testing

/// The package's folders, found from this file so tests run from any directory.
enum Shipped {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var runbooks: String { root + "/runbooks" }
    static var drills: String { runbooks + "/drills" }

    /// Every shipped drill file name, sorted (`downstream-outage.yaml`, …).
    static var drillFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: drills)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Every shipped runbook file name (`downstream-timeout.md`, …), README excepted.
    static var runbookFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: runbooks)) ?? [])
            .filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }.sorted()
    }
}

/// A temporary folder holding drill files and the test runbook they use.
struct DrillFixture {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "sluice-drill-test-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try write("fast-timeout.md", DrillFixture.fastTimeoutRunbook)
    }

    /// Writes a file into the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Removes the folder.
    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    /// A runbook that requeues timeouts fast, with no age filter and no guards.
    static let fastTimeoutRunbook = """
    ---
    id: fast-timeout
    title: Fast redrive of timeouts for tests
    dlq: orders-dlq
    filter:
      error_types: [Timeout]
    batch:
      size: 10
      jitter: 0ms..200ms
      max_rate: 50/s
    strategy:
      Timeout: requeue
    require:
      root_cause_ack: true
    ---
    # Fast redrive of timeouts for tests
    Moves every Timeout back to its source queue, quickly.
    """

    /// A six-minute outage drill: duplicates from the producer, hung calls that time out whole
    /// batches, messages dead-lettered after two receives, a redrive at 3m. Small enough to run
    /// in a second or two in a debug build. `expect` replaces the expectations; `extra` is
    /// appended at the top level (e.g. `alarms:`).
    static func smallOutage(idempotency: Bool = true, redrive: Bool = true, seed: Int = 42,
                            expect: String = "  - lost: 0\n  - duplicate_side_effects: 0\n  - dlq_only: orders-dlq\n    error_types: []",
                            extra: String = "") -> String {
        var text = """
        id: small-outage
        title: A small outage for tests
        duration: 6m
        seed: \(seed)
        queues:
          orders:
            visibility_timeout: 10s
            dlq: orders-dlq
            max_receive_count: 2
          orders-dlq: {}
        producers:
          checkout:
            to: orders
            rate: 4/s
            stop: 5m
            duplicates: 5%
            tenants: 4
        workers:
          order-worker:
            from: orders
            concurrency: 2
            processing: 20ms..60ms
            timeout: 2s
            idempotency: \(idempotency)
        faults:
          - outage: order-worker
            at: 30s
            for: 1m30s
            mode: hang
            ratio: 0.3

        """
        if redrive {
            text += """
            operator:
              - at: 3m
                redrive: orders-dlq
                runbook: fast-timeout
                ack: "payment API back"

            """
        }
        if !extra.isEmpty { text += extra + "\n" }
        text += "expect:\n" + expect + "\n"
        return text
    }
}

/// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held.
func eventually(timeout: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return try await condition()
}
