import Foundation
import SluiceCore
import SluiceSQS
import SluiceTesting

/// The embedded store's throughput beside moto_server (the SQS API through HTTP on loopback) in
/// the same run: what an operator gets from a local SQS stand-in instead of Sluice's store.
enum MotoPeerBench {
    /// Sends `messages` in batches of 10 to a fresh moto queue, then receives and deletes them
    /// all in batches of 10, and adds one row per operation beside the embedded figures.
    /// moto slows down as a queue grows, so keep `messages` in the hundreds.
    static func run(_ report: Report, embeddedSend: Double, embeddedReceive: Double, messages: Int) async throws {
        guard MotoServer.isAvailable else {
            FileHandle.standardError.write(Data("  moto peer skipped: \(MotoServer.unavailableReason)\n".utf8))
            return
        }
        let moto = try await MotoServer.shared()
        try await Moto.withBackend(on: moto) { backend in
            _ = try await backend.createQueue(QueueSpec(name: "bench"))
            let body = StoreBench.body
            var sent = 0
            let sendSeconds = try await seconds {
                while sent < messages {
                    let entries = (0..<10).map { SendEntry(entryId: "\($0)", body: body) }
                    _ = try await backend.send(to: "bench", entries: entries)
                    sent += 10
                }
            }
            var done = 0
            let receiveSeconds = try await seconds {
                while done < sent {
                    let got = try await backend.receive(from: "bench", max: 10, visibility: .minutes(5))
                    if got.isEmpty { break }
                    _ = try await backend.delete(from: "bench", receipts: got.compactMap(\.receiptHandle))
                    done += got.count
                }
            }
            report.add(Row(section: "embedded store", measure: "send, batches of 10 — beside moto_server over HTTP (\(sent) msgs)", value: embeddedSend, unit: "msg/s",
                           peer: "moto_server", peerValue: Double(sent) / sendSeconds, target: "reported", met: true,
                           note: "moto slows as its queue grows; the embedded figure is from the larger run above"))
            report.add(Row(section: "embedded store", measure: "receive + delete — beside moto_server over HTTP (\(done) msgs)", value: embeddedReceive, unit: "msg/s",
                           peer: "moto_server", peerValue: Double(done) / receiveSeconds, target: "reported", met: true, note: nil))
        }
        // Leave the server empty for the sqs section.
        try moto.reset()
    }
}
