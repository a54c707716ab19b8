/// One queue's numbers at one sample time, with the counter deltas since the previous sample.
public struct MetricSample: Sendable, Hashable {
    /// When the numbers were read.
    public var at: Timestamp
    public var visible: Int
    public var inFlight: Int
    public var delayed: Int
    /// Age of the oldest message; nil when the queue is empty.
    public var oldestAge: TimeSpan?
    /// Time since the previous sample; nil for the first one (so it has no deltas).
    public var interval: TimeSpan?
    /// What the counters did since the previous sample; nil for the first sample or when the
    /// backend keeps no counters (SQS).
    public var counts: QueueCounters?
    /// Depth change since the previous sample; nil for the first one.
    public var depthDelta: Int?

    /// Creates a sample.
    public init(at: Timestamp, visible: Int, inFlight: Int, delayed: Int, oldestAge: TimeSpan?,
                interval: TimeSpan? = nil, counts: QueueCounters? = nil, depthDelta: Int? = nil) {
        self.at = at
        self.visible = visible
        self.inFlight = inFlight
        self.delayed = delayed
        self.oldestAge = oldestAge
        self.interval = interval
        self.counts = counts
        self.depthDelta = depthDelta
    }

    /// Builds a sample from a stats snapshot and the snapshot before it (nil for the first).
    ///
    /// A counter that went backwards means the queue was deleted and created again; the new
    /// counter value is then the delta, rather than a negative count.
    public init(_ stats: QueueStats, previous: QueueStats?) {
        var interval: TimeSpan? = nil
        var counts: QueueCounters? = nil
        var depthDelta: Int? = nil
        if let previous, previous.at < stats.at {
            interval = stats.at - previous.at
            depthDelta = stats.depth - previous.depth
            if let now = stats.counters, let before = previous.counters {
                func delta(_ a: Int64, _ b: Int64) -> Int64 { a >= b ? a - b : a }
                counts = QueueCounters(
                    sent: delta(now.sent, before.sent), received: delta(now.received, before.received),
                    deleted: delta(now.deleted, before.deleted), failed: delta(now.failed, before.failed),
                    deadLettered: delta(now.deadLettered, before.deadLettered), expired: delta(now.expired, before.expired))
            }
        }
        self.init(at: stats.at, visible: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed,
                  oldestAge: stats.oldestAge, interval: interval, counts: counts, depthDelta: depthDelta)
    }

    /// Everything in the queue.
    public var depth: Int { visible + inFlight + delayed }

    /// The value of `metric` in this sample; nil when this sample has none (an empty queue has
    /// no oldest age; the first sample has no deltas).
    public func value(of metric: QueueMetric) -> Double? {
        switch metric {
        case .visible: Double(visible)
        case .inFlight: Double(inFlight)
        case .delayed: Double(delayed)
        case .depth: Double(depth)
        case .oldestAgeSeconds: oldestAge.map { $0.seconds } ?? (depth == 0 ? 0 : nil)
        case .depthDelta: depthDelta.map(Double.init)
        case .sent: counts.map { Double($0.sent) }
        case .received: counts.map { Double($0.received) }
        case .deleted: counts.map { Double($0.deleted) }
        case .failed: counts.map { Double($0.failed) }
        case .deadLettered: counts.map { Double($0.deadLettered) }
        case .expired: counts.map { Double($0.expired) }
        }
    }
}
