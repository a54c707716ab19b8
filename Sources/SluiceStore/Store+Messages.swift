import Foundation
import GRDB
import SluiceCore

extension Store {
    /// Sends up to 10 entries to a queue; each entry succeeds or fails on its own.
    ///
    /// - Throws: `badInput` for an empty batch, more than 10 entries or repeated entry ids
    ///   (nothing is sent); `notFound` for an unknown queue.
    public func send(to queue: String, entries: [SendEntry]) throws -> [BatchEntryResult] {
        try Store.checkBatch(entries.map(\.entryId), queue: queue, what: "send")
        let now = clock.now().millis
        return try write { db in
            let q = try queueRow(db, named: queue)
            let insert = try RawStatement(db, """
                INSERT INTO messages(queue_id, body, attrs, sent_at, visible_at, error_type, error_message, group_id, dedup_id, facet)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var results: [BatchEntryResult] = []
            results.reserveCapacity(entries.count)
            var sent = 0
            for entry in entries {
                if let problem = Store.problem(with: entry, queue: q.spec) {
                    results.append(BatchEntryResult(entryId: entry.entryId, error: problem))
                    continue
                }
                var errorType: String? = nil, errorMessage: String? = nil
                if q.isDLQ {
                    (errorType, errorMessage) = classifier.classify(attributes: entry.attributes, body: entry.body)
                }
                let delay = entry.delay ?? q.spec.delay
                insert.bind(1, q.id)
                insert.bind(2, bytes: entry.body)
                insert.bind(3, bytes: AttributeCodec.encode(entry.attributes))
                insert.bind(4, now)
                insert.bind(5, now + delay.millis)
                insert.bind(6, errorType)
                insert.bind(7, errorMessage)
                insert.bind(8, entry.groupId)
                insert.bind(9, entry.deduplicationId)
                insert.bind(10, q.isDLQ ? 1 : 0)
                try insert.run()
                results.append(BatchEntryResult(entryId: entry.entryId, messageId: identity.messageId(seq: db.lastInsertedRowID)))
                sent += 1
            }
            if sent > 0 {
                try db.cachedStatement(sql: "UPDATE queues SET depth = depth + ?, sent = sent + ? WHERE id = ?")
                    .execute(arguments: [sent, sent, q.id])
            }
            return results
        }
    }

    /// Sends one message and returns its id.
    /// - Throws: the entry's error when it fails.
    @discardableResult
    public func send(to queue: String, body: [UInt8], attributes: [String: MessageAttribute] = [:], delay: TimeSpan? = nil, groupId: String? = nil) throws -> String {
        let result = try send(to: queue, entries: [SendEntry(entryId: "0", body: body, attributes: attributes, delay: delay, groupId: groupId)])[0]
        if let error = result.error { throw error }
        return result.messageId!
    }

    static func checkBatch(_ entryIds: [String], queue: String, what: String) throws {
        guard !entryIds.isEmpty else {
            throw SluiceError.badInput("\(what) to '\(queue)': the batch is empty", fix: "pass 1 to \(QueueLimits.maxBatchEntries) entries")
        }
        guard entryIds.count <= QueueLimits.maxBatchEntries else {
            throw SluiceError.badInput("\(what) to '\(queue)': a batch of \(entryIds.count) entries is too large", fix: "split it into batches of at most \(QueueLimits.maxBatchEntries)")
        }
        guard Set(entryIds).count == entryIds.count else {
            throw SluiceError.badInput("\(what) to '\(queue)': entry ids repeat within the batch", fix: "give every entry a distinct id")
        }
    }

    static func problem(with entry: SendEntry, queue: QueueSpec) -> SluiceError? {
        if entry.body.isEmpty {
            return .badInput("entry '\(entry.entryId)': the body is empty", fix: "send at least one byte")
        }
        if entry.body.count > QueueLimits.maxBodyBytes {
            return .badInput("entry '\(entry.entryId)': the body is \(entry.body.count) bytes, over the 1 MiB (1048576 bytes) limit", fix: "shrink the body or store it elsewhere and send a reference")
        }
        if entry.attributes.count > QueueLimits.maxAttributes {
            return .badInput("entry '\(entry.entryId)': \(entry.attributes.count) message attributes, more than \(QueueLimits.maxAttributes)", fix: "drop or merge attributes")
        }
        for (name, value) in entry.attributes {
            let base = value.dataType.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            guard ["String", "Number", "Binary"].contains(base) else {
                return .badInput("entry '\(entry.entryId)': attribute '\(name)' has data type '\(value.dataType)'", fix: "use String, Number or Binary")
            }
            if name.isEmpty || name.count > 256 {
                return .badInput("entry '\(entry.entryId)': attribute name '\(name.prefix(40))' must be 1-256 characters")
            }
        }
        if let delay = entry.delay, delay < .zero || delay > QueueSpec.maxDelay {
            return .badInput("entry '\(entry.entryId)': delay \(delay) is out of range", fix: "use 0s to 15m")
        }
        if queue.isFIFO && (entry.groupId ?? "").isEmpty {
            return .badInput("entry '\(entry.entryId)': FIFO queue '\(queue.name)' needs a message group id")
        }
        return nil
    }

    /// Receives up to `max` messages, hiding each for `visibility` (the queue's default when nil).
    ///
    /// A message already received `maxReceiveCount` times is moved to the DLQ instead of being
    /// delivered, keeping its id, `SentTimestamp` and receive count. Expired messages are removed first.
    public func receive(from queue: String, max: Int = 1, visibility: TimeSpan? = nil) throws -> [QueueMessage] {
        guard (1...QueueLimits.maxBatchEntries).contains(max) else {
            throw SluiceError.badInput("receive from '\(queue)': --max \(max) is out of range", fix: "use 1 to \(QueueLimits.maxBatchEntries)")
        }
        if let visibility, visibility < .zero || visibility > QueueSpec.maxVisibilityTimeout {
            throw SluiceError.badInput("receive from '\(queue)': --visibility \(visibility) is out of range", fix: "use 0s to 12h")
        }
        let now = clock.now().millis
        return try write { db in
            let q = try queueRow(db, named: queue)
            try purgeExpired(db, queue: q, now: now)
            let hide = (visibility ?? q.visibility).millis
            let policy = q.spec.redrivePolicy
            var delivered: [QueueMessage] = []
            var blockedGroups: Set<String> = []
            if q.spec.isFIFO {
                blockedGroups = Set(try String.fetchAll(db, sql: "SELECT DISTINCT group_id FROM messages WHERE queue_id = ? AND visible_at > ? AND receive_count > 0 AND group_id IS NOT NULL", arguments: [q.id, now]))
            }
            let candidatesSQL = q.spec.isFIFO
                ? "SELECT \(Store.messageColumns) FROM messages WHERE queue_id = ? AND visible_at <= ? ORDER BY seq LIMIT ?"
                : "SELECT \(Store.messageColumns) FROM messages WHERE queue_id = ? AND visible_at <= ? ORDER BY visible_at LIMIT ?"
            let candidates = try RawStatement(db, candidatesSQL)
            let deliver = try RawStatement(db, "UPDATE messages SET receive_count = receive_count + 1, first_received_at = COALESCE(first_received_at, ?), visible_at = ? WHERE seq = ?")
            var deadLettered = 0
            var scanned: Set<Int64> = []
            scan: while delivered.count < max {
                candidates.bind(1, q.id)
                candidates.bind(2, now)
                candidates.bind(3, Int64((max - delivered.count) * 2 + scanned.count))
                var batch: [(seq: Int64, message: QueueMessage)] = []
                try candidates.rows { raw in
                    batch.append((raw.int64(0), message(from: raw, queueName: q.spec.name)))
                    return true
                }
                var progressed = false
                for (seq, candidate) in batch {
                    if scanned.contains(seq) { continue }
                    scanned.insert(seq)
                    progressed = true
                    if let policy, let dlqId = q.dlqId, candidate.receiveCount >= policy.maxReceiveCount {
                        try moveToDeadLetterQueue(db, seq: seq, dlqId: dlqId, hasErrorType: candidate.errorType != nil, now: now)
                        deadLettered += 1
                        continue
                    }
                    if q.spec.isFIFO, let group = candidate.groupId {
                        if blockedGroups.contains(group) { continue }
                    }
                    deliver.bind(1, now)
                    deliver.bind(2, now + hide)
                    deliver.bind(3, seq)
                    try deliver.run()
                    var message = candidate
                    message.receiveCount += 1
                    if message.firstReceivedAt == nil { message.firstReceivedAt = Timestamp(millis: now) }
                    message.receiptHandle = identity.receipt(queueId: q.id, seq: seq, receiveCount: message.receiveCount)
                    delivered.append(message)
                    if delivered.count == max { break scan }
                }
                if !progressed || batch.isEmpty { break }
            }
            if deadLettered > 0, let dlqId = q.dlqId {
                try db.execute(sql: "UPDATE queues SET depth = depth - ?, dead_lettered = dead_lettered + ? WHERE id = ?", arguments: [deadLettered, deadLettered, q.id])
                try db.execute(sql: "UPDATE queues SET depth = depth + ? WHERE id = ?", arguments: [deadLettered, dlqId])
            }
            if !delivered.isEmpty {
                try db.cachedStatement(sql: "UPDATE queues SET received = received + ? WHERE id = ?").execute(arguments: [delivered.count, q.id])
            }
            return delivered
        }
    }

    private func moveToDeadLetterQueue(_ db: Database, seq: Int64, dlqId: Int64, hasErrorType: Bool, now: Int64) throws {
        var errorType: String? = nil, errorMessage: String? = nil
        if !hasErrorType {
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT attrs, body FROM messages WHERE seq = ?"), arguments: [seq])!
            (errorType, errorMessage) = classifier.classify(
                attributes: AttributeCodec.decode((row["attrs"] as Data?).map { [UInt8]($0) }),
                body: [UInt8](row["body"] as Data))
        }
        try db.cachedStatement(sql: """
            UPDATE messages SET queue_id = ?, facet = 1, dlq_at = ?, visible_at = ?,
                error_type = COALESCE(error_type, ?), error_message = COALESCE(error_message, ?)
            WHERE seq = ?
            """).execute(arguments: [dlqId, now, now, errorType, errorMessage, seq])
    }

    /// Deletes received messages by receipt handle; a stale or foreign handle fails its entry.
    public func delete(from queue: String, receipts: [String]) throws -> [BatchEntryResult] {
        let ids = receipts.indices.map(String.init)
        try Store.checkBatch(ids, queue: queue, what: "delete")
        let now = clock.now().millis
        return try write { db in
            let q = try queueRow(db, named: queue)
            let fastDelete = try RawStatement(db, "DELETE FROM messages WHERE seq = ? AND queue_id = ? AND receive_count = ?")
            var results: [BatchEntryResult] = []
            var deleted = 0
            for (index, handle) in receipts.enumerated() {
                // The common case in one statement; only a failed delete pays for the diagnosis.
                if let r = identity.parseReceipt(handle), r.queueId == q.id {
                    fastDelete.bind(1, r.seq)
                    fastDelete.bind(2, q.id)
                    fastDelete.bind(3, Int64(r.receiveCount))
                    try fastDelete.run()
                    if db.changesCount == 1 {
                        results.append(BatchEntryResult(entryId: String(index)))
                        deleted += 1
                        continue
                    }
                }
                switch try resolve(db, receipt: handle, queue: q, now: now, requireInFlight: false) {
                case .failure(let error):
                    results.append(BatchEntryResult(entryId: String(index), error: error))
                case .success(let seq):
                    try db.cachedStatement(sql: "DELETE FROM messages WHERE seq = ?").execute(arguments: [seq])
                    results.append(BatchEntryResult(entryId: String(index)))
                    deleted += 1
                }
            }
            if deleted > 0 {
                try db.cachedStatement(sql: "UPDATE queues SET depth = depth - ?, deleted = deleted + ? WHERE id = ?").execute(arguments: [deleted, deleted, q.id])
            }
            return results
        }
    }

    /// Changes how long received messages stay hidden; zero makes them visible now.
    public func changeVisibility(in queue: String, receipts: [String], visibility: TimeSpan) throws -> [BatchEntryResult] {
        let ids = receipts.indices.map(String.init)
        try Store.checkBatch(ids, queue: queue, what: "change-visibility")
        guard visibility >= .zero, visibility <= QueueSpec.maxVisibilityTimeout else {
            throw SluiceError.badInput("change-visibility in '\(queue)': \(visibility) is out of range", fix: "use 0s to 12h")
        }
        let now = clock.now().millis
        return try write { db in
            let q = try queueRow(db, named: queue)
            return try receipts.enumerated().map { index, handle in
                switch try resolve(db, receipt: handle, queue: q, now: now, requireInFlight: true) {
                case .failure(let error):
                    return BatchEntryResult(entryId: String(index), error: error)
                case .success(let seq):
                    try db.cachedStatement(sql: "UPDATE messages SET visible_at = ? WHERE seq = ?").execute(arguments: [now + visibility.millis, seq])
                    return BatchEntryResult(entryId: String(index))
                }
            }
        }
    }

    /// Records a worker's failure verdict on a received message and makes it visible again, so
    /// the redrive policy can dead-letter it; the DLQ then knows why it died.
    public func fail(in queue: String, receipt: String, errorType: String, errorMessage: String?) throws {
        let type = errorType.trimmingCharacters(in: .whitespaces)
        guard !type.isEmpty, type.count <= 64, !type.contains(where: { $0.isNewline }) else {
            throw SluiceError.badInput("--error-type '\(errorType.prefix(80))' must be 1-64 characters on one line", fix: "use a short name such as Timeout or ValidationError")
        }
        let now = clock.now().millis
        try write { db in
            let q = try queueRow(db, named: queue)
            switch try resolve(db, receipt: receipt, queue: q, now: now, requireInFlight: false) {
            case .failure(let error):
                throw error
            case .success(let seq):
                try db.execute(sql: "UPDATE messages SET error_type = ?, error_message = ?, visible_at = ? WHERE seq = ?",
                               arguments: [type, errorMessage.map { String($0.prefix(4096)) }, now, seq])
                try db.execute(sql: "UPDATE queues SET failed = failed + 1 WHERE id = ?", arguments: [q.id])
            }
        }
    }

    /// Finds the row a receipt handle names, if the handle is still the latest receive's.
    private func resolve(_ db: Database, receipt: String, queue q: QueueRow, now: Int64, requireInFlight: Bool) throws -> Result<Int64, SluiceError> {
        guard let parsed = identity.parseReceipt(receipt) else {
            return .failure(.badInput("receipt handle '\(receipt.prefix(60))' is not one this store issued", fix: "copy the handle printed by 'sluice receive \(q.spec.name)'"))
        }
        guard parsed.queueId == q.id else {
            return .failure(.badInput("receipt handle '\(receipt)' belongs to another queue, not '\(q.spec.name)'", fix: "pass the queue the message was received from"))
        }
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT queue_id, receive_count, visible_at FROM messages WHERE seq = ?"), arguments: [parsed.seq])
        guard let row, (row["queue_id"] as Int64) == q.id else {
            return .failure(SluiceError(.staleReceipt, "receipt handle '\(receipt)' is stale: the message is no longer in '\(q.spec.name)' (deleted, expired or dead-lettered)", fix: "nothing to do for this message"))
        }
        guard (row["receive_count"] as Int) == parsed.receiveCount else {
            return .failure(SluiceError(.staleReceipt, "receipt handle '\(receipt)' is stale: the message was received again since", fix: "use the receipt handle of the latest receive"))
        }
        if requireInFlight && (row["visible_at"] as Int64) <= now {
            return .failure(SluiceError(.staleReceipt, "the message of receipt handle '\(receipt)' is not in flight any more (its visibility timeout passed)", fix: "receive it again"))
        }
        return .success(parsed.seq)
    }

    /// Removes messages past their queue's retention; returns how many.
    @discardableResult
    func purgeExpired(_ db: Database, queue q: QueueRow, now: Int64) throws -> Int {
        let cutoff = now - q.spec.retention.millis
        try db.cachedStatement(sql: "DELETE FROM messages WHERE queue_id = ? AND sent_at <= ?").execute(arguments: [q.id, cutoff])
        let removed = db.changesCount
        if removed > 0 {
            try db.execute(sql: "UPDATE queues SET depth = depth - ?, expired = expired + ? WHERE id = ?", arguments: [removed, removed, q.id])
            try db.execute(sql: "DELETE FROM facet_buckets WHERE queue_id = ? AND n <= 0", arguments: [q.id])
        }
        return removed
    }

    /// Removes expired messages from every queue; returns how many.
    @discardableResult
    public func purgeExpired() throws -> Int {
        let now = clock.now().millis
        return try write { db in
            let names = try String.fetchAll(db, sql: "SELECT name FROM queues")
            var total = 0
            for name in names { total += try purgeExpired(db, queue: try queueRow(db, named: name), now: now) }
            return total
        }
    }

    /// The columns every message read selects, in the order ``message(from:queueName:)`` reads them.
    static let messageColumns = "seq, body, attrs, sent_at, receive_count, first_received_at, dlq_at, error_type, error_message, group_id"

    /// Reads one message row.
    func loadMessage(_ db: Database, seq: Int64, queueName: String) throws -> QueueMessage? {
        let statement = try RawStatement(db, "SELECT \(Store.messageColumns) FROM messages WHERE seq = ?")
        statement.bind(1, seq)
        return try statement.first { message(from: $0, queueName: queueName) }
    }

    /// A message from a row of ``messageColumns``.
    func message(from raw: RawStatement, queueName: String) -> QueueMessage {
        QueueMessage(
            id: identity.messageId(seq: raw.int64(0)),
            queue: queueName,
            body: raw.bytes(1) ?? [],
            attributes: AttributeCodec.decode(raw.bytes(2)),
            sentAt: Timestamp(millis: raw.int64(3)),
            receiveCount: Int(raw.int64(4)),
            firstReceivedAt: raw.optionalInt64(5).map(Timestamp.init(millis:)),
            deadLetteredAt: raw.optionalInt64(6).map(Timestamp.init(millis:)),
            errorType: raw.string(7),
            errorMessage: raw.string(8),
            groupId: raw.string(9)
        )
    }
}
