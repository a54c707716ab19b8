import Foundation
import GRDB
import SluiceCore

/// The embedded Sluice store: queues with Amazon SQS semantics, the idempotency store and the
/// audit journal, in one SQLite file (WAL, `synchronous=NORMAL`, busy timeout).
///
/// Several processes may use one store at once: every multi-row change is one immediate
/// transaction, and a busy store is waited for rather than failed.
public final class Store: Sendable {
    /// The file this store lives in.
    public let path: String
    /// The clock every timestamp comes from.
    public let clock: any SluiceClock
    /// Whether changes are refused.
    public let isReadOnly: Bool

    /// How hard a commit tries to survive a power loss.
    public enum Durability: String, Sendable {
        /// `synchronous=NORMAL` under WAL (the default): a commit survives a crash of the process
        /// (`kill -9`); the last commits may be lost if the machine loses power.
        case normal
        /// `synchronous=FULL`: every commit is fsynced before it returns; survives power loss,
        /// at the price of one fsync per commit.
        case full
    }

    let pool: DatabasePool
    let identity: MessageIdentity
    let classifier: ErrorClassifier

    /// Opens (creating when missing) the store at `path`.
    ///
    /// - Parameters:
    ///   - path: the SQLite file.
    ///   - clock: the time source (virtual in tests and drills).
    ///   - readOnly: refuse every change; the file must exist.
    ///   - idPrefixSeed: a seed for the message-id prefix of a new store, so drills are deterministic.
    ///   - durability: `synchronous=NORMAL` (default) or `FULL`.
    /// - Throws: ``SluiceError`` `incompatibleStore` when the file is not a Sluice store, is damaged,
    ///   or was written by a newer Sluice.
    public init(path: String, clock: any SluiceClock = SystemClock(), readOnly: Bool = false, idPrefixSeed: UInt64? = nil, classifier: ErrorClassifier = .standard,
                durability: Durability = .normal) throws {
        self.path = path
        self.clock = clock
        self.isReadOnly = readOnly
        self.classifier = classifier
        let exists = FileManager.default.fileExists(atPath: path)
        if readOnly && !exists {
            throw SluiceError(.notFound, "store '\(path)' does not exist", fix: "check --store or SLUICE_STORE, or create it by running a command without --read-only")
        }
        if exists {
            try Store.checkHeader(path: path)
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
                do {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                } catch {
                    throw SluiceError.badInput("cannot create the folder '\(dir)' for store '\(path)'", fix: "choose a writable path with --store")
                }
            }
        }

        var config = Configuration()
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        config.label = "sluice"
        config.prepareDatabase { db in
            // The store's clock for triggers (see Schema.v3): virtual in tests and drills.
            db.add(function: DatabaseFunction("sluice_now", argumentCount: 0, pure: false) { _ in clock.now().millis })
            if !db.configuration.readonly {
                try db.execute(sql: durability == .full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw Store.wrapOpen(error, path: path)
        }

        do {
            let migrator = Schema.migrator
            let superseded = try pool.read { db -> Bool in
                guard try db.tableExists("grdb_migrations") else { return false }
                return try migrator.hasBeenSuperseded(db)
            }
            if superseded {
                throw SluiceError(.incompatibleStore, "store '\(path)' was written by a newer version of Sluice", fix: "upgrade sluice, or point --store at another file")
            }
            let foreign = try pool.read { db -> Bool in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                return !tables.isEmpty && !tables.contains("grdb_migrations")
            }
            if foreign {
                throw SluiceError(.incompatibleStore, "'\(path)' is an SQLite database but not a Sluice store", fix: "point --store at a new file or an existing Sluice store")
            }
            if !readOnly {
                try migrator.migrate(pool)
            }
            let existing = try pool.read { db -> String? in
                guard try db.tableExists("meta") else { return nil }
                return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'id_prefix'")
            }
            if let existing {
                identity = MessageIdentity(prefix: existing)
            } else if readOnly {
                throw SluiceError(.incompatibleStore, "store '\(path)' is not initialised", fix: "run any command on it without --read-only first")
            } else {
                let prefix = Store.makePrefix(seed: idPrefixSeed)
                let now = clock.now().millis
                identity = try pool.write { db in
                    try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('app', 'sluice'), ('format', ?), ('id_prefix', ?), ('created_at', ?)",
                                   arguments: [String(Schema.formatVersion), prefix, String(now)])
                    return MessageIdentity(prefix: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'id_prefix'")!)
                }
            }
            if !readOnly { try pruneActivity() }
        } catch let error as DatabaseError {
            throw Store.wrapOpen(error, path: path)
        }
    }

    /// The store format version this build writes.
    public static var formatVersion: Int { Schema.formatVersion }

    /// Reads the first bytes of an existing file so a non-SQLite file is refused before SQLite
    /// (which would happily treat an empty file as a new database) touches it.
    private static func checkHeader(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SluiceError(.incompatibleStore, "cannot read store '\(path)'", fix: "check the file's permissions")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        if header.count < 16 || !header.starts(with: Array("SQLite format 3".utf8) + [0]) {
            throw SluiceError(.incompatibleStore, "'\(path)' is not a Sluice store (not an SQLite database)", fix: "point --store at a new file or an existing Sluice store")
        }
    }

    private static func wrapOpen(_ error: DatabaseError, path: String) -> SluiceError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return SluiceError(.incompatibleStore, "store '\(path)' is damaged or not a Sluice store (\(error.message ?? "SQLite error \(error.resultCode.rawValue)"))", fix: "restore it from a backup or point --store at another file")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            return SluiceError.badInput("cannot open store '\(path)' (\(error.message ?? "permission denied"))", fix: "check the path and its permissions")
        default:
            return SluiceError(.internalError, "store '\(path)': \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    private static func makePrefix(seed: UInt64?) -> String {
        var generator = SplitMix64(seed: seed ?? UInt64.random(in: 0...UInt64.max))
        let a = generator.next(), b = generator.next()
        let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        return String(hex.prefix(18))
    }

    /// Runs `body` in one immediate write transaction, mapping SQLite errors to ``SluiceError``.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard !isReadOnly else {
            throw SluiceError.refused("the store is open read-only", fix: "run without --read-only to make changes")
        }
        do {
            return try pool.write(body)
        } catch let error as DatabaseError {
            throw wrap(error)
        }
    }

    /// Runs `body` on a read snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw wrap(error)
        }
    }

    func wrap(_ error: DatabaseError) -> SluiceError {
        if let message = error.message, message.contains("append-only") {
            return SluiceError.refused("the audit journal is append-only: entries cannot be changed or deleted")
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return SluiceError.conflict("store '\(path)' stayed busy for 10 s", fix: "another process holds a long write; try again")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return SluiceError(.incompatibleStore, "store '\(path)' is damaged (\(error.message ?? ""))", fix: "restore it from a backup")
        case .SQLITE_FULL:
            return SluiceError(.internalError, "the disk holding '\(path)' is full", fix: "free space and retry; nothing was changed")
        default:
            return SluiceError(.internalError, "store '\(path)': \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    /// Runs SQLite's integrity check; returns the problems found (empty when healthy).
    public func integrityProblems() throws -> [String] {
        let rows = try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return rows == ["ok"] ? [] : rows
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
