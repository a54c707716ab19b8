/// One message the plan froze, with what will happen to it.
public struct PlanItem: Sendable, Hashable, Codable {
    /// The message id in the DLQ when the plan was made.
    public var messageId: String
    public var errorType: String
    public var sentAt: Timestamp
    /// `requeue`, `retryLater` or `discard` (skipped messages are counted, not frozen).
    public var strategy: RedriveStrategy

    public init(messageId: String, errorType: String, sentAt: Timestamp, strategy: RedriveStrategy) {
        self.messageId = messageId
        self.errorType = errorType
        self.sentAt = sentAt
        self.strategy = strategy
    }
}

/// A DLQ message as the planner sees it: no body, so a plan over a million messages stays small.
public struct PlanCandidate: Sendable, Hashable, Codable {
    public var messageId: String
    public var errorType: String
    public var sentAt: Timestamp

    public init(messageId: String, errorType: String, sentAt: Timestamp) {
        self.messageId = messageId
        self.errorType = errorType
        self.sentAt = sentAt
    }
}

/// Count of one error type under one strategy.
public struct StrategyCount: Sendable, Hashable, Codable {
    public var errorType: String
    public var strategy: RedriveStrategy
    public var count: Int

    public init(errorType: String, strategy: RedriveStrategy, count: Int) {
        self.errorType = errorType
        self.strategy = strategy
        self.count = count
    }
}

/// One bar of the plan's age histogram (age since first send).
public struct AgeBucket: Sendable, Hashable, Codable {
    public var label: String
    public var count: Int

    public init(label: String, count: Int) {
        self.label = label
        self.count = count
    }
}

/// A frozen redrive: exactly which messages move, which are discarded, which stay, and how fast.
///
/// Messages that arrive in the DLQ after the plan was made are never swept in: the engine works
/// only on ``items``.
public struct RedrivePlan: Sendable, Hashable, Codable {
    public var jobId: String
    public var dlq: String
    /// Where moved messages go: the source queue from the redrive policy, or the runbook's destination.
    public var destination: String
    public var runbookId: String
    public var runbookTitle: String
    public var runbookPath: String
    public var createdAt: Timestamp
    /// What the operator asked for.
    public var operatorFilter: MessageFilter
    /// What the runbook narrowed it to.
    public var effectiveFilter: MessageFilter
    /// Batch size, jitter, rate and message cap after clamping.
    public var limits: RunbookLimits
    /// The delay `retry-later` messages get.
    public var retryDelay: TimeSpan
    /// The frozen selection, oldest first.
    public var items: [PlanItem]
    /// Counts by error type and strategy, including skipped ones.
    public var counts: [StrategyCount]
    public var ageHistogram: [AgeBucket]
    /// Messages that matched and would move or be discarded, but are over `maxMessages`: left for a later run.
    public var overLimit: Int
    /// Checked before every batch (copied from the runbook, so a resumed job keeps them).
    public var guards: [RunbookGuard]
    /// Whether the operator must type what was fixed.
    public var requiresRootCauseAck: Bool
    /// Plain-language notes (e.g. where lineage lives on SQS).
    public var notes: [String]

    public init(jobId: String, dlq: String, destination: String, runbookId: String, runbookTitle: String, runbookPath: String,
                createdAt: Timestamp, operatorFilter: MessageFilter, effectiveFilter: MessageFilter, limits: RunbookLimits,
                retryDelay: TimeSpan, items: [PlanItem], counts: [StrategyCount], ageHistogram: [AgeBucket], overLimit: Int,
                guards: [RunbookGuard], requiresRootCauseAck: Bool, notes: [String]) {
        self.jobId = jobId
        self.dlq = dlq
        self.destination = destination
        self.runbookId = runbookId
        self.runbookTitle = runbookTitle
        self.runbookPath = runbookPath
        self.createdAt = createdAt
        self.operatorFilter = operatorFilter
        self.effectiveFilter = effectiveFilter
        self.limits = limits
        self.retryDelay = retryDelay
        self.items = items
        self.counts = counts
        self.ageHistogram = ageHistogram
        self.overLimit = overLimit
        self.guards = guards
        self.requiresRootCauseAck = requiresRootCauseAck
        self.notes = notes
    }

    /// Messages that will be moved back (requeue and retry-later).
    public var moveCount: Int { items.lazy.filter { $0.strategy.moves }.count }
    /// Messages that will be deleted.
    public var discardCount: Int { items.lazy.filter { $0.strategy == .discard }.count }
    /// Matching messages that stay in the DLQ (skip, or no strategy).
    public var skipCount: Int { counts.filter { $0.strategy == .skip }.reduce(0) { $0 + $1.count } }
    /// Batches the engine will run.
    public var batchCount: Int { (items.count + limits.batchSize - 1) / limits.batchSize }

    /// The expected duration: the gap between batches is the larger of the mean jitter and what the rate allows.
    public var estimatedDuration: TimeSpan {
        guard batchCount > 1 else { return .zero }
        let meanJitter = Double(limits.jitter.lowerBound.millis + limits.jitter.upperBound.millis) / 2
        let rateGap = limits.maxRate > 0 ? Double(limits.batchSize) / limits.maxRate * 1000 : 0
        return TimeSpan(millis: Int64(Double(batchCount - 1) * max(meanJitter, rateGap)))
    }
}
