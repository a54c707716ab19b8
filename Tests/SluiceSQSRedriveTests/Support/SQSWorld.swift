import Foundation
import SluiceCore
import SluiceSQS
import SluiceTesting
import Testing

/// Whether these tests can run: moto for the server, boto3 for the independent checks.
let sqsToolsAvailable = MotoServer.isAvailable && Boto3Lister.isAvailable
let sqsToolsMissing = "needs moto and boto3: pip install 'moto[server]' boto3 (.ci/run installs them)"

/// One test's queues on the shared moto server: `<prefix>-orders` dead-lettering into
/// `<prefix>-orders-dlq` after one receive, a temporary folder for the local journal and
/// runbooks, and an in-process backend straight to moto for seeding.
///
/// Tests share the server (starting moto costs seconds), so every name carries the prefix.
struct SQSWorld {
    let moto: MotoServer
    let backend: SQSBackend
    let prefix: String
    let dir: String

    var source: String { "\(prefix)-orders" }
    var dlq: String { "\(prefix)-orders-dlq" }
    /// The local store that keeps redrive jobs and the journal for `--sqs` runs.
    var store: String { dir + "/journal.sluice" }

    /// The fake credentials every `sluice` run of these tests gets.
    static let accessKey = "AKIDSLUICEE2E"
    static let secretKey = "testing-secret"

