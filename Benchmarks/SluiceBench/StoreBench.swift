import Foundation
import SluiceCore
import SluiceRedrive
import SluiceStore

/// Embedded-store throughput, side by side with the raw SQLite loop in the same run.
enum StoreBench {
    static let body = [UInt8](repeating: 0x61, count: 200)

    /// - Returns: the send and receive+delete rates, for the rows beside moto.
    static func run(_ report: Report, dir: String, count: Int) throws -> (send: Double, receive: Double) {
        // Sends in batches of 10.
        let store = try Store(path: dir + "/send.sluice", clock: SystemClock())
        try store.createQueue(QueueSpec(name: "bench"))
        var sent = 0
        let sendSeconds = try seconds {
            while sent < count {
                let entries = (0..<10).map { SendEntry(entryId: "\($0)", body: body) }
                _ = try store.send(to: "bench", entries: entries)
                sent += 10
            }
        }
        let sendRate = Double(sent) / sendSeconds
        let rawInsert = RawSQLite.insert(path: dir + "/raw.db", count: count, batch: 10, body: body)
        report.add(Row(section: "embedded store", measure: "send, batches of 10 (200 B bodies)", value: sendRate, unit: "msg/s",
                       peer: "raw SQLite insert loop", peerValue: rawInsert, target: "≥ 50,000/s and ≥ 1/3 of raw",
                       met: sendRate >= 50_000 && sendRate >= rawInsert / 3, note: nil))

        // Receive + delete in batches of 10.
        var done = 0
        let receiveSeconds = try seconds {
            while done < count {
                let got = try store.receive(from: "bench", max: 10, visibility: .minutes(5))
                if got.isEmpty { break }
                _ = try store.delete(from: "bench", receipts: got.map { $0.receiptHandle! })
                done += got.count
            }
        }
        let receiveRate = Double(done) / receiveSeconds
        let rawReceive = RawSQLite.receiveDelete(path: dir + "/raw.db", count: count)
        report.add(Row(section: "embedded store", measure: "receive + delete, batches of 10", value: receiveRate, unit: "msg/s",
                       peer: "raw SQLite select/update/delete loop", peerValue: rawReceive, target: "≥ 20,000/s",
                       met: receiveRate >= 20_000, note: nil))

        // The price of durability: one message per commit, Sluice's store with synchronous=FULL
        // beside the same with the default NORMAL.
        let n = min(count, 2000)
        let full = try singleSends(path: dir + "/full.sluice", count: n, durability: .full)
        let normal = try singleSends(path: dir + "/normal.sluice", count: n, durability: .normal)
        report.add(Row(section: "embedded store", measure: "send, one message per commit, synchronous=FULL", value: full, unit: "msg/s",
                       peer: "same with the default synchronous=NORMAL", peerValue: normal, target: "reported, no target", met: true,
                       note: "NORMAL under WAL survives kill -9, not power loss; FULL fsyncs every commit"))
        return (sendRate, receiveRate)
    }

    /// Single-message sends, one transaction each.
    static func singleSends(path: String, count: Int, durability: Store.Durability) throws -> Double {
        let store = try Store(path: path, clock: SystemClock(), durability: durability)
        try store.createQueue(QueueSpec(name: "bench"))
        let elapsed = try seconds {
            for i in 0..<count {
                _ = try store.send(to: "bench", entries: [SendEntry(entryId: String(i), body: body)])
            }
        }
        return Double(count) / elapsed
    }
}
