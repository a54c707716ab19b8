import Foundation
import GRDBSQLite

/// The practical limit on this machine: a plain C-API loop over SQLite with the same rows, the
/// same three secondary indexes, WAL and `synchronous=NORMAL`, transactions of 10.
enum RawSQLite {
    static func exec(_ db: OpaquePointer?, _ sql: String) {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &err) != SQLITE_OK {
            fatalError("raw sqlite: \(String(cString: err!)) in \(sql)")
        }
    }

    static func open(_ path: String) -> OpaquePointer? {
        var db: OpaquePointer?
        sqlite3_open(path, &db)
        exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        exec(db, """
            CREATE TABLE m(seq INTEGER PRIMARY KEY, queue_id INTEGER, body BLOB, attrs BLOB, sent_at INTEGER, visible_at INTEGER,
                           receive_count INTEGER DEFAULT 0, error_type TEXT, facet INTEGER DEFAULT 0);
            CREATE INDEX m_visible ON m(queue_id, visible_at, receive_count);
            CREATE INDEX m_sent ON m(queue_id, sent_at);
            CREATE INDEX m_facet ON m(queue_id, error_type, sent_at) WHERE facet = 1;
            """)
        return db
    }

    /// Inserts `count` rows in transactions of `batch`; returns rows per second.
    static func insert(path: String, count: Int, batch: Int, body: [UInt8]) -> Double {
        let db = open(path)
        defer { sqlite3_close(db) }
        var stmt: OpaquePointer?
        sqlite3_prepare_v2(db, "INSERT INTO m(queue_id, body, sent_at, visible_at) VALUES (1, ?, ?, ?)", -1, &stmt, nil)
        defer { sqlite3_finalize(stmt) }
        var now: Int64 = 1_795_600_000_000
        let elapsed = seconds {
            var i = 0
            while i < count {
                exec(db, "BEGIN IMMEDIATE")
                for _ in 0..<min(batch, count - i) {
                    body.withUnsafeBytes { _ = sqlite3_bind_blob(stmt, 1, $0.baseAddress, Int32(body.count), nil) }
                    sqlite3_bind_int64(stmt, 2, now)
                    sqlite3_bind_int64(stmt, 3, now)
                    sqlite3_step(stmt)
                    sqlite3_reset(stmt)
                    now += 1
                    i += 1
                }
                exec(db, "COMMIT")
            }
        }
        return Double(count) / elapsed
    }

    /// Receive-like work: select 10 visible rows, bump their visibility, then delete them; rows per second.
    static func receiveDelete(path: String, count: Int) -> Double {
        var db: OpaquePointer?
        sqlite3_open(path, &db)
        exec(db, "PRAGMA synchronous=NORMAL")
        defer { sqlite3_close(db) }
        var select: OpaquePointer?, update: OpaquePointer?, delete: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT seq FROM m WHERE queue_id = 1 AND visible_at <= ? ORDER BY visible_at LIMIT 10", -1, &select, nil)
        sqlite3_prepare_v2(db, "UPDATE m SET receive_count = receive_count + 1, visible_at = ? WHERE seq = ?", -1, &update, nil)
        sqlite3_prepare_v2(db, "DELETE FROM m WHERE seq = ?", -1, &delete, nil)
        defer { sqlite3_finalize(select); sqlite3_finalize(update); sqlite3_finalize(delete) }
        let now: Int64 = 1_800_000_000_000
        var done = 0
        let elapsed = seconds {
            while done < count {
                exec(db, "BEGIN IMMEDIATE")
                var seqs: [Int64] = []
                sqlite3_bind_int64(select, 1, now)
                while sqlite3_step(select) == SQLITE_ROW { seqs.append(sqlite3_column_int64(select, 0)) }
                sqlite3_reset(select)
                for s in seqs {
                    sqlite3_bind_int64(update, 1, now + 30_000)
                    sqlite3_bind_int64(update, 2, s)
                    sqlite3_step(update)
                    sqlite3_reset(update)
                }
                exec(db, "COMMIT")
                exec(db, "BEGIN IMMEDIATE")
                for s in seqs {
                    sqlite3_bind_int64(delete, 1, s)
                    sqlite3_step(delete)
                    sqlite3_reset(delete)
                }
                exec(db, "COMMIT")
                if seqs.isEmpty { break }
                done += seqs.count
            }
        }
        return Double(done) / elapsed
    }
}
