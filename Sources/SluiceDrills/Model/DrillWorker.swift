import SluiceCore

/// A Lambda-like consumer: pollers receive batches, the handler processes the records one by one
/// (each taking a processing time), optionally through the store's idempotency records, and
/// reports partial batch failures or fails the whole batch.
public struct DrillWorker: Sendable, Hashable {
    public var name: String
    /// Queues it reads; each gets `concurrency` pollers.
    public var queues: [String]
    /// Pollers (concurrent invocations) per queue.
    public var concurrency: Int
    /// Records per invocation, 1...10.
    public var batchSize: Int
    /// Processing time of one record, drawn uniformly from this range.
    public var processing: ClosedRange<TimeSpan>
    /// The function timeout: an invocation still running then is killed and its whole batch fails.
    public var timeout: TimeSpan
    /// Whether records go through the idempotency store (Powertools style).
    public var idempotency: Bool
    /// How long a COMPLETED record suppresses repeats.
    public var idempotencyTTL: TimeSpan
    /// Whether the handler reports failed records only (`batchItemFailures`); otherwise one
    /// failure fails the whole batch and every record in it comes back.
    public var partialBatchFailure: Bool
    /// Long-poll wait of an empty receive; a send to the queue ends it early.
    public var longPoll: TimeSpan

    /// Creates a worker.
    public init(name: String, queues: [String], concurrency: Int = 2, batchSize: Int = 10,
                processing: ClosedRange<TimeSpan> = TimeSpan.milliseconds(20)...TimeSpan.milliseconds(80),
                timeout: TimeSpan = .seconds(15), idempotency: Bool = true, idempotencyTTL: TimeSpan = .hours(1),
                partialBatchFailure: Bool = true, longPoll: TimeSpan = .seconds(20)) {
        self.name = name
        self.queues = queues
        self.concurrency = concurrency
        self.batchSize = batchSize
        self.processing = processing
        self.timeout = timeout
        self.idempotency = idempotency
        self.idempotencyTTL = idempotencyTTL
        self.partialBatchFailure = partialBatchFailure
        self.longPoll = longPoll
    }
}
