import Foundation
import SluiceCore
import SluiceTesting
import Testing

/// Runs the SQS flows with a recognizable fake secret and looks for it everywhere Sluice writes:
/// stdout, stderr (retry notes and errors included), the journal, the store file, moto's log.
@Suite("SQS: secrets never leak", .enabled(if: sqsToolsAvailable, "\(sqsToolsMissing)"), .timeLimit(.minutes(3)))
struct SQSSecretLeakTests {
    static let secret = "SECRETsluiceTEST123"
    static let token = "SECRETsluiceTOKEN456"

    @Test("the fake secret and session token appear in no output, log or journal")
    func secretAppearsNowhere() async throws {
        try await SQSWorld.with { w in
            let proxy = try FaultProxy(upstreamPort: w.moto.port)
            defer { proxy.shutdown() }
            let env = w.environment(["AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token, "SLUICE_SQS_LEASE": "2s"])
            var outputs: [(String, SluiceProcess.Result)] = []
            func run(_ args: [String], endpoint: String? = nil, expectSuccess: Bool = true) throws {
                let r = try w.sluice(args, endpoint: endpoint, env: env)
                outputs.append((args.joined(separator: " "), r))
                if expectSuccess { #expect(r.status == 0, "sluice \(args.joined(separator: " ")) exited \(r.status): \(r.stderr)") }
            }

            try run(["queue", "create", w.dlq])
            try run(["queue", "create", w.source, "--dlq", w.dlq, "--max-receive-count", "1", "--visibility-timeout", "0s"])
            for n in 0..<6 { try run(["send", w.source, #"{"n":\#(n)}"#, "--attr", "errorType=\(n < 4 ? "Timeout" : "Poison")"]) }
            try run(["receive", w.source, "--max", "10", "--visibility", "0s", "--json"])
            try await w.pushIntoDLQ(expectAtLeast: 6)
            try run(["status"])
            try run(["status", "--json"])
            try run(["dlq", "list", w.dlq])
            try run(["dlq", "list", w.dlq, "--json"])
            let runbook = try w.writeRunbook(SQSWorld.runbook(requeue: ["Timeout"], discard: ["Poison"]))
            try run(["redrive", w.dlq, "--runbook", runbook, "--dry-run"])
            // Through the proxy: throttling and 500s make the CLI print its retry notes.
            proxy.inject(.throttling, count: 2)
            proxy.inject(.serverError, count: 2, operations: ["SendMessageBatch"])
            try run(["redrive", w.dlq, "--runbook", runbook, "--yes", "--confirm-discards", "2"], endpoint: proxy.endpoint)
            #expect(proxy.stats.totalFaults == 4, "the redrive met the injected faults: \(proxy.stats)")
            try run(["redrive", "--list"])
            try run(["audit"])
            try run(["audit", "--json"])
            // Failures print errors with their fixes: none of them may quote the secret either.
            try run(["dlq", "list", "\(w.prefix)-missing-dlq"], expectSuccess: false)
            try run(["redrive", "\(w.prefix)-missing-dlq", "--runbook", runbook, "--yes"], expectSuccess: false)
            proxy.inject(.throttling, count: 100)
            try run(["status"], endpoint: proxy.endpoint, expectSuccess: false)
            try run(["send", w.source, "x"], endpoint: "http://127.0.0.1:1", expectSuccess: false)

            #expect(outputs.contains { $0.1.stderr.contains("retrying") }, "no retry note was printed, so retries went unchecked")
            #expect(outputs.contains { $0.1.status != 0 && !$0.1.stderr.isEmpty }, "no error was printed, so errors went unchecked")
            let journal = outputs.first { $0.0 == "audit --json" }?.1.stdout ?? ""
            #expect(journal.contains("redrive.completed"), "the journal has the redrive")
            for (command, r) in outputs {
                for needle in [Self.secret, Self.token] {
                    #expect(!r.stdout.contains(needle), "stdout of '\(command)' contains the secret")
                    #expect(!r.stderr.contains(needle), "stderr of '\(command)' contains the secret")
                }
            }
            // The store file (journal, jobs) and whatever SQLite keeps beside it, byte by byte.
            let files = try FileManager.default.contentsOfDirectory(atPath: w.dir).filter { $0.hasPrefix("journal.sluice") }
            #expect(!files.isEmpty)
            for file in files + [w.moto.logPath] {
                let path = file.hasPrefix("/") ? file : w.dir + "/" + file
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                for needle in [Self.secret, Self.token] {
                    #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(path) contains the secret")
                }
            }
        }
    }
}
