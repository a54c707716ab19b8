import Crypto
import SluiceCore

/// AWS Signature Version 4 for header-signed requests: pure, deterministic for a given time.
///
/// Every header handed to ``sign(method:endpoint:headers:body:at:)`` is signed (except the hop
/// headers botocore skips, such as `user-agent`), `host` and `x-amz-date` are added, and
/// `x-amz-security-token` when the credentials carry a session token. SQS reads the payload
/// hash from the signature itself; ``includeContentSHA256`` adds the `x-amz-content-sha256`
/// header as well for servers that want it spelled out.
public struct SigV4Signer: Sendable {
    /// The keys that sign.
    public var credentials: AWSCredentials
    /// The region in the credential scope, e.g. `us-east-1`.
    public var region: String
    /// The service in the credential scope: `sqs`.
    public var service: String
    /// Whether to send and sign `x-amz-content-sha256: <hex sha256 of the body>`.
    public var includeContentSHA256: Bool

    /// Creates a signer for one region and service.
    public init(credentials: AWSCredentials, region: String, service: String = "sqs", includeContentSHA256: Bool = false) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.includeContentSHA256 = includeContentSHA256
    }

    /// Headers that are never signed: proxies may rewrite them (the list botocore uses).
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    /// The intermediate strings and the result of signing one request.
    public struct Signature: Sendable {
        /// Every header to send, the given ones plus `host`, `x-amz-date`, the token and `authorization`.
        public var headers: [(name: String, value: String)]
        /// The canonical request (step 1 of the algorithm).
        public var canonicalRequest: String
        /// The string to sign (step 2).
        public var stringToSign: String
        /// The hex signature (step 4).
        public var signature: String
        /// `host;x-amz-date;…`.
        public var signedHeaders: String
        /// The `Authorization` header value.
        public var authorization: String
    }

    /// Signs a request.
    /// - Parameters:
    ///   - method: `GET`, `POST`…
    ///   - endpoint: the request URL (its path and query are signed).
    ///   - headers: the headers to send and sign (names in any case).
    ///   - body: the payload bytes.
    ///   - at: the signing time; AWS rejects requests more than 5 minutes off its clock.
    public func sign(method: String, endpoint: AWSEndpoint, headers: [(name: String, value: String)], body: [UInt8], at: Timestamp) -> Signature {
        let amzDate = SigV4Signer.amzDate(at)
        let day = String(amzDate.prefix(8))
        let payloadHash = SigV4Signer.hex(SHA256.hash(data: body))

        var out = headers.filter { $0.name.lowercased() != "authorization" && $0.name.lowercased() != "x-amz-date" }
        if !out.contains(where: { $0.name.lowercased() == "host" }) {
            out.insert(("host", endpoint.hostHeader), at: 0)
        }
        out.append(("x-amz-date", amzDate))
        if let token = credentials.sessionToken {
            out.removeAll { $0.name.lowercased() == "x-amz-security-token" }
            out.append(("x-amz-security-token", token))
        }
        if includeContentSHA256 {
            out.removeAll { $0.name.lowercased() == "x-amz-content-sha256" }
            out.append(("x-amz-content-sha256", payloadHash))
        }

        var grouped: [String: [String]] = [:]
        for (name, value) in out {
            let lname = name.lowercased().trimmingEdges(" \t")
            guard !SigV4Signer.unsignedHeaders.contains(lname) else { continue }
            grouped[lname, default: []].append(SigV4Signer.trimAll(value))
        }
        let names = grouped.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let signedPayload = out.first { $0.name.lowercased() == "x-amz-content-sha256" }?.value ?? payloadHash

        let canonicalRequest = [
            method.uppercased(),
            SigV4Signer.canonicalPath(endpoint.path),
            SigV4Signer.canonicalQuery(endpoint.query),
            canonicalHeaders,
            signedHeaders,
            signedPayload,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256",
            amzDate,
            scope,
            SigV4Signer.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        let key = signingKey(day: day)
        let signature = SigV4Signer.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        out.append(("authorization", authorization))
        return Signature(
            headers: out, canonicalRequest: canonicalRequest, stringToSign: stringToSign,
            signature: signature, signedHeaders: signedHeaders, authorization: authorization
        )
    }

    /// The derived key for a day (`YYYYMMDD`): HMAC chain over date, region, service, `aws4_request`.
    func signingKey(day: String) -> SymmetricKey {
        func mac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key)))
        }
        let secret = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        return mac(mac(mac(mac(secret, day), region), service), "aws4_request")
    }

    /// `20150830T123600Z` for a timestamp.
    public static func amzDate(_ time: Timestamp) -> String {
        // iso8601 is `2015-08-30T12:36:00.000Z`: keep the digits of date and whole seconds.
        let iso = time.iso8601
        let date = iso.prefix(10).filter { $0 != "-" }
        let clock = iso.dropFirst(11).prefix(8).filter { $0 != ":" }
        return "\(date)T\(clock)Z"
    }

    /// Lowercase hex of a digest or MAC.
    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Trims and collapses runs of spaces, as the canonical header form requires.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// RFC 3986 encoding: unreserved characters stay, everything else is `%XX` (upper case).
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-_.~".contains(c) || (keepSlash && c == "/")) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// The canonical path: dot segments removed, then every byte outside the unreserved set encoded.
    ///
    /// An already-encoded path (`%20`) is encoded again (`%2520`), as SigV4 prescribes for every
    /// service but S3 and as botocore signs.
    static func canonicalPath(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment == "." { continue }
            if segment == ".." { _ = segments.popLast(); continue }
            segments.append(segment)
        }
        let normalized = "/" + segments.joined(separator: "/")
        return uriEncode(normalized, keepSlash: true)
    }

    /// The canonical query: pairs sorted by encoded key then value, each side encoded.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = uriEncode(percentDecode(String(parts[0])), keepSlash: false)
            let value = parts.count > 1 ? uriEncode(percentDecode(String(parts[1])), keepSlash: false) : ""
            return (key, value)
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Decodes `%XX` escapes; malformed escapes stay as they are.
    static func percentDecode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let v = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    func trimmingEdges(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
