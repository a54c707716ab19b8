import Foundation
import GRDB
import SluiceCore

extension Store {
    /// Runs one batch of a job on the embedded store, in ONE transaction: the messages move (or
    /// are deleted), the items and the job's progress advance, and the journal records the ids.
    /// A crash at any instant leaves either none or all of it, so nothing is lost or duplicated.
    ///
    /// - Parameters:
    ///   - fromIndex: must equal the job's `nextIndex`, or another runner progressed it (`conflict`).
    ///   - count: items in this batch.
    /// - Returns: what happened to each item.
    public func executeLocalBatch(job jobId: String, fromIndex: Int, count: Int, actor: String = Store.currentActor) throws -> BatchOutcome {
        let now = clock.now().millis
        return try write { db in
            guard let job = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM redrive_jobs WHERE id = ?"), arguments: [jobId]) else {
                throw SluiceError.notFound("redrive job '\(jobId)' does not exist")
            }
            guard (job["next_index"] as Int) == fromIndex else {
                throw SluiceError.conflict("redrive job \(jobId) moved on (next item \(job["next_index"] as Int), expected \(fromIndex))", fix: "another process is running it; stop one of them")
            }
            let state = RedriveJobState(rawValue: job["state"]) ?? .interrupted
            guard state == .running else {
                throw SluiceError.conflict("redrive job \(jobId) is \(state.rawValue), not running")
            }
            // The plan is decoded only when an item needs its retry delay (retry-later).
            var retryDelay: Int64?
            func planRetryDelay() throws -> Int64 {
                if let retryDelay { return retryDelay }
                let plan = try JSONDecoder().decode(RedrivePlan.self, from: Data((job["plan"] as String).utf8))
                retryDelay = plan.retryDelay.millis
                return plan.retryDelay.millis
            }
            let dlq = try queueRow(db, named: job["dlq"])
            let destination = try queueRow(db, named: job["destination"])
            let items = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM redrive_items WHERE job_id = ? AND idx >= ? AND idx < ? ORDER BY idx"),
                                         arguments: [jobId, fromIndex, fromIndex + count])
            let findRow = try RawStatement(db, "SELECT queue_id, body, attrs, sent_at, group_id FROM messages WHERE seq = ?")
            let deleteRow = try RawStatement(db, "DELETE FROM messages WHERE seq = ?")
            let markItem = try RawStatement(db, "UPDATE redrive_items SET state = ?, new_message_id = ? WHERE job_id = ? AND idx = ?")
            let insert = try RawStatement(db, """
                INSERT INTO messages(queue_id, body, attrs, sent_at, visible_at, error_type, error_message, group_id, dedup_id, facet, lineage_job)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
                """)
            func mark(_ index: Int, _ state: String, _ newId: String?) throws {
                markItem.bind(1, state)
                markItem.bind(2, newId)
                markItem.bind(3, jobId)
                markItem.bind(4, Int64(index))
                try markItem.run()
            }
            var outcome = BatchOutcome(index: job["batches"], startedAt: Timestamp(millis: now), endedAt: Timestamp(millis: now))
            for itemRow in items {
                let item = Store.planItem(itemRow)
                let index: Int = itemRow["idx"]
                struct Found { var body: [UInt8]; var attrs: [UInt8]?; var sentAt: Int64; var groupId: String? }
                let seq = identity.seq(fromMessageId: item.messageId)
                var found: Found?
                if let seq {
                    findRow.bind(1, seq)
                    found = try findRow.first { raw in
                        raw.int64(0) == dlq.id ? Found(body: raw.bytes(1) ?? [], attrs: raw.bytes(2), sentAt: raw.int64(3), groupId: raw.string(4)) : nil
                    }
                }
                guard let row = found, let seq else {
                    outcome.gone.append(item.messageId)
                    try mark(index, "gone", nil)
                    continue
                }
                if item.strategy == .discard {
                    deleteRow.bind(1, seq)
                    try deleteRow.run()
                    outcome.discarded.append(item.messageId)
                    try mark(index, "discarded", nil)
                    continue
                }
                var attributes = AttributeCodec.decode(row.attrs)
                let previous = Lineage(attributes: attributes)
                let lineage = Lineage(
                    originalMessageId: previous?.originalMessageId ?? item.messageId,
                    originalSentAt: previous?.originalSentAt ?? Timestamp(millis: row.sentAt),
                    jobId: jobId,
                    redriveCount: (previous?.redriveCount ?? 0) + 1)
                attributes.merge(lineage.attributes) { _, new in new }
                var errorType: String? = nil, errorMessage: String? = nil
                if destination.isDLQ { (errorType, errorMessage) = classifier.classify(attributes: attributes, body: row.body) }
                let delay = item.strategy == .retryLater ? try planRetryDelay() : 0
                insert.bind(1, destination.id)
                insert.bind(2, bytes: row.body)
                insert.bind(3, bytes: AttributeCodec.encode(attributes))
                insert.bind(4, now)
                insert.bind(5, now + delay)
                insert.bind(6, errorType)
                insert.bind(7, errorMessage)
                insert.bind(8, row.groupId)
                insert.bind(9, destination.isDLQ ? 1 : 0)
                insert.bind(10, jobId)
                try insert.run()
                let newId = identity.messageId(seq: db.lastInsertedRowID)
                deleteRow.bind(1, seq)
                try deleteRow.run()
                outcome.moved.append(MovedMessage(oldId: item.messageId, newId: newId))
                try mark(index, "moved", newId)
            }
            let left = outcome.moved.count + outcome.discarded.count
            if left > 0 {
                try db.execute(sql: "UPDATE queues SET depth = depth - ?, deleted = deleted + ? WHERE id = ?", arguments: [left, left, dlq.id])
            }
            if !outcome.moved.isEmpty {
                try db.execute(sql: "UPDATE queues SET depth = depth + ?, sent = sent + ? WHERE id = ?", arguments: [outcome.moved.count, outcome.moved.count, destination.id])
            }
            try db.execute(sql: """
                UPDATE redrive_jobs SET next_index = ?, moved = moved + ?, discarded = discarded + ?, gone = gone + ?,
                    batches = batches + 1, updated_at = ? WHERE id = ?
                """, arguments: [fromIndex + items.count, outcome.moved.count, outcome.discarded.count, outcome.gone.count, now, jobId])
            var details: [String: String] = ["batch": String(outcome.index), "dlq": dlq.spec.name, "destination": destination.spec.name]
            if !outcome.moved.isEmpty { details["moved"] = outcome.moved.map { "\($0.oldId)>\($0.newId)" }.joined(separator: " ") }
            if !outcome.discarded.isEmpty { details["discarded"] = outcome.discarded.joined(separator: " ") }
            if !outcome.gone.isEmpty { details["gone"] = outcome.gone.joined(separator: " ") }
            try appendJournal(db, action: "redrive.batch", subject: jobId, details: details, actor: actor)
            return outcome
        }
    }

    /// Takes (or renews) the lease that lets one job at a time redrive a DLQ.
    ///
    /// Granted when nobody holds it, the holder's lease expired, the holder is this same `holder`,
    /// or the holder was a process on this machine that no longer exists (a `kill -9`'d redrive).
    /// - Throws: `conflict` naming the job that holds it.
    public func acquireRedriveLease(dlq: String, job: String, holder: String, ttl: TimeSpan) throws {
        let now = clock.now().millis
        try write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM redrive_leases WHERE dlq = ?", arguments: [dlq]) {
                let owner: String = row["holder"]
                let live = (row["expires_at"] as Int64) > now && owner != holder && Store.holderIsAlive(owner)
                if live {
                    throw SluiceError.conflict(
                        "DLQ '\(dlq)' is being redriven by job \(row["job_id"] as String) (\(owner))",
                        fix: "wait for it to finish, or pause/abort it first; two redrives of one DLQ never run at once")
                }
            }
            try db.execute(sql: """
                INSERT INTO redrive_leases(dlq, job_id, holder, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(dlq) DO UPDATE SET job_id = excluded.job_id, holder = excluded.holder, expires_at = excluded.expires_at
                """, arguments: [dlq, job, holder, now + ttl.millis])
        }
    }

    /// Releases a lease this holder has.
    public func releaseRedriveLease(dlq: String, holder: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM redrive_leases WHERE dlq = ? AND holder = ?", arguments: [dlq, holder])
        }
    }

    /// A lease holder name for this process: `user@host pid N #token`.
    public static func makeLeaseHolder() -> String {
        "\(currentActor)@\(ProcessInfo.processInfo.hostName) pid \(getpid()) #\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Whether a holder on this host is still running (holders on other hosts count as alive).
    static func holderIsAlive(_ holder: String) -> Bool {
        let host = ProcessInfo.processInfo.hostName
        guard holder.contains("@\(host) pid "),
              let pidText = holder.split(separator: " ").dropFirst().first(where: { Int32($0) != nil }),
              let pid = Int32(pidText)
        else { return true }
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
