import Foundation
import GRDB
import SluiceCore

/// What a conditional claim of an idempotency key found.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The caller holds the key now and must run, then ``Store/completeIdempotency(key:result:ttl:)``
    /// or ``Store/releaseIdempotency(key:)``. `tookOver` when an expired in-progress claim was taken.
    case claimed(tookOver: Bool)
    /// Someone else is running it; their claim expires at the given time.
    case alreadyInProgress(until: Timestamp)
    /// It ran already; here is the stored result.
    case completed(result: [UInt8]?)
}

extension Store {
    /// Claims `key` if nobody holds it or the previous record expired ("put if not exists or expired").
    ///
    /// - Parameters:
    ///   - inProgressTTL: how long the claim protects the key before another caller may take it over
    ///     (a crashed worker's claim must not block the key forever).
    public func claimIdempotency(key: String, inProgressTTL: TimeSpan) throws -> IdempotencyClaim {
        guard !key.isEmpty, key.utf8.count <= 1024 else {
            throw SluiceError.badInput("idempotency key must be 1-1024 bytes")
        }
        let now = clock.now().millis
        return try write { db in
            if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, result, expires_at FROM idempotency WHERE key = ?"), arguments: [key]) {
                let expiresAt: Int64 = row["expires_at"]
                let status: String = row["status"]
                if expiresAt > now {
                    if status == "COMPLETED" { return .completed(result: (row["result"] as Data?).map { [UInt8]($0) }) }
                    return .alreadyInProgress(until: Timestamp(millis: expiresAt))
                }
                try db.cachedStatement(sql: "UPDATE idempotency SET status = 'INPROGRESS', result = NULL, expires_at = ?, updated_at = ? WHERE key = ?")
                    .execute(arguments: [now + inProgressTTL.millis, now, key])
                return .claimed(tookOver: status == "INPROGRESS")
            }
            try db.cachedStatement(sql: "INSERT INTO idempotency(key, status, expires_at, updated_at) VALUES (?, 'INPROGRESS', ?, ?)")
                .execute(arguments: [key, now + inProgressTTL.millis, now])
            return .claimed(tookOver: false)
        }
    }

    /// Marks a claimed key completed with its result, kept for `ttl`.
    public func completeIdempotency(key: String, result: [UInt8]?, ttl: TimeSpan) throws {
        let now = clock.now().millis
        try write { db in
            try db.cachedStatement(sql: "UPDATE idempotency SET status = 'COMPLETED', result = ?, expires_at = ?, updated_at = ? WHERE key = ?")
                .execute(arguments: [result.map { Data($0) }, now + ttl.millis, now, key])
            if db.changesCount == 0 {
                throw SluiceError.notFound("idempotency key '\(key)' was not claimed", fix: "claim it before completing it")
            }
        }
    }

    /// Releases a claim after a failed run, so a retry can claim the key again.
    public func releaseIdempotency(key: String) throws {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM idempotency WHERE key = ? AND status = 'INPROGRESS'").execute(arguments: [key])
        }
    }

    /// Removes expired idempotency records; returns how many.
    @discardableResult
    public func purgeExpiredIdempotency() throws -> Int {
        let now = clock.now().millis
        return try write { db in
            try db.execute(sql: "DELETE FROM idempotency WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }
}
