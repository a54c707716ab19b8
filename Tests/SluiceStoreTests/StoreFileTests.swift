import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// Opening files that are not (or not yet, or no longer) Sluice stores.
@Suite struct StoreFileTests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "sluice-files-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func expectIncompatible(_ path: String, mentioning text: String) {
        do {
            _ = try Store(path: path, clock: ManualClock())
            Issue.record("opening \(path) must fail")
        } catch let error as SluiceError {
            #expect(error.kind == .incompatibleStore || error.kind == .badInput)
            #expect(error.description.contains(text), "\(error.description)")
            #expect(error.fix != nil)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aTextFileIsRefusedAndLeftUnchanged() throws {
        let path = dir + "/notes.txt"
        try "hello, not a database".write(toFile: path, atomically: true, encoding: .utf8)
        expectIncompatible(path, mentioning: "not a Sluice store")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "hello, not a database")
    }

    @Test func aForeignSQLiteDatabaseIsRefused() throws {
        let path = dir + "/other.db"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, "CREATE TABLE customers(id INTEGER);"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        expectIncompatible(path, mentioning: "not a Sluice store")
    }

    @Test func aStoreFromANewerVersionIsRefused() throws {
        let path = dir + "/future.sluice"
        do {
            let store = try Store(path: path, clock: ManualClock())
            try store.createQueue(QueueSpec(name: "a"))
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, "INSERT INTO grdb_migrations VALUES ('v99-from-the-future');"]
        try p.run()
        p.waitUntilExit()
        expectIncompatible(path, mentioning: "newer version")
    }

    @Test func aTruncatedStoreIsRefused() throws {
        let path = dir + "/cut.sluice"
        do {
            let store = try Store(path: path, clock: ManualClock())
            try store.createQueue(QueueSpec(name: "a"))
            for i in 0..<200 { try store.send(to: "a", body: Array("message \(i) with some padding to fill pages".utf8)) }
        }
        // Fold the WAL into the main file, then cut the file in the middle of a page.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, "PRAGMA wal_checkpoint(TRUNCATE);"]
        try p.run()
        p.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2 + 100).write(to: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: path + "-wal")
        do {
            let store = try Store(path: path, clock: ManualClock())
            let problems = try store.integrityProblems()
            _ = try store.stats()
            #expect(!problems.isEmpty, "a truncated store must not pass as healthy")
        } catch let error as SluiceError {
            #expect(error.kind == .incompatibleStore || error.kind == .internalError)
        }
    }

    @Test func readOnlyRefusesChangesAndMissingFiles() throws {
        let path = dir + "/ro.sluice"
        #expect(throws: SluiceError.self) { try Store(path: path, readOnly: true) }
        do { try Store(path: path, clock: ManualClock()).createQueue(QueueSpec(name: "a")) }
        let ro = try Store(path: path, readOnly: true)
        #expect(try ro.listQueues().map(\.name) == ["a"])
        do {
            try ro.send(to: "a", body: [1])
            Issue.record("a read-only store must refuse a send")
        } catch let error as SluiceError {
            #expect(error.kind == .refused)
        }
    }

    @Test func twoStoresOnOneFileNeverLoseMessages() async throws {
        let path = dir + "/shared.sluice"
        let a = try Store(path: path)
        try a.createQueue(QueueSpec(name: "q"))
        let b = try Store(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in [a, b] {
                group.addTask {
                    for i in 0..<100 {
                        let entries = (0..<10).map { SendEntry(entryId: "\($0)", body: Array("\(i)-\($0)".utf8)) }
                        _ = try store.send(to: "q", entries: entries)
                    }
                }
                group.addTask {
                    var got = 0
                    while got < 300 {
                        let batch = try store.receive(from: "q", max: 10, visibility: .hours(1))
                        if !batch.isEmpty { _ = try store.delete(from: "q", receipts: batch.map { $0.receiptHandle! }) }
                        got += batch.count
                        if batch.isEmpty { await Task.yield() }
                    }
                }
            }
            try await group.waitForAll()
        }
        let s = try a.stats(for: ["q"])[0]
        #expect(s.counters?.sent == 2000)
        #expect(s.counters?.deleted == 600)
        #expect(s.visible == 1400)
        #expect(try a.integrityProblems().isEmpty)
    }
}
