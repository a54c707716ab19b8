import SluiceCore
import SluiceStore

/// The worker's idempotency records, with Powertools' timing: a record's key is claimed when the
/// handler reaches it (in-progress until the function's deadline) and saved COMPLETED — or its
/// claim deleted on failure — when the record ends.
///
/// Records run back to back, so one record's end and the next one's claim happen at the same
/// virtual instant; ``idempotencyStep(settle:claim:ttl:)`` does both together. The store answers
/// one key per call today (two calls); a store call that takes both in one transaction halves
/// the drill's idempotency traffic without changing what any record sees.
extension DrillSession {
    /// What a finished record owes the idempotency store.
    struct Settlement {
        var key: String
        var completed: Bool
    }

    /// Settles the previous record and claims the next one's key.
    /// - Returns: the claim, when `claim` was given.
    func idempotencyStep(settle: Settlement?, claim: String?, worker: DrillWorker, deadline: Int64) throws -> IdempotencyClaim? {
        if let settle {
            call(settle.completed ? "idempotency_complete" : "idempotency_release")
            if settle.completed {
                try store.completeIdempotency(key: settle.key, result: nil, ttl: worker.idempotencyTTL)
            } else {
                try store.releaseIdempotency(key: settle.key)
            }
        }
        guard let claim else { return nil }
        call("idempotency_claim")
        return try store.claimIdempotency(key: claim, inProgressTTL: TimeSpan(millis: max(1, deadline - now)))
    }
}
