import Foundation
import GRDB
import SluiceCore

extension Store {
    static let bucketMillis: Int64 = 60_000

    /// Counts a queue's messages by error type within a filter.
    ///
    /// Whole minutes inside the age window come from the trigger-maintained `facet_buckets`;
    /// only the two partial minutes at the window's edges are counted row by row.
    public func facets(of queue: String, filter: MessageFilter) throws -> FacetCounts {
        try filter.validate()
        let now = clock.now().millis
        return try read { db in
            let q = try queueRow(db, named: queue)
            guard let (lo, hi) = window(filter, queue: q, now: now) else { return FacetCounts(counts: [:]) }
            var counts: [String: Int] = [:]
            let size = Store.bucketMillis
            let firstFull = lo.dividedRoundingUp(by: size)
            let lastFull = (hi + 1).floorDiv(size) - 1
            if q.isDLQ && firstFull <= lastFull {
                let rows = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT error_type, SUM(n) AS n FROM facet_buckets
                    WHERE queue_id = ? AND bucket BETWEEN ? AND ? GROUP BY error_type
                    """), arguments: [q.id, firstFull, lastFull])
                for row in rows { counts[row["error_type"], default: 0] += row["n"] as Int }
                try countRows(db, queue: q, from: lo, to: firstFull * size - 1, into: &counts)
                try countRows(db, queue: q, from: (lastFull + 1) * size, to: hi, into: &counts)
            } else {
                try countRows(db, queue: q, from: lo, to: hi, into: &counts)
            }
            if !filter.errorTypes.isEmpty {
                counts = counts.filter { filter.errorTypes.contains($0.key) }
            }
            return FacetCounts(counts: counts)
        }
    }

    private func countRows(_ db: Database, queue q: QueueRow, from lo: Int64, to hi: Int64, into counts: inout [String: Int]) throws {
        guard lo <= hi else { return }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT COALESCE(error_type, 'Unknown') AS t, COUNT(*) AS n FROM messages INDEXED BY messages_sent
            WHERE queue_id = ? AND sent_at BETWEEN ? AND ? GROUP BY t
            """), arguments: [q.id, lo, hi])
        for row in rows { counts[row["t"], default: 0] += row["n"] as Int }
    }

    /// The inclusive `sent_at` window of a filter, clipped to what retention has not removed.
    func window(_ filter: MessageFilter, queue q: QueueRow, now: Int64) -> (Int64, Int64)? {
        let (lower, upper) = filter.sentBounds(at: Timestamp(millis: now))
        let lo = Swift.max(lower, now - q.spec.retention.millis + 1)
        return lo <= upper ? (lo, upper) : nil
    }

    /// A page of a queue's messages under a filter, oldest first, keyset-paged by (send time, id).
    /// - Parameters:
    ///   - cursor: the `nextCursor` of the previous page, or nil for the first.
    ///   - limit: 1 to 1000 messages.
    public func page(of queue: String, filter: MessageFilter, after cursor: String?, limit: Int) throws -> MessagePage {
        try filter.validate()
        guard (1...1000).contains(limit) else {
            throw SluiceError.badInput("--limit \(limit) is out of range", fix: "use 1 to 1000")
        }
        var after: (Int64, Int64) = (Int64.min, Int64.min)
        if let cursor {
            let parts = cursor.split(separator: ":")
            guard parts.count == 2, let s = Int64(parts[0]), let r = Int64(parts[1]) else {
                throw SluiceError.badInput("page cursor '\(cursor)' is not valid", fix: "pass the cursor printed by the previous page")
            }
            after = (s, r)
        }
        let now = clock.now().millis
        return try read { db in
            let q = try queueRow(db, named: queue)
            guard let (lo, hi) = window(filter, queue: q, now: now) else { return MessagePage(messages: [], nextCursor: nil) }
            var sql = "SELECT \(Store.messageColumns) FROM messages WHERE queue_id = ? AND sent_at BETWEEN ? AND ? AND (sent_at, seq) > (?, ?)"
            var arguments: StatementArguments = [q.id, lo, hi, after.0, after.1]
            let types = filter.errorTypes.sorted()
            if !types.isEmpty {
                // DLQ rows always carry an error type, so the partial facet index answers a
                // type filter; other queues' rows may have none, which counts as Unknown.
                let column = q.isDLQ ? "facet = 1 AND error_type" : "COALESCE(error_type, 'Unknown')"
                sql += " AND \(column) IN (\(types.map { _ in "?" }.joined(separator: ",")))"
                for t in types { arguments += [t] }
            }
            sql += " ORDER BY sent_at, seq LIMIT ?"
            arguments += [limit + 1]
            let statement = try RawStatement(db, sql)
            try statement.statement.setArguments(arguments)
            var messages: [QueueMessage] = []
            var seqs: [Int64] = []
            try statement.rows { raw in
                messages.append(message(from: raw, queueName: q.spec.name))
                seqs.append(raw.int64(0))
                return true
            }
            var next: String? = nil
            if messages.count > limit {
                messages.removeLast(messages.count - limit)
                next = "\(messages[limit - 1].sentAt.millis):\(seqs[limit - 1])"
            }
            return MessagePage(messages: messages, nextCursor: next)
        }
    }

