import Foundation
import Synchronization
import SluiceCore
@testable import SluiceSQS

/// A transport that answers from a script, one step per request, and records what was sent.
final class ScriptedTransport: SQSTransport {
    enum Step: Sendable {
        case respond(status: Int, body: String, headers: [String: String] = [:])
        case fail(SQSError.Kind)
    }

    struct Sent: Sendable {
        var operation: String
        var headers: [String: String]
        var body: String
    }

    private let state: Mutex<(steps: [Step], sent: [Sent])>
    /// What to answer once the script is used up.
    let fallback: Step

    init(_ steps: [Step], fallback: Step = .respond(status: 200, body: "{}")) {
        state = Mutex((steps, []))
        self.fallback = fallback
    }

    var sent: [Sent] { state.withLock { $0.sent } }

    func send(_ request: SQSHTTPRequest, timeout: TimeSpan, operation: String) async throws(SQSError) -> SQSHTTPResponse {
        let step = state.withLock { s -> Step in
            var headers: [String: String] = [:]
            for (n, v) in request.headers { headers[n.lowercased()] = v }
            s.sent.append(Sent(operation: operation, headers: headers, body: String(decoding: request.body, as: UTF8.self)))
            return s.steps.isEmpty ? fallback : s.steps.removeFirst()
        }
        switch step {
        case .respond(let status, let body, let headers):
            return SQSHTTPResponse(status: status, headers: headers, body: Array(body.utf8))
        case .fail(let kind):
            throw SQSError(kind, operation: operation, message: "scripted \(kind)")
        }
    }

    func shutdown() async throws {}
}

/// A client on a scripted transport and a virtual clock.
func scriptedClient(
    _ transport: ScriptedTransport, policy: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(5), deadline: .seconds(60)),
    clock: ManualClock = ManualClock(), seed: UInt64 = 7,
    credentials: AWSCredentials = AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "SECRETsluiceTEST123"),
    log: (@Sendable (String) -> Void)? = nil
) -> SQSClient {
    let configuration = SQSConfiguration(credentials: credentials, region: "us-east-1", endpoint: try! AWSEndpoint(parsing: "http://127.0.0.1:1"))
    return SQSClient(configuration: configuration, transport: transport, retrier: Retrier(policy: policy, clock: clock, random: RetryRandom(seed: seed)), log: log)
}

let throttled = ScriptedTransport.Step.respond(
    status: 400, body: #"{"__type":"com.amazonaws.sqs#ThrottlingException","message":"Rate exceeded"}"#,
    headers: ["x-amzn-query-error": "ThrottlingException;Sender"]
)
let serverError = ScriptedTransport.Step.respond(status: 500, body: #"{"__type":"com.amazonaws.sqs#InternalError","message":"boom"}"#)
let queueURL = "http://127.0.0.1:1/123456789012/orders"
