import Foundation
import GRDB
import SluiceCore

/// A queue's row, as the store's operations need it.
struct QueueRow: Sendable {
    let id: Int64
    let spec: QueueSpec
    let isDLQ: Bool
    let dlqId: Int64?

    var visibility: TimeSpan { spec.visibilityTimeout }
}

extension Store {
    /// Creates a queue.
    /// - Throws: `conflict` when the name is taken, `notFound` when its DLQ does not exist,
    ///   `badInput` on an invalid spec.
    @discardableResult
    public func createQueue(_ spec: QueueSpec) throws -> QueueInfo {
        try spec.validate()
        let now = clock.now().millis
        return try write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM queues WHERE name = ?", arguments: [spec.name]) != nil {
                throw SluiceError.conflict("queue '\(spec.name)' already exists", fix: "pick another name, or use the existing queue")
            }
            if let policy = spec.redrivePolicy {
                guard let dlq = try Row.fetchOne(db, sql: "SELECT id, is_dlq FROM queues WHERE name = ?", arguments: [policy.deadLetterQueue]) else {
                    throw SluiceError.notFound("dead-letter queue '\(policy.deadLetterQueue)' does not exist", fix: "create it first: sluice queue create \(policy.deadLetterQueue)")
                }
                let dlqId: Int64 = dlq["id"]
                if (dlq["is_dlq"] as Int64) == 0 {
                    try markAsDeadLetterQueue(db, queueId: dlqId)
                }
            }
            try db.execute(sql: """
                INSERT INTO queues(name, visibility_ms, retention_ms, delay_ms, dlq_name, max_receive_count, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [spec.name, spec.visibilityTimeout.millis, spec.retention.millis, spec.delay.millis,
                                 spec.redrivePolicy?.deadLetterQueue, spec.redrivePolicy?.maxReceiveCount, now])
            try appendJournal(db, action: "queue.create", subject: spec.name, details: ["spec": spec.summary])
            return QueueInfo(spec: spec, deadLetterSources: try sources(db, of: spec.name))
        }
    }

    /// A queue becomes a DLQ: its messages join the facet index, with their error types classified.
    private func markAsDeadLetterQueue(_ db: Database, queueId: Int64) throws {
        try db.execute(sql: "UPDATE queues SET is_dlq = 1 WHERE id = ?", arguments: [queueId])
        let rows = try Row.fetchAll(db, sql: "SELECT seq, attrs, body, error_type FROM messages WHERE queue_id = ?", arguments: [queueId])
        for row in rows {
            var type: String? = row["error_type"]
            var message: String? = nil
            if type == nil {
                let attrs = AttributeCodec.decode((row["attrs"] as Data?).map { [UInt8]($0) })
                (type, message) = classifier.classify(attributes: attrs, body: [UInt8](row["body"] as Data))
            }
            try db.execute(sql: "UPDATE messages SET facet = 1, error_type = ?, error_message = COALESCE(error_message, ?) WHERE seq = ?",
                           arguments: [type, message, row["seq"] as Int64])
        }
    }

    /// Deletes a queue and its messages.
    /// - Throws: `notFound`, or `refused` when another queue still dead-letters into it.
    public func deleteQueue(named name: String) throws {
        try write { db in
            let row = try queueRow(db, named: name)
            let users = try sources(db, of: name)
            if !users.isEmpty {
                throw SluiceError.refused("queue '\(name)' is the DLQ of \(users.joined(separator: ", "))", fix: "delete those queues first")
            }
            let depth = try Int.fetchOne(db, sql: "SELECT depth FROM queues WHERE id = ?", arguments: [row.id]) ?? 0
            try db.execute(sql: "DELETE FROM messages WHERE queue_id = ?", arguments: [row.id])
            try db.execute(sql: "DELETE FROM facet_buckets WHERE queue_id = ?", arguments: [row.id])
            try db.execute(sql: "DELETE FROM queues WHERE id = ?", arguments: [row.id])
            try appendJournal(db, action: "queue.delete", subject: name, details: ["messages_deleted": String(depth)])
        }
    }

    /// Every queue, sorted by name.
    public func listQueues() throws -> [QueueInfo] {
        try read { db in
            let statement = try RawStatement(db, "SELECT \(Store.queueColumns) FROM queues q ORDER BY q.name")
            var specs: [QueueSpec] = []
            try statement.rows { raw in
                specs.append(Store.spec(from: raw))
                return true
            }
            var sourcesByDLQ: [String: [String]] = [:]
            for spec in specs {
                if let dlq = spec.redrivePolicy?.deadLetterQueue { sourcesByDLQ[dlq, default: []].append(spec.name) }
            }
            return specs.map { QueueInfo(spec: $0, deadLetterSources: sourcesByDLQ[$0.name] ?? []) }
        }
    }

    func sources(_ db: Database, of name: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM queues WHERE dlq_name = ? ORDER BY name", arguments: [name])
    }

    /// The columns of a queue row, in the order ``spec(from:)`` reads them (then `id`, `is_dlq`).
    static let queueColumns = "q.name, q.visibility_ms, q.retention_ms, q.delay_ms, q.dlq_name, q.max_receive_count, q.id, q.is_dlq"

    /// A queue's spec from a row of ``queueColumns``.
    static func spec(from raw: RawStatement) -> QueueSpec {
        var policy: RedrivePolicy? = nil
        if let dlq = raw.string(4), let max = raw.optionalInt64(5) {
            policy = RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: Int(max))
        }
        return QueueSpec(name: raw.string(0) ?? "", visibilityTimeout: .milliseconds(raw.int64(1)), retention: .milliseconds(raw.int64(2)),
                         delay: .milliseconds(raw.int64(3)), redrivePolicy: policy)
    }

    /// The named queue's row.
    /// - Throws: `notFound` naming the known queues.
    func queueRow(_ db: Database, named name: String) throws -> QueueRow {
        let statement = try RawStatement(db, "SELECT \(Store.queueColumns), d.id FROM queues q LEFT JOIN queues d ON d.name = q.dlq_name WHERE q.name = ?")
        statement.bind(1, name)
        let found = try statement.first { raw in
            QueueRow(id: raw.int64(6), spec: Store.spec(from: raw), isDLQ: raw.int64(7) != 0, dlqId: raw.optionalInt64(8))
        }
        guard let found else {
            let known = try String.fetchAll(db, sql: "SELECT name FROM queues ORDER BY name LIMIT 12")
            throw SluiceError.notFound(
                "queue '\(name)' does not exist",
                fix: known.isEmpty ? "create it with 'sluice queue create \(name)'" : "known queues: \(known.joined(separator: ", "))"
            )
        }
        return found
    }
}

extension QueueSpec {
    /// One line for the journal and `queue list`.
    var summary: String {
        var parts = ["visibility=\(visibilityTimeout)", "retention=\(retention)"]
        if delay > .zero { parts.append("delay=\(delay)") }
        if let policy = redrivePolicy { parts.append("dlq=\(policy.deadLetterQueue) maxReceiveCount=\(policy.maxReceiveCount)") }
        return parts.joined(separator: " ")
    }
}
