import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// A temporary folder with a store path and a runbook, for driving the real `sluice` binary.
struct CLIFixture {
    let dir: String
    var store: String { dir + "/store.sluice" }

    init() throws {
        dir = NSTemporaryDirectory() + "sluice-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// Runs `sluice` with `--store` appended (unless `store` is false).
    @discardableResult
    func sluice(_ args: [String], store useStore: Bool = true, stdin: String? = nil, timeout: TimeInterval = 60) throws -> SluiceProcess.Result {
        try SluiceProcess.run(args + (useStore ? ["--store", store] : []), stdin: stdin, timeout: timeout)
    }

    /// Runs and requires exit 0.
    @discardableResult
    func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try sluice(args)
        #expect(r.status == 0, "sluice \(args.joined(separator: " ")) exited \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    func json(_ args: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try ok(args).utf8))
    }

    func writeRunbook(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `orders` → `orders-dlq` (maxReceiveCount 2), with `count` messages failed into the DLQ per error type.
    func seedDLQ(_ types: [String: Int]) throws {
        let s = try Store(path: store)
        try s.createQueue(QueueSpec(name: "orders-dlq"))
        try s.createQueue(QueueSpec(name: "orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 2)))
        for (type, n) in types.sorted(by: { $0.key < $1.key }) {
            var sent = 0
            while sent < n {
                let k = min(10, n - sent)
                _ = try s.send(to: "orders", entries: (0..<k).map { SendEntry(entryId: "\($0)", body: Array("{\"type\":\"\(type)\",\"n\":\(sent + $0)}".utf8)) })
                sent += k
                for _ in 0..<2 {
                    let got = try s.receive(from: "orders", max: 10)
                    for m in got { try s.fail(in: "orders", receipt: m.receiptHandle!, errorType: type, errorMessage: "\(type) in test") }
                }
                _ = try s.receive(from: "orders", max: 10)
            }
        }
    }

    static let fastRunbook = """
    ---
    id: fast-test
    title: Fast redrive for tests
    dlq: "*-dlq"
    batch:
      size: 10
      jitter: 0ms..15ms
      max_rate: 2000/s
    strategy:
      Timeout: requeue
      Poison: discard
    ---
    # Fast redrive for tests
    Moves Timeout back, discards Poison.
    """
}
