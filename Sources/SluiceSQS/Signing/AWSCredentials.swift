import Foundation

/// An AWS access key pair, with the session token of temporary credentials.
///
/// The secret and the token never leave this value in text form: `description`,
/// `debugDescription` and string interpolation show only the access key id and `<redacted>`,
/// so a credential printed by accident (a log line, an error, `dump`) leaks nothing.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The access key id (`AKIA…`, `ASIA…`); not a secret, but it names the account.
    public var accessKeyId: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials (STS, SSO), if any.
    public var sessionToken: String?

    /// Creates credentials; empty session tokens count as none.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = (sessionToken?.isEmpty ?? true) ? nil : sessionToken
    }

    /// `AWSCredentials(accessKeyId: AKIDEXAMPLE, secretAccessKey: <redacted>, sessionToken: none)`.
    public var description: String {
        "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>, sessionToken: \(sessionToken == nil ? "none" : "<redacted>"))"
    }

    /// The same as ``description``: debuggers and `debugPrint` get no secret either.
    public var debugDescription: String { description }

    /// Keeps `dump` and the debugger's children view from walking into the stored secret.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": accessKeyId,
            "secretAccessKey": "<redacted>",
            "sessionToken": sessionToken == nil ? "none" : "<redacted>",
        ])
    }

    /// The secret strings this value holds, for scrubbing text that came back from a server.
    var secrets: [String] {
        [secretAccessKey, sessionToken].compactMap { $0 }.filter { $0.count >= 4 }
    }

    /// `text` with every occurrence of the secret key and session token replaced by `<redacted>`.
    ///
    /// Servers echo parts of a request in some errors (SignatureDoesNotMatch quotes the canonical
    /// request, which carries the session token); everything shown to a person goes through this.
    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return out
    }
}
