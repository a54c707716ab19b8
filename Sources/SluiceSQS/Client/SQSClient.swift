import Foundation
import SluiceCore
import Synchronization

/// An Amazon SQS client over the AWS JSON 1.0 protocol: signs with SigV4, retries what is
/// safe to retry, and types every failure as ``SQSError``.
///
/// Create one per endpoint and call ``shutdown()`` when done: it owns an HTTP connection pool.
public final class SQSClient: Sendable {
    /// Where requests go and the keys that sign them.
    public let configuration: SQSConfiguration
    /// The retry schedule, clock and jitter source.
    public let retrier: Retrier
    let transport: any SQSTransport
    let signer: SigV4Signer
    let log: (@Sendable (String) -> Void)?
    private let unanswered = Mutex<[String: Unanswered]>([:])

    /// Attempts of one operation that got no answer (a timeout or a lost connection): the server
    /// may have acted on them. A `ReceiveMessage` among them may have hidden messages for one
    /// visibility timeout that no caller ever saw.
    public struct Unanswered: Sendable, Hashable {
        /// How many attempts so far.
        public var count: Int
        /// When the last one was sent (client clock).
        public var lastSentAt: Timestamp
    }

    /// The unanswered attempts of `operation` so far (count 0 when none).
    public func unansweredAttempts(_ operation: String) -> Unanswered {
        unanswered.withLock { $0[operation] } ?? Unanswered(count: 0, lastSentAt: Timestamp(millis: 0))
    }

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: endpoint, region and credentials (see ``AWSConfigResolver``).
    ///   - transport: how requests travel; an `AsyncHTTPTransport` of its own by default.
    ///   - retrier: retry policy, clock (signing time, sleeps, deadline) and random source.
    ///   - log: receives one line per retry and failure; never a header, body or secret.
    public init(configuration: SQSConfiguration, transport: (any SQSTransport)? = nil, retrier: Retrier = Retrier(), log: (@Sendable (String) -> Void)? = nil) {
        self.configuration = configuration
        self.transport = transport ?? AsyncHTTPTransport()
        self.retrier = retrier
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "sqs")
        self.log = log
    }

    /// Closes the connection pool; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// Calls one operation with retries.
    /// - Parameters:
    ///   - operation: e.g. `ReceiveMessage` (sent as `X-Amz-Target: AmazonSQS.ReceiveMessage`).
    ///   - queue: the queue name, for error messages.
    ///   - extraTime: added to the attempt timeout (long polls wait on the server).
    func call<Request: Encodable, Response: Decodable>(
        _ operation: String, _ request: Request, queue: String? = nil, extraTime: TimeSpan = .zero, as: Response.Type = Response.self
    ) async throws(SQSError) -> Response {
        let body: [UInt8]
        do { body = Array(try JSONEncoder().encode(request)) } catch {
            throw SQSError(.invalidParameter, operation: operation, message: "could not encode the request: \(error)", queue: queue)
        }
        let retrier = self.retrier
        var retrierWithLog = retrier
        let log = self.log
        retrierWithLog.onRetry = { error, attempt, wait in
            retrier.onRetry?(error, attempt, wait)
            log?("sqs: \(error.description) — attempt \(attempt) failed, retrying in \(wait.compact)")
        }
        let response: SQSHTTPResponse
        do throws(SQSError) {
            response = try await retrierWithLog.run { (_, timeLeft) async throws(SQSError) -> SQSHTTPResponse in
                let limit = TimeSpan(millis: min(retrier.policy.attemptTimeout.millis + extraTime.millis, max(1, timeLeft.millis)))
                let sentAt = retrier.clock.now()
                var response: SQSHTTPResponse
                do throws(SQSError) {
                    response = try await self.attempt(operation, body: body, timeout: limit)
                } catch {
                    if error.kind == .timeout || error.kind == .transport {
                        self.unanswered.withLock { table in
                            var entry = table[operation] ?? Unanswered(count: 0, lastSentAt: sentAt)
                            entry.count += 1
                            entry.lastSentAt = max(entry.lastSentAt, sentAt)
                            table[operation] = entry
                        }
                    }
                    throw error
                }
                if response.status / 100 != 2 {
                    var error = self.error(from: response, operation: operation)
                    error.queue = queue
                    throw error
                }
                if response.body.isEmpty { response.body = Array("{}".utf8) }
                return response
            }
        } catch {
            log?("sqs: \(error.description)")
            throw error
        }
        do {
            return try JSONDecoder().decode(Response.self, from: Data(response.body))
        } catch {
            let failure = SQSError(.invalidResponse, operation: operation, message: "the response is not the expected JSON: \(String(describing: error).prefix(200))", status: response.status, queue: queue)
            log?("sqs: \(failure.description)")
            throw failure
        }
    }

    /// One signed request without retries.
    private func attempt(_ operation: String, body: [UInt8], timeout: TimeSpan) async throws(SQSError) -> SQSHTTPResponse {
        let endpoint = configuration.endpoint
        let signed = signer.sign(
            method: "POST", endpoint: endpoint,
            headers: [
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amz-target", "AmazonSQS.\(operation)"),
            ],
            body: body, at: retrier.clock.now()
        )
        let request = SQSHTTPRequest(url: endpoint.description, headers: signed.headers, body: body)
        return try await transport.send(request, timeout: timeout, operation: operation)
    }

    /// Types an error response from `__type`, `x-amzn-query-error` and the status.
    func error(from response: SQSHTTPResponse, operation: String) -> SQSError {
        let parsed = try? JSONDecoder().decode(SQSWire.ErrorBody.self, from: Data(response.body))
        // `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender` is the most specific code.
        let queryCode = response.headers["x-amzn-query-error"].flatMap { $0.split(separator: ";").first.map(String.init) }
        let typeCode = (parsed?.__type ?? parsed?.code).map { $0.split(separator: "#").last.map(String.init) ?? $0 }
        let code = queryCode ?? typeCode ?? (response.headers["x-amzn-errortype"].map { String($0.split(separator: ":").first ?? "") } ?? "")
        var message = parsed?.message ?? parsed?.Message ?? ""
        if parsed == nil {
            message = String(decoding: response.body.prefix(300), as: UTF8.self)
        }
        var kind = SQSError.kind(code: code, status: response.status)
        if kind == .other, let typeCode, typeCode != code {
            kind = SQSError.kind(code: typeCode, status: response.status)
        }
        return SQSError(kind, operation: operation, code: code, message: configuration.credentials.redact(message), status: response.status)
    }
}
