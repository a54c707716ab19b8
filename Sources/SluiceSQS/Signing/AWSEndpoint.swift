import SluiceCore

/// An `http(s)://host[:port][/path][?query]` URL split into the parts SigV4 signs.
///
/// A small parser of its own rather than Foundation's `URL`, so the signer sees exactly the
/// bytes that were written (Foundation re-encodes paths and queries in ways SigV4 does not).
public struct AWSEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address, without brackets for IPv6.
    public var host: String
    /// The explicit port, nil when the URL had none.
    public var port: Int?
    /// The path, `/` when empty.
    public var path: String
    /// The raw query without `?`, empty when none.
    public var query: String

    /// Parses an absolute URL.
    /// - Parameter field: the flag or variable the text came from, named in the error.
    /// - Throws: `SluiceError.badInput` naming `field` when the text is not an http(s) URL.
    public init(parsing text: String, field: String = "--endpoint-url") throws {
        let bad = SluiceError.badInput(
            "\(field): '\(text)' is not an http(s) URL",
            fix: "write it like http://127.0.0.1:5000 or https://sqs.eu-west-1.amazonaws.com"
        )
        guard let schemeEnd = text.firstRange(of: "://") else { throw bad }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw bad }
        var rest = text[schemeEnd.upperBound...]
        var query = ""
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        if let hash = query.firstIndex(of: "#") { query = String(query[..<hash]) }
        var path = "/"
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        var host = String(rest)
        var port: Int? = nil
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw bad }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { throw bad }
                port = p
            } else if !after.isEmpty { throw bad }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else { throw bad }
            port = p
            host = String(host[..<colon])
        }
        guard !host.isEmpty, !host.contains("@"), !host.contains(" ") else { throw bad }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.path = path
        self.query = query
    }

    /// The port requests go to: the explicit one, else 443 or 80.
    public var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// The `Host` header value: the port appears only when it is not the scheme's default.
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        if let port, port != (scheme == "https" ? 443 : 80) { return "\(h):\(port)" }
        return h
    }

    /// The URL written back in normal form.
    public var description: String {
        "\(scheme)://\(hostHeader)\(path)\(query.isEmpty ? "" : "?" + query)"
    }

    /// The same endpoint with another path and no query (queue URLs share their endpoint's host).
    public func with(path: String) -> AWSEndpoint {
        var copy = self
        copy.path = path.isEmpty ? "/" : path
        copy.query = ""
        return copy
    }
}
