import SluiceCore
import SluiceStore

/// The worker's idempotency records, with Powertools' timing: a record's key is claimed when the
/// handler reaches it (in-progress until the function's deadline) and saved COMPLETED — or its
/// claim deleted on failure — when the record ends.
///
/// Records run back to back, so one record's end and the next one's claim happen at the same
/// virtual instant: ``settle(_:)`` then ``claim(_:deadline:)``. The store answers one key per
/// call today (two calls); a store call that takes both in one transaction halves the drill's
/// idempotency traffic without changing what any record sees.
extension DrillSession {
    /// What a finished record owes the idempotency store.
    struct Settlement {
        var key: String
        var completed: Bool
    }

    /// Saves the invocation's finished record as COMPLETED, or deletes its claim when it failed;
    /// nothing when no record is owed.
    func settle(_ inv: inout Invocation) throws {
        guard let settlement = inv.settlement else { return }
        call(settlement.completed ? "idempotency_complete" : "idempotency_release")
        if settlement.completed {
            try store.completeIdempotency(key: settlement.key, result: nil, ttl: drill.workers[inv.worker].idempotencyTTL)
        } else {
            try store.releaseIdempotency(key: settlement.key)
        }
        inv.settlement = nil
    }

    /// Claims a record's key, in progress until the invocation's `deadline`.
    func claim(_ key: String, deadline: Int64) throws -> IdempotencyClaim {
        call("idempotency_claim")
        return try store.claimIdempotency(key: key, inProgressTTL: TimeSpan(millis: max(1, deadline - now)))
    }
}
