import Foundation
import SluiceCore
import SluiceStore

/// A store in a fresh folder holding `orders` → `orders-dlq` with failed messages of three error
/// types, and a fast runbook: `Timeout` is requeued, `Poison` discarded, `Other` (no strategy)
/// stays. It knows every message it put into the DLQ, so it can tell where each one went.
public struct LocalRedriveScenario: Sendable {
    /// The folder (removed by ``remove()``).
    public let directory: String
    /// The store file.
    public var storePath: String { directory + "/store.sluice" }
    /// The runbook file.
    public var runbookPath: String { directory + "/fast.md" }
    /// Messages put into the DLQ, by error type.
    public let counts: [String: Int]
    /// The DLQ message ids, by error type.
    public let seeded: [String: [String]]

    /// The source queue and its DLQ.
    public static let source = "orders", dlq = "orders-dlq"

    /// Seeds a new scenario.
    /// - Parameters:
    ///   - counts: DLQ messages per error type (`Timeout`, `Poison`, `Other`).
    ///   - jitter: the runbook's pause between batches (longer runs give kills more places to land).
    public init(counts: [String: Int] = ["Timeout": 150, "Poison": 30, "Other": 20], jitter: String = "0ms..20ms") throws {
        directory = NSTemporaryDirectory() + "sluice-harness-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.counts = counts
        let store = try Store(path: directory + "/store.sluice")
        try store.createQueue(QueueSpec(name: Self.dlq))
        try store.createQueue(QueueSpec(name: Self.source, redrivePolicy: RedrivePolicy(deadLetterQueue: Self.dlq, maxReceiveCount: 2)))
        for (type, n) in counts.sorted(by: { $0.key < $1.key }) {
            var sent = 0
            while sent < n {
                let k = min(10, n - sent)
                _ = try store.send(to: Self.source, entries: (0..<k).map {
                    SendEntry(entryId: "\($0)", body: Array("{\"type\":\"\(type)\",\"n\":\(sent + $0)}".utf8))
                })
                sent += k
                for _ in 0..<2 {
                    for m in try store.receive(from: Self.source, max: 10) {
                        try store.fail(in: Self.source, receipt: m.receiptHandle!, errorType: type, errorMessage: "\(type) in the harness")
                    }
                }
                // The third receive moves them into the DLQ.
                _ = try store.receive(from: Self.source, max: 10)
            }
        }
        var seeded: [String: [String]] = [:]
        for m in try Self.all(store, Self.dlq) { seeded[m.errorType ?? "?", default: []].append(m.id) }
        self.seeded = seeded
        try Self.runbook(jitter: jitter).write(toFile: directory + "/fast.md", atomically: true, encoding: .utf8)
    }

    /// Every message of a queue, paging through it.
    static func all(_ store: Store, _ queue: String) throws -> [QueueMessage] {
        var out: [QueueMessage] = []
        var cursor: String? = nil
        repeat {
            let page = try store.page(of: queue, filter: .all, after: cursor, limit: 1000)
            out += page.messages
            cursor = page.nextCursor
        } while cursor != nil
        return out
    }

    static func runbook(jitter: String) -> String {
        """
        ---
        id: harness-fast
        title: Fast redrive for the reliability harness
        dlq: "*-dlq"
        batch:
          size: 10
          jitter: \(jitter)
          max_rate: 2000/s
        strategy:
          Timeout: requeue
          Poison: discard
        ---
        # Fast redrive for the reliability harness
        Moves Timeout back, discards Poison, leaves everything else.
        """
    }

    /// `sluice redrive` arguments for a confirmed run of the whole DLQ.
    public var redriveArguments: [String] {
        ["redrive", Self.dlq, "--runbook", runbookPath, "--yes", "--confirm-discards", String(counts["Poison"] ?? 0), "--json", "--store", storePath]
    }

    /// `sluice redrive --resume JOB` arguments.
    public func resumeArguments(_ job: String) -> [String] {
        ["redrive", "--resume", job, "--json", "--store", storePath]
    }

    /// Deletes the folder.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
