import Foundation
import SluiceCore
import SluiceSQS
import SluiceStore
import SluiceTesting
import Testing

/// One backend under the differential suite: the embedded store on a virtual clock, or moto on
/// real time. Scenarios talk to it through `QueueBackend` only and write down what they see.
struct DifferentialDriver: Sendable {
    let name: String
    let backend: any QueueBackend
    /// Queue names are prefixed: moto is shared by every test of the process.
    let prefix: String
    /// Lets `span` of queue time pass: instantly on the virtual clock; on moto for real, plus a
    /// second, because moto (like SQS) keeps visibility in whole seconds.
    let wait: @Sendable (TimeSpan) async throws -> Void
    /// Keeps the embedded store's folder alive as long as the driver.
    let keepAlive: TemporaryStore?
    let shutdown: @Sendable () async -> Void

    func q(_ base: String) -> String { "\(prefix)\(base)" }

    static func local() throws -> DifferentialDriver {
        let temp = try TemporaryStore()
        let clock = temp.clock
        return DifferentialDriver(name: "embedded", backend: LocalBackend(store: temp.store), prefix: "",
                                  wait: { clock.advance(by: $0) }, keepAlive: temp, shutdown: {})
    }

    static func moto() async throws -> DifferentialDriver {
        let moto = try await MotoServer.shared()
        let configuration = SQSConfiguration(credentials: AWSCredentials(accessKeyId: "AKIDSLUICEDIFF", secretAccessKey: "testing"),
                                             region: "us-east-1", endpoint: try AWSEndpoint(parsing: moto.endpoint))
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200), deadline: .seconds(30), attemptTimeout: .seconds(10))
        let client = SQSClient(configuration: configuration, retrier: Retrier(policy: policy, clock: SystemClock(), random: RetryRandom(seed: 5)))
        let backend = SQSBackend(client: client, scanOptions: DLQScan.Options(limit: 1000, lease: .seconds(30), wait: .zero, emptyReceivesToStop: 1))
        return DifferentialDriver(name: "moto", backend: backend, prefix: "d" + UUID().uuidString.prefix(8).lowercased() + "-",
                                  wait: { span in try await Task.sleep(nanoseconds: UInt64(span.millis + 1000) * 1_000_000) },
                                  keepAlive: nil, shutdown: { try? await backend.shutdown() })
    }
}

/// What a scenario saw, step by step, in a form two backends can be compared on.
struct Observations: Sendable {
    private(set) var lines: [(step: String, value: String)] = []
    /// Steps where the backends legitimately differ: recorded for the log, not compared.
    private(set) var documented: [(step: String, value: String, why: String)] = []

    mutating func see(_ step: String, _ value: CustomStringConvertible) { lines.append((step, value.description)) }
    mutating func differs(_ step: String, _ value: CustomStringConvertible, why: String) { documented.append((step, value.description, why)) }
}

/// How a call ended, in backend-neutral words: the entry results or the error kind.
enum Outcome {
    static func of(_ results: [BatchEntryResult]) -> String {
        results.map { $0.succeeded ? "ok" : "fail(\($0.error!.kind))" }.joined(separator: ",")
    }

    static func call<T: Sendable>(_ body: () async throws -> T) async -> Result<T, SluiceError> {
        do { return .success(try await body()) } catch let e as SluiceError { return .failure(e) } catch {
            return .failure(SluiceError(.internalError, "\(error)"))
        }
    }

    static func describe(_ r: Result<[BatchEntryResult], SluiceError>) -> String {
        switch r {
        case .success(let results): "entries[\(of(results))]"
        case .failure(let e): "call failed(\(e.kind))"
        }
    }
}

/// Runs one scenario on both backends and compares what they saw.
func compareBackends(_ scenario: @Sendable (DifferentialDriver) async throws -> Observations,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let local = try DifferentialDriver.local()
    let moto = try await DifferentialDriver.moto()
    async let a = scenario(local)
    async let b = scenario(moto)
    let (seenLocal, seenMoto): (Observations, Observations)
    do {
        (seenLocal, seenMoto) = try await (a, b)
    } catch {
        await moto.shutdown()
        throw error
    }
    await moto.shutdown()
    #expect(seenLocal.lines.map(\.step) == seenMoto.lines.map(\.step), "both backends must pass through the same steps", sourceLocation: sourceLocation)
    for (l, m) in zip(seenLocal.lines, seenMoto.lines) where l.step == m.step {
        #expect(l.value == m.value, "\(l.step): embedded \(l.value) ≠ moto \(m.value)", sourceLocation: sourceLocation)
    }
    for (l, m) in zip(seenLocal.documented, seenMoto.documented) {
        print("differential: \(l.step): embedded \(l.value), moto \(m.value) — \(l.why)")
    }
}
