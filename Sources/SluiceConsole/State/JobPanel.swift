import SluiceCore

/// A redrive job started from this console, as the progress screen and the dashboard show it.
public struct JobPanel: Sendable, Hashable {
    public var jobId: String
    public var dlq: String
    public var destination: String
    public var runbookId: String
    public var batchSize: Int
    public var batchCount: Int
    /// The latest numbers.
    public var progress: RedriveProgress
    /// When the next jittered batch starts (backend clock), while waiting.
    public var nextBatchAt: Timestamp?
    /// The jitter drawn for that wait.
    public var jitter: TimeSpan?
    /// The guards as last evaluated.
    public var guards: GuardReport?
    /// The guard texts from the plan, shown before the first evaluation.
    public var guardTexts: [String]
    /// The most recent batch.
    public var lastBatch: BatchOutcome?
    /// Why the run failed, when it threw (the job is then interrupted and resumable).
    public var failure: String?

    /// A panel for a job just confirmed.
    public init(plan: RedrivePlan, at now: Timestamp) {
        jobId = plan.jobId
        dlq = plan.dlq
        destination = plan.destination
        runbookId = plan.runbookId
        batchSize = plan.limits.batchSize
        batchCount = plan.batchCount
        guardTexts = plan.guards.map(\.description)
        progress = RedriveProgress(jobId: plan.jobId, dlq: plan.dlq, destination: plan.destination, state: .planned,
                                   total: plan.items.count, skipped: plan.skipCount, updatedAt: now)
    }

    /// Whether the job still runs in this console (running or paused).
    public var isActive: Bool { !progress.state.isFinal && progress.state != .interrupted && failure == nil }

    /// Applies an engine event.
    public mutating func apply(_ event: RedriveEvent) {
        switch event {
        case .started(let p), .paused(let p), .resumed(let p):
            progress = p
            nextBatchAt = nil
        case .waiting(let until, let jitter):
            nextBatchAt = until
            self.jitter = jitter
        case .batch(let p, let outcome):
            progress = p
            lastBatch = outcome
            nextBatchAt = nil
        case .guardReport(let report):
            guards = report
        case .finished(let p):
            progress = p
            nextBatchAt = nil
        }
    }
}
