import Foundation
import SluiceCore

/// Creates `dlq`, then `source` dead-lettering into it after `maxReceiveCount` receives.
public func createDeadLetterPair(backend: any QueueBackend, source: String, dlq: String, maxReceiveCount: Int) async throws {
    _ = try await backend.createQueue(QueueSpec(name: dlq))
    _ = try await backend.createQueue(QueueSpec(name: source, redrivePolicy: RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: maxReceiveCount)))
}

/// Receives from `source` with visibility 0 until it is empty and `dlq` holds at least
/// `expectAtLeast` messages: each receive counts towards the source's maxReceiveCount, and SQS
/// (moto too) dead-letters a message received past it. Pauses a little between checks while the
/// source looks empty but the DLQ does not hold enough yet.
/// - Returns: whether that happened within `timeout` seconds.
@discardableResult
public func pushIntoDLQ(backend: any QueueBackend, source: String, dlq: String, expectAtLeast: Int, timeout: Double = 90) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        let got = try await backend.receive(from: source, max: 10, visibility: .zero)
        guard got.isEmpty else { continue }
        let stats = try await backend.stats(for: [source, dlq])
        if stats[0].depth == 0 && stats[1].depth >= expectAtLeast { return true }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    return false
}