    static func make(lease: TimeSpan = .seconds(30)) async throws -> SQSWorld {
        let moto = try await MotoServer.shared()
        let backend = try makeBackend(endpoint: moto.endpoint, policy: RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(20), maxDelay: .milliseconds(300), deadline: .seconds(60), attemptTimeout: .seconds(10)), lease: lease)
        let prefix = "e" + UUID().uuidString.prefix(8).lowercased()
        let dir = NSTemporaryDirectory() + "sluice-sqs-e2e-" + prefix
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return SQSWorld(moto: moto, backend: backend, prefix: prefix, dir: dir)
    }

    /// Runs `body` on a fresh world and shuts it down however `body` ends (an HTTP client left
    /// open at deinit traps the whole test process).
    static func with(lease: TimeSpan = .seconds(30), _ body: (SQSWorld) async throws -> Void) async throws {
        let w = try await make(lease: lease)
        do {
            try await body(w)
        } catch {
            await w.shutdown()
            throw error
        }
        await w.shutdown()
    }

    /// Runs `body` with `backend`, then shuts the backend down however `body` ends.
    static func using<T>(_ backend: SQSBackend, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            try? await backend.shutdown()
            return result
        } catch {
            try? await backend.shutdown()
            throw error
        }
    }

    /// A backend on `endpoint` (moto, or a proxy in front of it) with the test credentials.
    static func makeBackend(endpoint: String, policy: RetryPolicy, lease: TimeSpan = .seconds(30), log: (@Sendable (String) -> Void)? = nil) throws -> SQSBackend {
        let configuration = SQSConfiguration(credentials: AWSCredentials(accessKeyId: accessKey, secretAccessKey: secretKey),
                                             region: "us-east-1", endpoint: try AWSEndpoint(parsing: endpoint))
        let client = SQSClient(configuration: configuration, retrier: Retrier(policy: policy, clock: SystemClock(), random: RetryRandom(seed: 5)), log: log)
        return SQSBackend(client: client, scanOptions: DLQScan.Options(limit: 5000, lease: lease, wait: .zero, emptyReceivesToStop: 2))
    }

    func shutdown() async {
        try? await backend.shutdown()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Creates the DLQ and the source queue with a redrive policy of one receive.
    func createQueues() async throws {
        try await createDeadLetterPair(backend: backend, source: source, dlq: dlq, maxReceiveCount: 1)
    }

    /// One seeded message: its body is unique and names its group, so checks can work on bodies.
    struct Seeded: Hashable {
        var body: String
        var errorType: String
    }

    /// Sends `count` messages per error type to the source (attribute `errorType`), then pushes
    /// them through to the DLQ the way failing workers would.
    @discardableResult
    func seedDLQ(_ types: [(String, Int)], group: String = "g") async throws -> [Seeded] {
        let seeded = types.flatMap { type, n in (0..<n).map { Seeded(body: #"{"group":"\#(group)","type":"\#(type)","n":\#($0)}"#, errorType: type) } }
        var start = 0
        while start < seeded.count {
            let chunk = seeded[start..<min(start + 10, seeded.count)]
            let entries = chunk.enumerated().map { SendEntry(entryId: "e\($0.offset)", body: Array($0.element.body.utf8), attributes: ["errorType": .string($0.element.errorType)]) }
            let results = try await backend.send(to: source, entries: entries)
            if let failed = results.first(where: { !$0.succeeded }) { throw failed.error ?? CheckFailure("seeding \(source) failed") }
            start += 10
        }
        try await pushIntoDLQ(expectAtLeast: seeded.count)
        return seeded
    }

    /// Receives from the source with visibility 0 until it is empty and the DLQ holds at least
    /// `expectAtLeast`: each message passes its maxReceiveCount and moto dead-letters it.
    func pushIntoDLQ(expectAtLeast: Int, timeout: Double = 90) async throws {
        if try await SluiceTesting.pushIntoDLQ(backend: backend, source: source, dlq: dlq, expectAtLeast: expectAtLeast, timeout: timeout) { return }
        throw CheckFailure("\(source) did not dead-letter \(expectAtLeast) messages into \(dlq) within \(Int(timeout)) s")
    }

    /// The environment of every `sluice` run: fake credentials, region, no stray AWS settings.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ["AWS_ACCESS_KEY_ID": Self.accessKey, "AWS_SECRET_ACCESS_KEY": Self.secretKey, "AWS_REGION": "us-east-1",
                   "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_SQS": "", "AWS_PROFILE": "", "AWS_SESSION_TOKEN": ""]
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `sluice ARGS --sqs --endpoint-url E --store S`.
    @discardableResult
    func sluice(_ args: [String], endpoint: String? = nil, env: [String: String] = [:], timeout: TimeInterval = 60) throws -> SluiceProcess.Result {
        try SluiceProcess.run(args + sqsFlags(endpoint: endpoint), environment: environment(env), timeout: timeout)
    }

    func sqsFlags(endpoint: String? = nil) -> [String] {
        ["--sqs", "--endpoint-url", endpoint ?? moto.endpoint, "--store", store]
    }

    /// Runs and requires exit 0; returns stdout.
    @discardableResult
    func ok(_ args: [String], env: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try sluice(args, env: env)
        #expect(r.status == 0, "sluice \(args.joined(separator: " ")) exited \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    /// Parses stdout as one JSON object.
    func json(_ args: [String], env: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let out = try ok(args, env: env, sourceLocation: sourceLocation)
        guard let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] else {
            throw CheckFailure("sluice \(args.joined(separator: " ")) printed no JSON object: \(out.prefix(500))")
        }
        return object
    }

    /// Each JSON line of stdout (JSON Lines output of `redrive --json`).
    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func writeRunbook(_ text: String, name: String = "runbook.md") throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A runbook for `*-dlq` that requeues these types, unpaced enough for tests.
    static func runbook(requeue: [String], discard: [String] = [], maxRate: String = "2000/s", jitter: String = "0ms..0ms") -> String {
        """
        ---
        id: sqs-e2e
        title: SQS end-to-end test redrive
        dlq: "*-dlq"
        batch:
          size: 10
          jitter: \(jitter)
          max_rate: \(maxRate)
        strategy:
        \(requeue.map { "  \($0): requeue" }.joined(separator: "\n"))
        \(discard.map { "  \($0): discard" }.joined(separator: "\n"))
        ---
        # SQS end-to-end test redrive
        Moves the listed types back to their source.
        """
    }

    /// Lists both queues with boto3, waiting until at least the expected numbers are visible.
    func listWithBoto3(expectSource: Int, expectDLQ: Int, timeout: Double = 20) throws -> (source: [Boto3Lister.Message], dlq: [Boto3Lister.Message]) {
        let all = try Boto3Lister.list(endpoint: moto.endpoint, queues: [source, dlq], expect: [source: expectSource, dlq: expectDLQ], timeout: timeout)
        return (all[source] ?? [], all[dlq] ?? [])
    }
}

extension Boto3Lister.Message {
    /// The DLQ message id this copy was redriven from (Sluice's lineage attribute), if any.
    var originalId: String? { attributes[Lineage.AttributeName.originalMessageId] }
}
