/// A queue's numbers at one instant: what the dashboard shows and alarms evaluate.
public struct QueueStats: Sendable, Hashable, Codable {
    public var queue: String
    /// When these numbers were read.
    public var at: Timestamp
    /// Messages ready to receive.
    public var visible: Int
    /// Received and not yet deleted, still hidden.
    public var inFlight: Int
    /// Sent with a delay that has not passed.
    public var delayed: Int
    /// Age of the oldest message, nil when empty.
    public var oldestAge: TimeSpan?
    /// Whether `oldestAge` covers only the messages a scan has seen (SQS DLQs), not the whole queue.
    public var oldestAgeIsFromScan: Bool
    /// Monotonic counters since the queue was created (embedded backend; nil where unknown).
    public var counters: QueueCounters?

    public init(queue: String, at: Timestamp, visible: Int, inFlight: Int, delayed: Int, oldestAge: TimeSpan?, oldestAgeIsFromScan: Bool = false, counters: QueueCounters? = nil) {
        self.queue = queue
        self.at = at
        self.visible = visible
        self.inFlight = inFlight
        self.delayed = delayed
        self.oldestAge = oldestAge
        self.oldestAgeIsFromScan = oldestAgeIsFromScan
        self.counters = counters
    }

    /// Everything in the queue.
    public var depth: Int { visible + inFlight + delayed }
}

/// Counters of what happened to a queue's messages.
public struct QueueCounters: Sendable, Hashable, Codable {
    public var sent: Int64
    public var received: Int64
    public var deleted: Int64
    /// Failure verdicts recorded by workers.
    public var failed: Int64
    /// Messages this queue moved to its DLQ.
    public var deadLettered: Int64
    /// Messages removed by retention.
    public var expired: Int64

    public init(sent: Int64 = 0, received: Int64 = 0, deleted: Int64 = 0, failed: Int64 = 0, deadLettered: Int64 = 0, expired: Int64 = 0) {
        self.sent = sent
        self.received = received
        self.deleted = deleted
        self.failed = failed
        self.deadLettered = deadLettered
        self.expired = expired
    }
}
