/// Where a redrive job is in its life.
public enum RedriveJobState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Planned and confirmed, not started.
    case planned
    case running
    /// Paused by the operator or a guard; resumes in the same process.
    case paused
    /// Stopped between batches (SIGHUP, process exit) or found abandoned; resumable.
    case interrupted
    case completed
    /// Stopped by a guard or the operator; not resumable.
    case aborted
    /// Cancelled by the operator before finishing; not resumable.
    case cancelled

    /// Whether `sluice redrive --resume` may continue it.
    public var isResumable: Bool { [.planned, .running, .paused, .interrupted].contains(self) }
    /// Whether it has ended for good.
    public var isFinal: Bool { [.completed, .aborted, .cancelled].contains(self) }
}

/// A job's numbers, as the progress view and `--json` show them.
public struct RedriveProgress: Sendable, Hashable, Codable {
    public var jobId: String
    public var dlq: String
    public var destination: String
    public var state: RedriveJobState
    /// Messages in the frozen selection.
    public var total: Int
    public var moved: Int
    public var discarded: Int
    /// Selected messages no longer in the DLQ when their batch ran (expired, deleted, moved by someone else).
    public var gone: Int
    /// Entries that failed (SQS per-entry errors); they stay in the DLQ.
    public var failed: Int
    /// Matching messages the plan left in the DLQ (skip strategy).
    public var skipped: Int
    public var batches: Int
    /// Redriven messages of this job that are back in the DLQ.
    public var returned: Int
    /// Why it paused, aborted or was interrupted, when it did.
    public var reason: String?
    public var updatedAt: Timestamp

    public init(jobId: String, dlq: String, destination: String, state: RedriveJobState, total: Int, moved: Int = 0, discarded: Int = 0,
                gone: Int = 0, failed: Int = 0, skipped: Int = 0, batches: Int = 0, returned: Int = 0, reason: String? = nil, updatedAt: Timestamp) {
        self.jobId = jobId
        self.dlq = dlq
        self.destination = destination
        self.state = state
        self.total = total
        self.moved = moved
        self.discarded = discarded
        self.gone = gone
        self.failed = failed
        self.skipped = skipped
        self.batches = batches
        self.returned = returned
        self.reason = reason
        self.updatedAt = updatedAt
    }

    /// Items handled so far, whatever their outcome.
    public var done: Int { moved + discarded + gone + failed }
    /// 0...1.
    public var fraction: Double { total == 0 ? 1 : Double(done) / Double(total) }
    /// Redriven messages that came back, over messages moved.
    public var returnedRatio: Double { moved == 0 ? 0 : Double(returned) / Double(moved) }
    /// "N of T to go", as a job starts or resumes.
    public var toGo: String { "\(total - done) of \(total) to go" }
    /// How a job ended: its counts, then the reason when there is one.
    public var outcomeSummary: String {
        "moved \(moved), discarded \(discarded), gone \(gone), failed \(failed) of \(total)" + (reason.map { " — \($0)" } ?? "")
    }
}

/// What the engine reports while it runs.
public enum RedriveEvent: Sendable, Hashable {
    case started(RedriveProgress)
    /// The next batch starts at the given time (after jitter and rate pacing).
    case waiting(until: Timestamp, jitter: TimeSpan)
    case batch(RedriveProgress, BatchOutcome)
    case guardReport(GuardReport)
    case paused(RedriveProgress)
    case resumed(RedriveProgress)
    case finished(RedriveProgress)
}

/// The result of one batch.
public struct BatchOutcome: Sendable, Hashable, Codable {
    public var index: Int
    /// Old id → new id of moved messages.
    public var moved: [MovedMessage]
    public var discarded: [String]
    public var gone: [String]
    public var failed: [FailedItem]
    public var startedAt: Timestamp
    public var endedAt: Timestamp

    public init(index: Int, moved: [MovedMessage] = [], discarded: [String] = [], gone: [String] = [], failed: [FailedItem] = [], startedAt: Timestamp, endedAt: Timestamp) {
        self.index = index
        self.moved = moved
        self.discarded = discarded
        self.gone = gone
        self.failed = failed
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    public var size: Int { moved.count + discarded.count + gone.count + failed.count }
}

/// A moved message's old and new ids.
public struct MovedMessage: Sendable, Hashable, Codable {
    public var oldId: String
    public var newId: String
    public init(oldId: String, newId: String) {
        self.oldId = oldId
        self.newId = newId
    }
}

/// An item that failed and stayed in the DLQ.
public struct FailedItem: Sendable, Hashable, Codable {
    public var messageId: String
    public var reason: String
    public init(messageId: String, reason: String) {
        self.messageId = messageId
        self.reason = reason
    }
}
