import Foundation
import GRDB
import GRDBSQLite

/// Direct binding and stepping of GRDB's cached statements on the hot paths (send, receive,
/// delete, redrive): GRDB's argument arrays and by-name column lookups cost more than SQLite
/// itself there (measured with callgrind). Everything else uses GRDB's API.
struct RawStatement {
    let statement: Statement
    var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }
    func bind(_ index: Int32, _ value: String?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_text(handle, index, value, -1, sqliteTransient)
    }
    func bind(_ index: Int32, bytes: [UInt8]?) {
        guard let bytes else { sqlite3_bind_null(handle, index); return }
        bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), sqliteTransient) }
    }

    /// Runs a statement that returns no rows; throws SQLite's error as a GRDB `DatabaseError`.
    func run() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
        }
    }

    /// Steps through result rows, calling `row` with the statement positioned on each.
    func rows(_ row: (RawStatement) throws -> Bool) throws {
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
            }
            if try !row(self) { return }
        }
    }

    /// The first result row through `map`, or nil when there is none.
    func first<T>(_ map: (RawStatement) throws -> T?) throws -> T? {
        var found: T?
        try rows { raw in
            found = try map(raw)
            return false
        }
        return found
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func optionalInt64(_ column: Int32) -> Int64? { sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column) }
    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: text)
    }
    func bytes(_ column: Int32) -> [UInt8]? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// SQLite's SQLITE_TRANSIENT: copy the bound value (the Swift buffer does not outlive the call).
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
