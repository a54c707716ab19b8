import Foundation
import GRDB
import SluiceCore

/// Bookkeeping for redrives on a remote backend (SQS), where a move is two calls: send to the
/// destination, then delete from the DLQ. The store records each phase in its own transaction,
/// so a resumed job deletes what was already sent instead of sending it again; a crash can
/// duplicate at most the batch whose send was not yet recorded, and never loses a message.
extension Store {
    /// An item of a job with its index and state.
    public struct JobItem: Sendable, Hashable {
        public var index: Int
        public var item: PlanItem
        /// `pending`, `sent`, `moved`, `discarded`, `gone` or `failed`.
        public var state: String
        public var newMessageId: String?
    }

    /// Items `fromIndex ..< fromIndex + count` with their states.
    public func jobItems(job: String, from index: Int, count: Int) throws -> [JobItem] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM redrive_items WHERE job_id = ? AND idx >= ? AND idx < ? ORDER BY idx"),
                             arguments: [job, index, index + count]).map {
                JobItem(index: $0["idx"], item: Store.planItem($0), state: $0["state"], newMessageId: $0["new_message_id"])
            }
        }
    }

    /// Phase one: these items were sent to the destination (new ids known). Journalled before
    /// anything is deleted from the DLQ.
    public func recordSent(job: String, sent: [(index: Int, oldId: String, newId: String)], actor: String = Store.currentActor) throws {
        guard !sent.isEmpty else { return }
        try write { db in
            let mark = try db.cachedStatement(sql: "UPDATE redrive_items SET state = 'sent', new_message_id = ? WHERE job_id = ? AND idx = ?")
            for s in sent { try mark.execute(arguments: [s.newId, job, s.index]) }
            try appendJournal(db, action: "redrive.sent", subject: job,
                              details: ["sent": sent.map { "\($0.oldId)>\($0.newId)" }.joined(separator: " ")], actor: actor)
        }
    }

    /// Phase two: the batch's final outcome. Items, progress and the journal advance together.
    public func recordRemoteBatch(job: String, fromIndex: Int, count: Int, outcome: BatchOutcome, actor: String = Store.currentActor) throws {
        let now = clock.now().millis
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT next_index, dlq, destination FROM redrive_jobs WHERE id = ?", arguments: [job]) else {
                throw SluiceError.notFound("redrive job '\(job)' does not exist")
            }
            guard (row["next_index"] as Int) == fromIndex else {
                throw SluiceError.conflict("redrive job \(job) moved on (next item \(row["next_index"] as Int), expected \(fromIndex))", fix: "another process is running it; stop one of them")
            }
            let byId = try Dictionary(
                Row.fetchAll(db, sql: "SELECT idx, message_id FROM redrive_items WHERE job_id = ? AND idx >= ? AND idx < ?", arguments: [job, fromIndex, fromIndex + count])
                    .map { ($0["message_id"] as String, $0["idx"] as Int) }, uniquingKeysWith: { a, _ in a })
            let mark = try db.cachedStatement(sql: "UPDATE redrive_items SET state = ?, new_message_id = COALESCE(?, new_message_id) WHERE job_id = ? AND idx = ?")
            for m in outcome.moved { if let i = byId[m.oldId] { try mark.execute(arguments: ["moved", m.newId, job, i]) } }
            for id in outcome.discarded { if let i = byId[id] { try mark.execute(arguments: ["discarded", nil, job, i]) } }
            for id in outcome.gone { if let i = byId[id] { try mark.execute(arguments: ["gone", nil, job, i]) } }
            for f in outcome.failed { if let i = byId[f.messageId] { try mark.execute(arguments: ["failed", nil, job, i]) } }
            try db.execute(sql: """
                UPDATE redrive_jobs SET next_index = ?, moved = moved + ?, discarded = discarded + ?, gone = gone + ?, failed = failed + ?,
                    batches = batches + 1, updated_at = ? WHERE id = ?
                """, arguments: [fromIndex + count, outcome.moved.count, outcome.discarded.count, outcome.gone.count, outcome.failed.count, now, job])
            var details: [String: String] = ["batch": String(outcome.index), "dlq": row["dlq"], "destination": row["destination"]]
            if !outcome.moved.isEmpty { details["moved"] = outcome.moved.map { "\($0.oldId)>\($0.newId)" }.joined(separator: " ") }
            if !outcome.discarded.isEmpty { details["discarded"] = outcome.discarded.joined(separator: " ") }
            if !outcome.gone.isEmpty { details["gone"] = outcome.gone.joined(separator: " ") }
            if !outcome.failed.isEmpty { details["failed"] = outcome.failed.map { "\($0.messageId): \($0.reason)" }.joined(separator: "; ") }
            try appendJournal(db, action: "redrive.batch", subject: job, details: details, actor: actor)
        }
    }
}
