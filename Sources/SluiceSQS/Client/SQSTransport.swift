import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SluiceCore

/// One HTTP request as the client sends it: already signed.
public struct SQSHTTPRequest: Sendable {
    /// The URL, `http(s)://host[:port]/path`.
    public var url: String
    /// `POST` for every SQS JSON call.
    public var method: String
    /// Every header to send, `authorization` included.
    public var headers: [(name: String, value: String)]
    /// The JSON body.
    public var body: [UInt8]

    /// Creates a request.
    public init(url: String, method: String = "POST", headers: [(name: String, value: String)], body: [UInt8]) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response.
public struct SQSHTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Response headers (names lowercased).
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What carries requests to SQS: HTTP in production, a fake in unit tests.
///
/// Implementations throw ``SQSError`` of kind `transport` or `timeout` when no response came
/// back; any response, error statuses included, is returned for the client to type.
public protocol SQSTransport: Sendable {
    /// Sends a request and waits at most `timeout` for the whole response.
    func send(_ request: SQSHTTPRequest, timeout: TimeSpan, operation: String) async throws(SQSError) -> SQSHTTPResponse
    /// Releases connections and threads; the transport is unusable afterwards.
    func shutdown() async throws
}

/// The production transport: an `HTTPClient` of its own, shut down by ``shutdown()``.
///
/// Its own client (not `HTTPClient.shared`) so timeouts and pool sizes suit SQS and so its
/// connections close when the backend does.
public final class AsyncHTTPTransport: SQSTransport {
    private let client: HTTPClient
    /// Responses larger than this are refused: ten 1 MiB messages, base64 and JSON framing.
    static let maxResponseBytes = 32 * 1024 * 1024

    /// Creates a transport with its own connection pool.
    public init(connectTimeout: TimeSpan = .seconds(5)) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .milliseconds(connectTimeout.millis)
        configuration.decompression = .disabled
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends over the pool; timeouts become `.timeout`, other failures `.transport`.
    public func send(_ request: SQSHTTPRequest, timeout: TimeSpan, operation: String) async throws(SQSError) -> SQSHTTPResponse {
        var http = HTTPClientRequest(url: request.url)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        http.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let response = try await client.execute(http, timeout: .milliseconds(max(1, timeout.millis)))
            var buffer = try await response.body.collect(upTo: AsyncHTTPTransport.maxResponseBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            var headers: [String: String] = [:]
            for (name, value) in response.headers { headers[name.lowercased()] = value }
            return SQSHTTPResponse(status: Int(response.status.code), headers: headers, body: bytes)
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                throw SQSError(.timeout, operation: operation, message: "no response within \(timeout.compact)")
            default:
                throw SQSError(.transport, operation: operation, message: "HTTP failed: \(error)")
            }
        } catch is CancellationError {
            throw SQSError(.timeout, operation: operation, message: "cancelled")
        } catch {
            throw SQSError(.transport, operation: operation, message: "connection failed: \(error)")
        }
    }

    /// Shuts the `HTTPClient` down (it traps in debug builds if released while running).
    public func shutdown() async throws {
        try await client.shutdown()
    }
}
