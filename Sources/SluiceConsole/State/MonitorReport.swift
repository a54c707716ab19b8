import SluiceCore

/// One queue's numbers as the dashboard shows them: the latest stats plus what the monitor
/// derived from history (rates and a depth sparkline).
public struct QueueReadout: Sendable, Hashable {
    public var stats: QueueStats
    /// Messages in per second (sent, plus dead-lettered into it for a DLQ); nil until known.
    public var inRate: Double?
    /// Messages out per second (deleted, plus dead-lettered out of it); nil until known.
    public var outRate: Double?
    /// Recent depth, oldest first, one value per sparkline bucket.
    public var depthHistory: [Int]

    public init(stats: QueueStats, inRate: Double? = nil, outRate: Double? = nil, depthHistory: [Int] = []) {
        self.stats = stats
        self.inRate = inRate
        self.outRate = outRate
        self.depthHistory = depthHistory
    }
}

/// One alarm as the alarms panel shows it.
public struct AlarmRow: Sendable, Hashable {
    public var name: String
    public var queue: String
    public var status: AlarmStatus

    public init(name: String, queue: String, status: AlarmStatus) {
        self.name = name
        self.queue = queue
        self.status = status
    }
}

/// What one stats poll produced: readouts per queue, every alarm, and the alarm changes since
/// the previous poll.
public struct MonitorReport: Sendable, Hashable {
    /// When the numbers were read, on the backend's clock.
    public var at: Timestamp
    /// Readouts in queue order.
    public var readouts: [QueueReadout]
    public var alarms: [AlarmRow]
    public var transitions: [AlarmTransition]

    public init(at: Timestamp, readouts: [QueueReadout], alarms: [AlarmRow] = [], transitions: [AlarmTransition] = []) {
        self.at = at
        self.readouts = readouts
        self.alarms = alarms
        self.transitions = transitions
    }
}
