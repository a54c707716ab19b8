import Foundation
import SluiceCore
import SluiceTesting
@testable import SluiceSQS

/// Whether moto tests can run; they are skipped with `MotoServer.unavailableReason` otherwise.
let motoAvailable = MotoServer.isAvailable

/// A backend on the shared moto server (or through a proxy to it), with quick retries and
/// scans that do not long-poll. Use it inside ``use(_:)``, which shuts it down.
struct MotoFixture {
    let moto: MotoServer
    let backend: SQSBackend
    /// A prefix unique to this test, so tests sharing the server never see each other's queues.
    let prefix: String

    static func make(
        endpoint: String? = nil,
        policy: RetryPolicy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(20), maxDelay: .milliseconds(400), deadline: .seconds(60), attemptTimeout: .seconds(10)),
        credentials: AWSCredentials = AWSCredentials(accessKeyId: "AKIDSLUICETEST", secretAccessKey: "testing"),
        clock: any SluiceClock = SystemClock(),
        scan: DLQScan.Options = DLQScan.Options(limit: 2000, lease: .seconds(60), wait: .zero, emptyReceivesToStop: 1),
        log: (@Sendable (String) -> Void)? = nil
    ) async throws -> MotoFixture {
        let moto = try await MotoServer.shared()
        let configuration = SQSConfiguration(credentials: credentials, region: "us-east-1", endpoint: try AWSEndpoint(parsing: endpoint ?? moto.endpoint))
        let client = SQSClient(configuration: configuration, retrier: Retrier(policy: policy, clock: SystemClock(), random: RetryRandom(seed: 11)), log: log)
        let backend = SQSBackend(client: client, clock: clock, scanOptions: scan)
        return MotoFixture(moto: moto, backend: backend, prefix: "t" + UUID().uuidString.prefix(8).lowercased())
    }

    func name(_ base: String) -> String { "\(prefix)-\(base)" }

    func shutdown() async throws { try await backend.shutdown() }

    /// Runs `body` and shuts the backend down however it ends: a test that throws half-way
    /// must not leave an HTTP client behind (its deinit traps, taking every test down with it).
    func use<T>(_ body: (MotoFixture) async throws -> T) async throws -> T {
        let result: T
        do {
            result = try await body(self)
        } catch {
            try? await shutdown()
            throw error
        }
        try await shutdown()
        return result
    }

    /// Sends `bodies` in batches of 10 with the given attributes per body.
    func send(_ queue: String, _ items: [(body: String, attributes: [String: MessageAttribute])]) async throws {
        var start = 0
        while start < items.count {
            let chunk = items[start..<min(start + 10, items.count)]
            let entries = chunk.enumerated().map { SendEntry(entryId: "e\($0.offset)", body: Array($0.element.body.utf8), attributes: $0.element.attributes) }
            let results = try await backend.send(to: queue, entries: entries)
            if let failed = results.first(where: { !$0.succeeded }) { throw failed.error! }
            start += 10
        }
    }

    /// Receives (visibility 0) until the source queue is empty, so every message passes its
    /// maxReceiveCount and moto's redrive moves it into the DLQ. Bounded by `rounds`.
    func drainIntoDLQ(_ source: String, rounds: Int = 400) async throws {
        var emptyInARow = 0
        for _ in 0..<rounds {
            let got = try await backend.receive(from: source, max: 10, visibility: .zero)
            emptyInARow = got.isEmpty ? emptyInARow + 1 : 0
            if emptyInARow >= 2 { return }
        }
        throw SluiceError(.checkFailed, "'\(source)' did not drain into its DLQ within \(rounds) receives")
    }

    /// Receives and deletes everything in `queue`, returning the bodies (duplicates kept).
    func consumeAll(_ queue: String, visibility: TimeSpan = .seconds(2), until expected: Set<String>, timeout: Double = 120) async throws -> [String] {
        var bodies: [String] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let got = try await backend.receive(from: queue, max: 10, visibility: visibility)
            if got.isEmpty {
                if expected.isSubset(of: Set(bodies)) { return bodies }
                try await Task.sleep(nanoseconds: 50_000_000)
                continue
            }
            bodies += got.map { String(decoding: $0.body, as: UTF8.self) }
            _ = try await backend.delete(from: queue, receipts: got.compactMap(\.receiptHandle))
        }
        return bodies
    }
}
