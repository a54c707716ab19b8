import Foundation
import Testing
import SluiceCore
import SluiceTesting
@testable import SluiceSQS

private let secret = "SECRETsluiceTEST123"
private let token = "TOKENsluiceTEST456"
private let leakyCredentials = AWSCredentials(accessKeyId: "AKIDSLUICELEAK", secretAccessKey: secret, sessionToken: token)

private func assertClean(_ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    for text in texts {
        #expect(!text.contains(secret), "secret leaked in: \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains(token), "session token leaked in: \(text)", sourceLocation: sourceLocation)
    }
}

@Suite("Secrets stay secret")
struct SecretLeakTests {
    @Test("an error body that echoes the canonical request (with the token) is redacted")
    func echoedSecretsAreRedacted() async {
        let echo = #"{"__type":"com.amazonaws.sqs#SignatureDoesNotMatch","message":"The Canonical String for this request should have been 'x-amz-security-token:\#(token)' and the key \#(secret)"}"#
        let log = LogLines()
        let client = scriptedClient(ScriptedTransport([.respond(status: 403, body: echo)]), credentials: leakyCredentials, log: log.sink)
        do {
            _ = try await client.listQueues()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .accessDenied)
            assertClean([error.description, "\(error)", error.sluiceError.description, String(reflecting: error)] + log.all)
            #expect(error.message.contains("<redacted>"))
        }
    }

    @Test("a full run against moto, with faults, logs and errors, never shows the secret or token",
          .enabled(if: motoAvailable, "\(MotoServer.unavailableReason)"), .timeLimit(.minutes(5)))
    func fullRun() async throws {
        let moto = try await MotoServer.shared()
        let proxy = try FaultProxy(upstreamPort: moto.port)
        defer { proxy.shutdown() }
        let log = LogLines()
        try await MotoFixture.make(
            endpoint: proxy.endpoint,
            policy: RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100), deadline: .seconds(30), attemptTimeout: .seconds(5)),
            credentials: leakyCredentials, log: log.sink
        ).use { f in
            var texts: [String] = [f.backend.label, "\(f.backend.client.configuration)", String(reflecting: f.backend.client.configuration)]
            var dumped = ""
            dump(f.backend.client.configuration, to: &dumped)
            texts.append(dumped)

            let dlq = f.name("dlq"), source = f.name("src")
            _ = try await f.backend.createQueue(QueueSpec(name: dlq))
            _ = try await f.backend.createQueue(QueueSpec(name: source, redrivePolicy: RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: 1)))
            proxy.inject(.throttling, count: 1)
            proxy.inject(.serverError, count: 1)
            proxy.inject(.drop, count: 1)
            try await f.send(source, (0..<12).map { ("s\($0)", ["ErrorType": .string("Timeout")]) })
            try await f.drainIntoDLQ(source)
            let facets = try await f.backend.facets(of: dlq, filter: .all)
            // At least once: a retry after a lost response may have sent a message twice.
            #expect(facets.total >= 12)
            texts.append("\(facets)")

            // Failures a person would see: a missing queue, a stale receipt, a call that runs out of retries.
            for attempt in [
                { _ = try await f.backend.stats(for: [f.name("missing")]) },
                { _ = try await f.backend.page(of: dlq, filter: .all, after: "bad-cursor", limit: 10) },
                { proxy.inject(.serverError, count: 50); defer { proxy.clearFaults() }; _ = try await f.backend.listQueues() },
            ] as [@Sendable () async throws -> Void] {
                do { try await attempt(); Issue.record("expected an error") } catch {
                    texts += ["\(error)", String(reflecting: error), (error as? SluiceError)?.fix ?? ""]
                }
            }
            let stale = try await f.backend.delete(from: dlq, receipts: ["stale"])
            texts.append("\(stale)")
            texts += log.all
            #expect(log.all.count >= 3, "the faults should have produced retry log lines")
            assertClean(texts)
        }
    }
}
