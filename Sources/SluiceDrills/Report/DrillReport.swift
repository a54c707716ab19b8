import SluiceCore

/// What a drill run produced: counts, what is left in the DLQs, the alarm timeline, redrives,
/// and which expectations held. Same drill and seed, same report.
public struct DrillReport: Sendable, Hashable, Codable {
    public var drill: String
    public var title: String
    public var seed: UInt64
    public var durationMs: Int64
    /// Every ``DrillCounter`` by name.
    public var counters: [String: Int]
    /// What each DLQ holds at the end, by error type.
    public var dlqContents: [String: [String: Int]]
    /// Every queue at the end, sorted by name.
    public var queues: [QueueEnd]
    public var alarms: [AlarmChange]
    /// Each alarm's state at the end, by name.
    public var finalAlarmStates: [String: String]
    public var redrives: [RedriveSummary]
    /// Send-to-side-effect latency per queue (where the message was first sent).
    public var latencies: [String: LatencySummary]
    public var expectations: [ExpectationResult]
    /// Up to 20 lost keys, for a first look.
    public var lostKeys: [String]
    /// Fingerprint of the end state (queue contents, counters, alarm states, redrive outcomes):
    /// what `drill replay` compares.
    public var endDigest: String
    /// Fingerprint of every trace line.
    public var traceDigest: String
    public var traceLines: Int

    /// Whether every expectation held.
    public var passed: Bool { expectations.allSatisfy(\.passed) }

    /// How many expectations did not hold.
    public var failedCount: Int { expectations.filter { !$0.passed }.count }

    /// A counter's value.
    public func count(_ counter: DrillCounter) -> Int { counters[counter.name] ?? 0 }

    /// One queue at the end of the drill.
    public struct QueueEnd: Sendable, Hashable, Codable {
        public var name: String
        public var visible: Int
        public var inFlight: Int
        public var delayed: Int
        public var peakDepth: Int
        public var peakOldestMs: Int64
    }

    /// One alarm state change, at drill time.
    public struct AlarmChange: Sendable, Hashable, Codable {
        public var atMs: Int64
        public var name: String
        public var from: String
        public var to: String
        public var severity: String
        public var reason: String
    }
}

/// A redrive an operator step started.
public struct RedriveSummary: Sendable, Hashable, Codable {
    public var runbook: String
    public var dlq: String
    public var jobId = ""
    public var startedAtMs: Int64
    public var endedAtMs: Int64?
    /// A ``RedriveJobState`` raw value, or `refused` when no plan could be made.
    public var state = "planned"
    public var planned = 0
    public var plannedMoves = 0
    public var plannedDiscards = 0
    public var skipped = 0
    public var moved = 0
    public var discarded = 0
    public var returned = 0
    public var batches = 0
    /// Times one of the runbook's guards paused it.
    public var guardPauses = 0
    public var reason: String?

    init(runbook: String, dlq: String, startedAtMs: Int64) {
        self.runbook = runbook
        self.dlq = dlq
        self.startedAtMs = startedAtMs
    }
}

/// Latency percentiles of one queue's messages, in milliseconds.
public struct LatencySummary: Sendable, Hashable, Codable {
    public var count: Int
    public var p50Ms: Int64
    public var p99Ms: Int64
    public var maxMs: Int64

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Int64], _ p: Double) -> Int64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}

/// Whether one expectation held, and what was seen.
public struct ExpectationResult: Sendable, Hashable, Codable {
    /// The expectation in words: `alarm orders-dlq-not-empty fires within 10m`.
    public var expectation: String
    /// The drill file line it was written on (0 when built in code).
    public var line: Int
    public var passed: Bool
    /// What was seen: `fired at 7m10s`, `lost = 3 (m12, m40, m41)`.
    public var detail: String
}
