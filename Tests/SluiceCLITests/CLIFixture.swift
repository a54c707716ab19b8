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
        try Store(path: store).seedFailedMessages(types, source: "orders", dlq: "orders-dlq", errorMessage: { "\($0) in test" })
    }

    static let fastRunbook = fastRunbookText(id: "fast-test", title: "Fast redrive for tests", jitter: "0ms..15ms",
                                             summary: "Moves Timeout back, discards Poison.")
}
