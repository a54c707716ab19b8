import SluiceCore
import SluiceStore

/// Where a redrive's messages physically move: the embedded store (one transaction per batch,
/// exactly once) or SQS (send, journal, then delete: at least once).
///
/// Jobs, items, progress and the journal always live in the local ``Store``; the target moves
/// messages and records each batch's outcome there.
public protocol RedriveTarget: Sendable {
    /// The DLQ's matching messages without bodies, oldest first, for the plan to freeze.
    func candidates(dlq: String, filter: MessageFilter, limit: Int) async throws -> [PlanCandidate]
    /// Runs items `fromIndex ..< fromIndex + count` of a job and records the outcome in the store.
    func runBatch(job: String, fromIndex: Int, count: Int) async throws -> BatchOutcome
    /// Redriven messages of a job that are back in the DLQ; nil when the backend cannot tell
    /// cheaply (SQS), which makes a `returned_ratio` guard report "unknown".
    func returned(job: String, dlq: String) async throws -> Int?
    /// The plan was confirmed and saved: hold its items, let go of everything else.
    func frozen(plan: RedrivePlan) async throws
    /// Called once when a run ends, whatever the outcome (SQS releases its scan lease here).
    func finish(job: String) async
    /// What the plan should tell the operator about the last ``candidates(dlq:filter:limit:)``
    /// (SQS: messages a lost receive may have hidden from the scan).
    func candidateNotes() async -> [String]
}

extension RedriveTarget {
    public func frozen(plan: RedrivePlan) async throws {}
    public func candidateNotes() async -> [String] { [] }
}

/// The embedded store as a redrive target.
public struct LocalRedriveTarget: RedriveTarget {
    public let store: Store

    public init(store: Store) { self.store = store }

    public func candidates(dlq: String, filter: MessageFilter, limit: Int) async throws -> [PlanCandidate] {
        try store.planCandidates(dlq: dlq, filter: filter, limit: limit)
    }

    public func runBatch(job: String, fromIndex: Int, count: Int) async throws -> BatchOutcome {
        try store.executeLocalBatch(job: job, fromIndex: fromIndex, count: count)
    }

    public func returned(job: String, dlq: String) async throws -> Int? {
        try store.returnedCount(job: job, dlq: dlq)
    }

    public func finish(job: String) async {}
}
