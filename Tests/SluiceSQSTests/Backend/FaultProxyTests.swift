import Foundation
import Testing
import SluiceCore
import SluiceTesting
@testable import SluiceSQS

@Suite("SQS through the fault proxy", .enabled(if: motoAvailable, "\(MotoServer.unavailableReason)"), .timeLimit(.minutes(5)))
struct FaultProxyTests {
    static let faults: [FaultProxy.Fault] = [.serverError, .throttling, .requestThrottled, .slow(.milliseconds(1500)), .drop, .dropAfterForward]

    /// Quick retries, and an attempt timeout shorter than the proxy's slow fault.
    static let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(20), maxDelay: .milliseconds(300), deadline: .seconds(120), attemptTimeout: .milliseconds(1200))

    @Test("send, receive and delete complete with nothing lost under each fault kind", arguments: faults)
    func eachFault(_ fault: FaultProxy.Fault) async throws {
        let moto = try await MotoServer.shared()
        let proxy = try FaultProxy(upstreamPort: moto.port)
        defer { proxy.shutdown() }
        let log = LogLines()
        try await MotoFixture.make(endpoint: proxy.endpoint, policy: Self.policy, log: log.sink).use { f in
            let q = f.name("faulty")
            _ = try await f.backend.createQueue(QueueSpec(name: q))

            // Every operation meets the fault twice in a row, then again after some clean requests.
            proxy.inject(fault, count: 2)
            let bodies = (0..<30).map { "body-\($0)" }
            try await f.send(q, bodies.map { ($0, [:]) })
            proxy.inject(fault, count: 2, operations: ["ReceiveMessage"])
            proxy.inject(fault, count: 2, operations: ["DeleteMessageBatch"])
            let received = try await f.consumeAll(q, visibility: .seconds(1), until: Set(bodies))

            #expect(Set(received).isSuperset(of: bodies), "lost: \(Set(bodies).subtracting(received).sorted())")
            #expect(proxy.stats.faults[fault.description] == 6)
            #expect(log.all.contains { $0.contains("retrying") }, "no retry was logged")
            // The queue ends empty: every message was deleted.
            let end = try await f.backend.stats(for: [q])[0]
            #expect(end.visible == 0 && end.inFlight == 0)
        }
    }

    @Test("random 500s and dropped connections (seeded) lose nothing over a whole send-receive-delete run")
    func randomFaults() async throws {
        let moto = try await MotoServer.shared()
        let proxy = try FaultProxy(upstreamPort: moto.port)
        defer { proxy.shutdown() }
        try await MotoFixture.make(endpoint: proxy.endpoint, policy: Self.policy).use { f in
            let q = f.name("random")
            _ = try await f.backend.createQueue(QueueSpec(name: q))
            proxy.inject(.serverError, probability: 0.25, seed: 42)
            let bodies = (0..<50).map { "r-\($0)" }
            try await f.send(q, bodies.map { ($0, [:]) })
            proxy.inject(.dropAfterForward, probability: 0.2, seed: 7)
            let received = try await f.consumeAll(q, visibility: .seconds(1), until: Set(bodies))
            #expect(Set(received).isSuperset(of: bodies))
            #expect(proxy.stats.totalFaults > 0)
        }
    }

    @Test("a call that keeps failing stops at maxAttempts with a typed, fixable error")
    func givesUp() async throws {
        let moto = try await MotoServer.shared()
        let proxy = try FaultProxy(upstreamPort: moto.port)
        defer { proxy.shutdown() }
        try await MotoFixture.make(endpoint: proxy.endpoint, policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), deadline: .seconds(30), attemptTimeout: .seconds(5))).use { f in
            proxy.inject(.throttling, count: 100)
            await #expect { try await f.backend.listQueues() } throws: { error in
                let e = error as? SluiceError
                return e?.kind == .remote && e?.message.contains("ThrottlingException") == true && e?.fix?.contains("throttling") == true
            }
            #expect(proxy.stats.requests == 3)
        }
    }
}
