import SluiceCore
import SluiceStore

/// The worker's idempotency records, one round per invocation rather than per record.
///
/// An invocation claims every record's key when it starts, with the in-progress expiry at the
/// invocation's deadline (Powertools sets it to the function's remaining time), and saves its
/// COMPLETED records when it ends, times out or dies: records that finished before a timeout or
/// crash count as saved. The one simplification: between a record finishing and its invocation
/// ending (a second or so), a concurrent duplicate sees INPROGRESS instead of COMPLETED, so it is
/// retried instead of skipped at once — never processed twice.
///
/// The store answers one key per call today; these helpers are where batch calls go.
extension DrillSession {
    func claimAll(_ keys: [String], ttl: TimeSpan) throws -> [IdempotencyClaim] {
        guard !keys.isEmpty else { return [] }
        call("idempotency_claim")
        return try keys.map { try store.claimIdempotency(key: $0, inProgressTTL: ttl) }
    }

    func completeAll(_ keys: [String], ttl: TimeSpan) throws {
        guard !keys.isEmpty else { return }
        call("idempotency_complete")
        for key in keys { try store.completeIdempotency(key: key, result: nil, ttl: ttl) }
    }

    func releaseAll(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        call("idempotency_release")
        for key in keys { try store.releaseIdempotency(key: key) }
    }

    /// Saves what an invocation's finished records owe the idempotency store: COMPLETED for
    /// successes, deletion of the claim for failures, and — when it stopped early without being
    /// killed — the claims of records it never reached.
    func settleIdempotency(_ inv: inout Invocation, releaseUnreached: Bool) throws {
        let worker = drill.workers[inv.worker]
        guard worker.idempotency else { return }
        var completes: [String] = [], releases: [String] = []
        for i in inv.records.indices where inv.records[i].claimed {
            guard let key = inv.records[i].key else { continue }
            switch inv.records[i].outcome {
            case .succeeded where i < inv.next: completes.append(MessageLedger.keyName(key))
            case .failed where i < inv.next: releases.append(MessageLedger.keyName(key))
            case .pending where releaseUnreached: releases.append(MessageLedger.keyName(key))
            default: continue
            }
            inv.records[i].claimed = false
        }
        try completeAll(completes, ttl: worker.idempotencyTTL)
        try releaseAll(releases)
    }
}
