import Foundation
import Synchronization
import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP proxy on 127.0.0.1 between Sluice and an SQS-compatible server (moto) that
/// injects the failures SQS clients meet: 500s, throttling, slow responses, dropped connections.
///
/// Faults are planned per request: the next `count` requests (optionally only some
/// operations, by `X-Amz-Target`), or each request with a probability from a seeded generator
/// (same seed, same faults for the same request sequence). Requests without a fault are
/// forwarded unchanged (signatures stay valid: the `Host` header is kept).
public final class FaultProxy: Sendable {
    /// A failure to inject into one request.
    public enum Fault: Sendable, Hashable, CustomStringConvertible {
        /// `500` with `__type: InternalError`.
        case serverError
        /// `400` with `__type: com.amazonaws.sqs#ThrottlingException`.
        case throttling
        /// `400` with the older throttling code `RequestThrottled`.
        case requestThrottled
        /// Waits this long, then forwards (a client with a shorter timeout gives up first, and
        /// the server still executes the request, as a slow real server would).
        case slow(TimeSpan)
        /// Closes the connection without forwarding or answering.
        case drop
        /// Forwards, then closes the connection without passing the response back: the server
        /// did the work and the client cannot know.
        case dropAfterForward

        public var description: String {
            switch self {
            case .serverError: "serverError"
            case .throttling: "throttling"
            case .requestThrottled: "requestThrottled"
            case .slow(let d): "slow(\(d))"
            case .drop: "drop"
            case .dropAfterForward: "dropAfterForward"
            }
        }
    }

    /// What the proxy has done so far.
    public struct Stats: Sendable, Hashable {
        /// Requests received.
        public var requests = 0
        /// Requests passed to the server (slow and drop-after-forward ones included).
        public var forwarded = 0
        /// Faults injected, by `Fault.description`.
        public var faults: [String: Int] = [:]
        /// Faults injected in all.
        public var totalFaults: Int { faults.values.reduce(0, +) }
    }

    private struct Plan {
        var counted: [(fault: Fault, remaining: Int, operations: Set<String>?)] = []
        var random: (fault: Fault, probability: Double, operations: Set<String>?, rng: SplitMix64)? = nil
        var stats = Stats()
        var connections: Set<Int32> = []
        var stopped = false
    }

    /// The port the proxy listens on.
    public let port: Int
    /// The server's port on 127.0.0.1.
    public let upstreamPort: Int
    private let listenFD: Int32
    private let plan = Mutex(Plan())

    /// Starts a proxy to 127.0.0.1:`upstreamPort` on a free port.
    public init(upstreamPort: Int) throws {
        let (fd, port) = try LoopbackSocket.listen()
        self.listenFD = fd
        self.port = port
        self.upstreamPort = upstreamPort
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "FaultProxy accept :\(port)"
        thread.start()
    }

    /// `http://127.0.0.1:<port>`: pass this as the endpoint.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Injects `fault` into the next `count` requests (of these operations only, when given).
    public func inject(_ fault: Fault, count: Int, operations: Set<String>? = nil) {
        plan.withLock { $0.counted.append((fault, count, operations)) }
    }

    /// Injects `fault` into each request with probability `p`, drawn from a generator seeded with `seed`.
    public func inject(_ fault: Fault, probability p: Double, seed: UInt64, operations: Set<String>? = nil) {
        plan.withLock { $0.random = (fault, min(max(p, 0), 1), operations, SplitMix64(seed: seed)) }
    }

    /// Stops injecting; requests pass through.
    public func clearFaults() {
        plan.withLock { $0.counted = []; $0.random = nil }
    }

    /// Counters so far.
    public var stats: Stats { plan.withLock { $0.stats } }

    /// Stops listening and closes every connection.
    public func shutdown() {
        let open: Set<Int32>? = plan.withLock { state in
            if state.stopped { return nil }
            state.stopped = true
            return state.connections
        }
        guard let open else { return }
        shutdownSocket(listenFD)
        close(listenFD)
        for fd in open { shutdownSocket(fd) }
    }

    deinit { shutdown() }

    private func shutdownSocket(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
        #else
        _ = Darwin.shutdown(fd, SHUT_RDWR)
        #endif
    }

    // MARK: Serving

