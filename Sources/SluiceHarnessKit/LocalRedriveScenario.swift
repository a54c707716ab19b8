import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting

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
        try store.seedFailedMessages(counts, source: Self.source, dlq: Self.dlq, errorMessage: { "\($0) in the harness" })
        var seeded: [String: [String]] = [:]
        for m in try store.allMessages(of: Self.dlq) { seeded[m.errorType ?? "?", default: []].append(m.id) }
        self.seeded = seeded
        try fastRunbookText(id: "harness-fast", title: "Fast redrive for the reliability harness", jitter: jitter,
                            summary: "Moves Timeout back, discards Poison, leaves everything else.")
            .write(toFile: directory + "/fast.md", atomically: true, encoding: .utf8)
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
