#if canImport(Glibc)
import Glibc
private let systemListen = Glibc.listen
private let systemConnect = Glibc.connect
#elseif canImport(Darwin)
import Darwin
private let systemListen = Darwin.listen
private let systemConnect = Darwin.connect
#endif

/// Blocking TCP sockets on 127.0.0.1 for test servers (the fault proxy, moto's readiness
/// probe): plain POSIX calls, no event loop, one thread per connection.
enum LoopbackSocket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func address(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    private static func newSocket() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        return fd
    }

    /// A listening socket on 127.0.0.1 (`port` 0 picks a free one) and its port.
    static func listen(port: Int = 0) throws -> (fd: Int32, port: Int) {
        let fd = try newSocket()
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = address(port: port)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, systemListen(fd, 64) == 0 else {
            close(fd)
            throw Failure(description: "cannot listen on 127.0.0.1:\(port): errno \(errno)")
        }
        var out = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &out) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return (fd, Int(UInt16(bigEndian: out.sin_port)))
    }

    /// A port that was free a moment ago (for servers that take `-p PORT`).
    static func freePort() throws -> Int {
        let (fd, port) = try listen()
        close(fd)
        return port
    }

    /// Connects to 127.0.0.1:`port`.
    static func connect(port: Int, receiveTimeoutSeconds: Int = 60) throws -> Int32 {
        let fd = try newSocket()
        var addr = address(port: port)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else {
            close(fd)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        setTimeout(fd, seconds: receiveTimeoutSeconds)
        return fd
    }

    static func setTimeout(_ fd: Int32, seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Writes every byte; false when the peer is gone.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// Reads what is available (blocking for at least one byte); empty at EOF or error.
    static func readSome(_ fd: Int32) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// Reads until the peer closes.
    static func readToEnd(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let chunk = readSome(fd)
            if chunk.isEmpty { return out }
            out += chunk
        }
    }
}

/// An HTTP/1.1 message head and body, parsed just enough to proxy it.
struct HTTPMessage {
    /// The request or status line.
    var startLine: String
    /// Headers in order, names as sent.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    mutating func setHeader(_ name: String, _ value: String?) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        if let value { headers.append((name, value)) }
    }

    var bytes: [UInt8] {
        var head = startLine + "\r\n"
        for (n, v) in headers { head += "\(n): \(v)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    /// Index just past `\r\n\r\n`, if the head is complete.
    static func headEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    static func parseHead(_ bytes: ArraySlice<UInt8>) -> (String, [(name: String, value: String)]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
        let start = lines.isEmpty ? "" : lines.removeFirst()
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).drop { $0 == " " }.description)
        }
        return (start, headers)
    }

    /// Reads one request with a `Content-Length` body from `fd`, keeping leftover bytes in
    /// `buffer` for the next request on the connection; nil at EOF.
    static func readRequest(_ fd: Int32, buffer: inout [UInt8]) -> HTTPMessage? {
        while headEnd(buffer) == nil {
            let chunk = LoopbackSocket.readSome(fd)
            if chunk.isEmpty { return nil }
            buffer += chunk
        }
        let end = headEnd(buffer)!
        let (start, headers) = parseHead(buffer[0..<end])
        var message = HTTPMessage(startLine: start, headers: headers, body: [])
        let length = Int(message.header("content-length") ?? "0") ?? 0
        while buffer.count < end + length {
            let chunk = LoopbackSocket.readSome(fd)
            if chunk.isEmpty { return nil }
            buffer += chunk
        }
        message.body = Array(buffer[end..<(end + length)])
        buffer.removeFirst(end + length)
        return message
    }

    /// Parses a whole response read until the server closed.
    static func parseResponse(_ bytes: [UInt8]) -> HTTPMessage? {
        guard let end = headEnd(bytes) else { return nil }
        let (start, headers) = parseHead(bytes[0..<end])
        return HTTPMessage(startLine: start, headers: headers, body: Array(bytes[end...]))
    }
}