    /// One message of a queue by id, or nil.
    public func message(in queue: String, id: String) throws -> QueueMessage? {
        try read { db in
            let q = try queueRow(db, named: queue)
            guard let seq = identity.seq(fromMessageId: id),
                  let m = try loadMessage(db, seq: seq, queueName: q.spec.name)
            else { return nil }
            let row = try Int64.fetchOne(db, sql: "SELECT queue_id FROM messages WHERE seq = ?", arguments: [seq])
            return row == q.id ? m : nil
        }
    }

    /// Current numbers for the named queues (all when nil).
    ///
    /// Reads counters and index ranges only: a few index probes per queue, whatever its depth.
    public func stats(for names: [String]? = nil) throws -> [QueueStats] {
        let now = clock.now().millis
        return try read { db in
            let all = try String.fetchAll(db, sql: "SELECT name FROM queues ORDER BY name")
            let wanted = names ?? all
            return try wanted.map { name in
                let q = try queueRow(db, named: name)
                let counters = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM queues WHERE id = ?"), arguments: [q.id])!
                let cutoff = now - q.spec.retention.millis
                let expiredPending = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM messages WHERE queue_id = ? AND sent_at <= ?"), arguments: [q.id, cutoff]) ?? 0
                var inFlight = 0, delayed = 0
                let hidden = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT receive_count > 0 AS received, COUNT(*) AS n FROM messages INDEXED BY messages_visible
                    WHERE queue_id = ? AND visible_at > ? AND sent_at > ? GROUP BY 1
                    """), arguments: [q.id, now, cutoff])
                for row in hidden {
                    if (row["received"] as Int) != 0 { inFlight = row["n"] } else { delayed = row["n"] }
                }
                let depth: Int = counters["depth"]
                let visible = Swift.max(0, depth - expiredPending - inFlight - delayed)
                let oldest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MIN(sent_at) FROM messages WHERE queue_id = ? AND sent_at > ?"), arguments: [q.id, cutoff])
                return QueueStats(
                    queue: name, at: Timestamp(millis: now), visible: visible, inFlight: inFlight, delayed: delayed,
                    oldestAge: oldest.map { TimeSpan(millis: now - $0) },
                    counters: QueueCounters(
                        sent: counters["sent"], received: counters["received"], deleted: counters["deleted"],
                        failed: counters["failed"], deadLettered: counters["dead_lettered"], expired: counters["expired"]
                    )
                )
            }
        }
    }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }

    func dividedRoundingUp(by d: Int64) -> Int64 {
        -((-self).floorDiv(d))
    }
}

extension Store {
    /// The plain indexed `GROUP BY error_type` over the age window, without the minute buckets:
    /// the peer the benchmark compares ``facets(of:filter:)`` with. Not for production use.
    public func plainFacetCountForBenchmark(of queue: String, filter: MessageFilter) throws -> [String: Int] {
        let now = clock.now().millis
        return try read { db in
            let q = try queueRow(db, named: queue)
            guard let (lo, hi) = window(filter, queue: q, now: now) else { return [:] }
            let rows = try Row.fetchAll(db, sql: """
                SELECT error_type, COUNT(*) AS n FROM messages INDEXED BY messages_facet
                WHERE queue_id = ? AND facet = 1 AND sent_at BETWEEN ? AND ? GROUP BY error_type
                """, arguments: [q.id, lo, hi])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["error_type"] as String? ?? "Unknown", $0["n"] as Int) })
        }
    }
}
