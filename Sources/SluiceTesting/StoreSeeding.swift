import Foundation
import SluiceCore
import SluiceStore

extension Store {
    /// Creates `dlq` and `source` (dead-lettering into `dlq` after two receives) and fails `types`
    /// messages per error type into the DLQ the way a worker would: each batch of up to ten is
    /// sent (bodies `{"type":"T","n":N}`), received and failed twice, and the third receive moves
    /// it. Error types go in name order.
    /// - Parameter errorMessage: the failure message for an error type.
    public func seedFailedMessages(_ types: [String: Int], source: String, dlq: String, errorMessage: (String) -> String) throws {
        try createQueue(QueueSpec(name: dlq))
        try createQueue(QueueSpec(name: source, redrivePolicy: RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: 2)))
        for (type, n) in types.sorted(by: { $0.key < $1.key }) {
            var sent = 0
            while sent < n {
                let k = min(10, n - sent)
                _ = try send(to: source, entries: (0..<k).map {
                    SendEntry(entryId: "\($0)", body: Array("{\"type\":\"\(type)\",\"n\":\(sent + $0)}".utf8))
                })
                sent += k
                for _ in 0..<2 {
                    for m in try receive(from: source, max: 10) {
                        try fail(in: source, receipt: m.receiptHandle!, errorType: type, errorMessage: errorMessage(type))
                    }
                }
                // The third receive moves them into the DLQ.
                _ = try receive(from: source, max: 10)
            }
        }
    }

    /// Every message of `queue` under `filter`, paging through it.
    public func allMessages(of queue: String, filter: MessageFilter = .all) throws -> [QueueMessage] {
        var out: [QueueMessage] = []
        var cursor: String? = nil
        repeat {
            let page = try self.page(of: queue, filter: filter, after: cursor, limit: 1000)
            out += page.messages
            cursor = page.nextCursor
        } while cursor != nil
        return out
    }
}

/// A runbook for `*-dlq` that requeues `Timeout` and discards `Poison`, in batches of ten at up
/// to 2000 a second: quick enough for tests and the reliability harness.
public func fastRunbookText(id: String, title: String, jitter: String, summary: String) -> String {
    """
    ---
    id: \(id)
    title: \(title)
    dlq: "*-dlq"
    batch:
      size: 10
      jitter: \(jitter)
      max_rate: 2000/s
    strategy:
      Timeout: requeue
      Poison: discard
    ---
    # \(title)
    \(summary)
    """
}
