import Foundation
import GRDB
import SluiceCore

extension Store {
    /// The OS user, who every journal entry names.
    public static var currentActor: String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid-\(getuid())"
    }

    /// Appends an entry to the journal in its own transaction.
    @discardableResult
    public func appendJournal(action: String, subject: String, details: [String: String], actor: String = Store.currentActor) throws -> JournalEntry {
        try write { db in try appendJournal(db, action: action, subject: subject, details: details, actor: actor) }
    }

    /// Appends an entry inside the caller's transaction, so it commits or rolls back with the change it records.
    @discardableResult
    func appendJournal(_ db: Database, action: String, subject: String, details: [String: String], actor: String = Store.currentActor) throws -> JournalEntry {
        let now = clock.now().millis
        let json = Store.encodeDetails(details)
        try db.cachedStatement(sql: "INSERT INTO journal(at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [now, actor, action, subject, json])
        return JournalEntry(seq: db.lastInsertedRowID, at: Timestamp(millis: now), actor: actor, action: action, subject: subject, details: details)
    }

    /// Journal entries at or after `since`, oldest first, at most `limit`.
    public func journal(since: Timestamp? = nil, limit: Int = 10_000) throws -> [JournalEntry] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM journal WHERE at >= ? ORDER BY seq LIMIT ?", arguments: [since?.millis ?? Int64.min, limit])
            return rows.map { row in
                JournalEntry(seq: row["seq"], at: Timestamp(millis: row["at"]), actor: row["actor"], action: row["action"],
                             subject: row["subject"], details: Store.decodeDetails(row["details"]))
            }
        }
    }

    /// Tries to change a journal row; the store refuses. Exposed so tests prove the refusal.
    public func attemptJournalRewrite(seq: Int64) throws {
        try write { db in try db.execute(sql: "UPDATE journal SET subject = 'tampered' WHERE seq = ?", arguments: [seq]) }
    }

    /// Tries to delete a journal row; the store refuses.
    public func attemptJournalDelete(seq: Int64) throws {
        try write { db in try db.execute(sql: "DELETE FROM journal WHERE seq = ?", arguments: [seq]) }
    }

    static func encodeDetails(_ details: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(details)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decodeDetails(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? ["raw": text]
    }
}