    private func acceptLoop() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if plan.withLock({ $0.stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            let accepted = plan.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.connections.insert(fd)
                return true
            }
            guard accepted else { close(fd); return }
            LoopbackSocket.setTimeout(fd, seconds: 120)
            let thread = Thread { [self] in serve(fd) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            plan.withLock { _ = $0.connections.remove(fd) }
            close(fd)
        }
        var buffer: [UInt8] = []
        while let request = HTTPMessage.readRequest(fd, buffer: &buffer) {
            let target = request.header("x-amz-target") ?? ""
            let operation = target.split(separator: ".").last.map(String.init) ?? target
            switch decide(operation: operation) {
            case nil:
                guard let response = forward(request) else { return }
                guard LoopbackSocket.writeAll(fd, response.bytes) else { return }
            case .serverError:
                guard reply(fd, status: "500 Internal Server Error", type: "InternalError", query: "InternalError;Receiver", message: "injected by FaultProxy") else { return }
            case .throttling:
                guard reply(fd, status: "400 Bad Request", type: "ThrottlingException", query: "ThrottlingException;Sender", message: "Rate exceeded (injected by FaultProxy)") else { return }
            case .requestThrottled:
                guard reply(fd, status: "400 Bad Request", type: "RequestThrottled", query: "RequestThrottled;Sender", message: "Request is throttled (injected by FaultProxy)") else { return }
            case .slow(let delay):
                usleep(useconds_t(max(0, delay.millis) * 1000))
                guard let response = forward(request) else { return }
                guard LoopbackSocket.writeAll(fd, response.bytes) else { return }
            case .drop:
                return
            case .dropAfterForward:
                _ = forward(request)
                return
            }
        }
    }

    /// Picks the fault for one request and counts it.
    private func decide(operation: String) -> Fault? {
        plan.withLock { state -> Fault? in
            state.stats.requests += 1
            var chosen: Fault? = nil
            if let i = state.counted.firstIndex(where: { $0.remaining > 0 && ($0.operations?.contains(operation) ?? true) }) {
                chosen = state.counted[i].fault
                state.counted[i].remaining -= 1
                if state.counted[i].remaining == 0 { state.counted.remove(at: i) }
            } else if var random = state.random, random.operations?.contains(operation) ?? true {
                let draw = Double(random.rng.next() >> 11) / Double(1 << 53)
                if draw < random.probability { chosen = random.fault }
                state.random = random
            }
            if let chosen {
                state.stats.faults[chosen.description, default: 0] += 1
            }
            switch chosen {
            case nil, .slow, .dropAfterForward: state.stats.forwarded += 1
            default: break
            }
            return chosen
        }
    }

    /// Sends the request to the server on a fresh connection and reads the whole response,
    /// reframed with a `Content-Length` so the client's connection can stay open.
    private func forward(_ request: HTTPMessage) -> HTTPMessage? {
        guard let upstream = try? LoopbackSocket.connect(port: upstreamPort, receiveTimeoutSeconds: 120) else { return nil }
        defer { close(upstream) }
        var outgoing = request
        outgoing.setHeader("Connection", "close")
        guard LoopbackSocket.writeAll(upstream, outgoing.bytes) else { return nil }
        guard var response = HTTPMessage.parseResponse(LoopbackSocket.readToEnd(upstream)) else { return nil }
        response.setHeader("Connection", nil)
        if response.header("transfer-encoding") == nil {
            response.setHeader("Content-Length", String(response.body.count))
        }
        if response.startLine.hasPrefix("HTTP/1.0") {
            response.startLine = "HTTP/1.1" + response.startLine.dropFirst(8)
        }
        return response
    }

    private func reply(_ fd: Int32, status: String, type: String, query: String, message: String) -> Bool {
        let body = Array(#"{"__type":"com.amazonaws.sqs#\#(type)","message":"\#(message)"}"#.utf8)
        let response = HTTPMessage(
            startLine: "HTTP/1.1 \(status)",
            headers: [
                ("Content-Type", "application/x-amz-json-1.0"),
                ("x-amzn-query-error", query),
                ("Content-Length", String(body.count)),
            ],
            body: body
        )
        return LoopbackSocket.writeAll(fd, response.bytes)
    }
}
