import GRDB
import SluiceCore

extension Store {
    /// How long per-minute queue activity is kept.
    public static let activityRetention = TimeSpan.days(1)

    /// The queues' recent past, one snapshot per queue per whole minute since `since`, oldest
    /// first, rebuilt from the per-minute activity the store keeps (Schema v3): counters and
    /// depth at the end of each minute. The store cannot know the past split between visible,
    /// in-flight and delayed, nor past oldest ages, so a snapshot carries the whole depth as
    /// visible and no oldest age (an alarm on oldest age sees those minutes as missing data).
    ///
    /// Feed the result to a `Monitor` before live samples so alarms that need five minutes of
    /// data have them the moment a console or a command-line redrive starts.
    public func activityHistory(since: Timestamp) throws -> [[QueueStats]] {
        let now = clock.now().millis
        let currentMinute = now / 60_000
        let firstMinute = max(since.millis / 60_000, currentMinute - Store.activityRetention.millis / 60_000)
        guard firstMinute < currentMinute else { return [] }
        return try pool.read { db in
            struct Totals { var depth: Int64; var counters: QueueCounters }
            var totals: [Int64: (name: String, createdAt: Int64, totals: Totals)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name, created_at, depth, sent, received, deleted, failed, dead_lettered, expired FROM queues") {
                totals[row["id"]] = (row["name"], row["created_at"], Totals(depth: row["depth"], counters: QueueCounters(
                    sent: row["sent"], received: row["received"], deleted: row["deleted"], failed: row["failed"],
                    deadLettered: row["dead_lettered"], expired: row["expired"])))
            }
            // Walk back from now: the state at the end of minute m is today's minus every change after m.
            let rows = try Row.fetchAll(db, sql: """
                SELECT queue_id, minute, depth, sent, received, deleted, failed, dead_lettered, expired
                FROM queue_minutes WHERE minute >= ? ORDER BY minute DESC
                """, arguments: [firstMinute])
            var byMinute: [Int64: [Int64: Row]] = [:]
            for row in rows { byMinute[row["minute"], default: [:]][row["queue_id"]] = row }
            var snapshots: [[QueueStats]] = []
            var minute = currentMinute
            while minute > firstMinute {
                // Undo minute `minute`'s changes to get the state at the end of `minute - 1`.
                for (queueId, row) in byMinute[minute] ?? [:] {
                    guard var entry = totals[queueId] else { continue }
                    entry.totals.depth -= row["depth"] as Int64
                    entry.totals.counters.sent -= row["sent"] as Int64
                    entry.totals.counters.received -= row["received"] as Int64
                    entry.totals.counters.deleted -= row["deleted"] as Int64
                    entry.totals.counters.failed -= row["failed"] as Int64
                    entry.totals.counters.deadLettered -= row["dead_lettered"] as Int64
                    entry.totals.counters.expired -= row["expired"] as Int64
                    totals[queueId] = entry
                }
                minute -= 1
                let at = Timestamp(millis: (minute + 1) * 60_000 - 1)
                snapshots.append(totals.values.filter { $0.createdAt <= at.millis }.sorted { $0.name < $1.name }.map { entry in
                    QueueStats(queue: entry.name, at: at, visible: Int(max(0, entry.totals.depth)), inFlight: 0, delayed: 0,
                               oldestAge: nil, counters: entry.totals.counters)
                })
            }
            return snapshots.reversed()
        }
    }

    /// Drops activity older than ``activityRetention``.
    func pruneActivity() throws {
        let cutoff = (clock.now() - Store.activityRetention).millis / 60_000
        try pool.write { db in
            try db.execute(sql: "DELETE FROM queue_minutes WHERE minute < ?", arguments: [cutoff])
        }
    }
}
