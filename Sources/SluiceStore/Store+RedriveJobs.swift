import Foundation
import GRDB
import SluiceCore

/// A redrive job as the store keeps it.
public struct RedriveJobRecord: Sendable, Hashable {
    /// The plan without its items (they live in their own table; see ``Store/redriveItems(job:from:limit:)``).
    public var plan: RedrivePlan
    public var progress: RedriveProgress
    /// The root-cause acknowledgement the operator typed.
    public var ack: String?
    public var actor: String
    /// Index of the next item to run.
    public var nextIndex: Int
}

extension Store {
    /// Persists a confirmed plan as a job in state `planned`, and journals it with the operator's acknowledgement.
    public func createRedriveJob(_ plan: RedrivePlan, ack: String?, actor: String = Store.currentActor) throws {
        var summary = plan
        summary.items = []
        let planJSON = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        let now = clock.now().millis
        try write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM redrive_jobs WHERE id = ?", arguments: [plan.jobId]) != nil {
                throw SluiceError.conflict("redrive job \(plan.jobId) already exists")
            }
            try db.execute(sql: """
                INSERT INTO redrive_jobs(id, dlq, destination, state, plan, actor, ack, created_at, updated_at, total, skipped)
                VALUES (?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [plan.jobId, plan.dlq, plan.destination, planJSON, actor, ack, now, now, plan.items.count, plan.skipCount])
            let insert = try db.cachedStatement(sql: "INSERT INTO redrive_items(job_id, idx, message_id, error_type, sent_at, strategy) VALUES (?, ?, ?, ?, ?, ?)")
            for (index, item) in plan.items.enumerated() {
                try insert.execute(arguments: [plan.jobId, index, item.messageId, item.errorType, item.sentAt.millis, item.strategy.rawValue])
            }
            var details: [String: String] = [
                "dlq": plan.dlq, "destination": plan.destination, "runbook": plan.runbookId,
                "move": String(plan.moveCount), "discard": String(plan.discardCount), "skip": String(plan.skipCount),
                "over_limit": String(plan.overLimit), "batch_size": String(plan.limits.batchSize),
                "max_rate": String(plan.limits.maxRate), "filter": plan.effectiveFilter.summary,
                "counts": plan.counts.map { "\($0.errorType):\($0.strategy.rawValue)=\($0.count)" }.joined(separator: ","),
            ]
            if let ack { details["root_cause"] = ack }
            try appendJournal(db, action: "redrive.plan", subject: plan.jobId, details: details, actor: actor)
        }
    }

    /// A job by id.
    /// - Throws: `notFound` naming the recent jobs.
    public func redriveJob(_ id: String) throws -> RedriveJobRecord {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM redrive_jobs WHERE id = ?", arguments: [id]) else {
                let recent = try String.fetchAll(db, sql: "SELECT id FROM redrive_jobs ORDER BY created_at DESC LIMIT 5")
                throw SluiceError.notFound("redrive job '\(id)' does not exist",
                                           fix: recent.isEmpty ? "there are no redrive jobs in this store" : "recent jobs: \(recent.joined(separator: ", "))")
            }
            return try jobRecord(db, row)
        }
    }

    /// A job's progress alone: what a runner reports after every batch, without decoding the plan.
    public func redriveProgress(_ id: String) throws -> RedriveProgress {
        try read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT id, dlq, destination, state, total, moved, discarded, gone, failed, skipped, batches, reason, updated_at
                FROM redrive_jobs WHERE id = ?
                """), arguments: [id]) else {
                throw SluiceError.notFound("redrive job '\(id)' does not exist")
            }
            return try progress(db, row)
        }
    }

    /// Every job, newest first.
    public func redriveJobs(limit: Int = 100) throws -> [RedriveJobRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM redrive_jobs ORDER BY created_at DESC, id LIMIT ?", arguments: [limit]).map { try jobRecord(db, $0) }
        }
    }

    private func jobRecord(_ db: Database, _ row: Row) throws -> RedriveJobRecord {
        let plan = try JSONDecoder().decode(RedrivePlan.self, from: Data((row["plan"] as String).utf8))
        return RedriveJobRecord(plan: plan, progress: try progress(db, row), ack: row["ack"], actor: row["actor"], nextIndex: row["next_index"])
    }

    private func progress(_ db: Database, _ row: Row) throws -> RedriveProgress {
        let dlqId = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM queues WHERE name = ?"), arguments: [row["dlq"] as String])
        let returned = try dlqId.map {
            try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM messages WHERE lineage_job = ? AND queue_id = ?"), arguments: [row["id"] as String, $0]) ?? 0
        } ?? 0
        let progress = RedriveProgress(
            jobId: row["id"], dlq: row["dlq"], destination: row["destination"],
            state: RedriveJobState(rawValue: row["state"]) ?? .interrupted, total: row["total"], moved: row["moved"],
            discarded: row["discarded"], gone: row["gone"], failed: row["failed"], skipped: row["skipped"], batches: row["batches"],
            returned: returned, reason: row["reason"], updatedAt: Timestamp(millis: row["updated_at"]))
        return progress
    }

    /// Items of a job from `index` on, in order.
    public func redriveItems(job: String, from index: Int, limit: Int) throws -> [PlanItem] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM redrive_items WHERE job_id = ? AND idx >= ? ORDER BY idx LIMIT ?"),
                             arguments: [job, index, limit]).map(Store.planItem)
        }
    }

    static func planItem(_ row: Row) -> PlanItem {
        PlanItem(messageId: row["message_id"], errorType: row["error_type"], sentAt: Timestamp(millis: row["sent_at"]),
                 strategy: RedriveStrategy(rawValue: row["strategy"]) ?? .skip)
    }

    /// Moves a job to a new state and journals why.
    public func setRedriveState(_ id: String, _ state: RedriveJobState, reason: String?, actor: String = Store.currentActor) throws {
        let now = clock.now().millis
        try write { db in
            try db.execute(sql: "UPDATE redrive_jobs SET state = ?, reason = ?, updated_at = ? WHERE id = ?", arguments: [state.rawValue, reason, now, id])
            guard db.changesCount == 1 else { throw SluiceError.notFound("redrive job '\(id)' does not exist") }
            var details = ["state": state.rawValue]
            if let reason { details["reason"] = reason }
            try appendJournal(db, action: "redrive.\(state.rawValue)", subject: id, details: details, actor: actor)
            if state.isFinal {
                try db.execute(sql: "DELETE FROM redrive_leases WHERE job_id = ?", arguments: [id])
            }
        }
    }

    /// Redriven messages of a job that are back in its DLQ.
    public func returnedCount(job: String, dlq: String) throws -> Int {
        try read { db in
            let q = try queueRow(db, named: dlq)
            return try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM messages WHERE lineage_job = ? AND queue_id = ?"), arguments: [job, q.id]) ?? 0
        }
    }

    /// The DLQ's matching messages without bodies, oldest first: what a plan freezes.
    public func planCandidates(dlq: String, filter: MessageFilter, limit: Int) throws -> [PlanCandidate] {
        try filter.validate()
        let now = clock.now().millis
        return try read { db in
            let q = try queueRow(db, named: dlq)
            guard let (lo, hi) = window(filter, queue: q, now: now) else { return [] }
            var sql = "SELECT seq, COALESCE(error_type, 'Unknown') AS t, sent_at FROM messages WHERE queue_id = ? AND sent_at BETWEEN ? AND ?"
            var arguments: StatementArguments = [q.id, lo, hi]
            let types = filter.errorTypes.sorted()
            if !types.isEmpty {
                let column = q.isDLQ ? "facet = 1 AND error_type" : "COALESCE(error_type, 'Unknown')"
                sql += " AND \(column) IN (\(types.map { _ in "?" }.joined(separator: ",")))"
                for t in types { arguments += [t] }
            }
            sql += " ORDER BY sent_at, seq LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                PlanCandidate(messageId: identity.messageId(seq: $0["seq"]), errorType: $0["t"], sentAt: Timestamp(millis: $0["sent_at"]))
            }
        }
    }
}

extension MessageFilter {
    /// One line for the journal: `types=Timeout,Throttled min_age=5m max_age=3d`.
    public var summary: String {
        var parts: [String] = []
        parts.append("types=" + (errorTypes.isEmpty ? "*" : errorTypes.sorted().joined(separator: ",")))
        if let minAge { parts.append("min_age=\(minAge)") }
        if let maxAge { parts.append("max_age=\(maxAge)") }
        return parts.joined(separator: " ")
    }
}
