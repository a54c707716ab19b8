import Foundation
import SluiceCore

/// Where an SQS connection goes and with which keys, after every source has been consulted.
public struct SQSConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The keys (their `description` is redacted).
    public var credentials: AWSCredentials
    /// Where the credentials came from, e.g. `environment` or `profile 'ops' in ~/.aws/credentials`.
    public var credentialsSource: String
    /// The signing region.
    public var region: String
    /// The SQS endpoint requests are sent to.
    public var endpoint: AWSEndpoint
    /// The profile that was read (even when the environment supplied the keys).
    public var profile: String

    /// Creates a configuration directly (tests, embedding).
    public init(credentials: AWSCredentials, credentialsSource: String = "given", region: String, endpoint: AWSEndpoint, profile: String = "default") {
        self.credentials = credentials
        self.credentialsSource = credentialsSource
        self.region = region
        self.endpoint = endpoint
        self.profile = profile
    }

    /// One line for logs and the journal; no secret in it.
    public var description: String {
        "sqs \(endpoint) region \(region) key \(credentials.accessKeyId) from \(credentialsSource)"
    }
}

/// Resolves credentials, region and endpoint the way the AWS CLI does, from an environment
/// dictionary and a home directory (both injected, so tests need no real `~/.aws`).
///
/// Precedence:
/// - credentials: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), else the
///   profile (`AWS_PROFILE`, default `default`) in the credentials file, else in the config file;
/// - region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else
///   `us-east-1` when an explicit endpoint is given (local servers ignore it);
/// - endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL`, else
///   `https://sqs.<region>.amazonaws.com`.
/// Files: `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) and `AWS_CONFIG_FILE`
/// (default `~/.aws/config`).
public struct AWSConfigResolver: Sendable {
    /// The process environment (or a test's).
    public var environment: [String: String]
    /// The home directory `~` expands to.
    public var homeDirectory: String
    /// Reads a file's text, nil when it does not exist; injectable for tests.
    public var readFile: @Sendable (String) -> String?

    /// Creates a resolver.
    public init(environment: [String: String], homeDirectory: String, readFile: (@Sendable (String) -> String?)? = nil) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.readFile = readFile ?? { path in try? String(contentsOfFile: path, encoding: .utf8) }
    }

    /// A resolver over this process's environment and home.
    public static func current() -> AWSConfigResolver {
        AWSConfigResolver(environment: ProcessInfo.processInfo.environment, homeDirectory: NSHomeDirectory())
    }

    private func env(_ name: String) -> String? {
        guard let v = environment[name]?.trimmingEdges(" \t\n"), !v.isEmpty else { return nil }
        return v
    }

    private func expand(_ path: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return homeDirectory + String(path.dropFirst(1)) }
        return path
    }

    /// The credentials file path.
    public var credentialsFilePath: String { expand(env("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials") }
    /// The config file path.
    public var configFilePath: String { expand(env("AWS_CONFIG_FILE") ?? "~/.aws/config") }
    /// The selected profile name.
    public var profileName: String { env("AWS_PROFILE") ?? "default" }

    /// Resolves everything.
    /// - Parameters:
    ///   - endpointURL: `--endpoint-url`, if given.
    ///   - region: `--region`, if given.
    /// - Throws: `SluiceError.badInput` naming the variable, flag or file to fix.
    public func resolve(endpointURL: String? = nil, region: String? = nil) throws -> SQSConfiguration {
        let profile = profileName
        let credentialsFile = readFile(credentialsFilePath).map { AWSProfileFile(text: $0, kind: .credentials) }
        let configFile = readFile(configFilePath).map { AWSProfileFile(text: $0, kind: .config) }
        let profileExists = credentialsFile?.profiles[profile] != nil || configFile?.profiles[profile] != nil
        if env("AWS_PROFILE") != nil && !profileExists {
            throw SluiceError.badInput(
                "AWS_PROFILE names profile '\(profile)', which is in neither \(credentialsFilePath) nor \(configFilePath)",
                fix: "add a [\(profile)] section to the credentials file (or [profile \(profile)] to the config file), or unset AWS_PROFILE"
            )
        }

        let endpointText = endpointURL.flatMap { $0.isEmpty ? nil : $0 }
        let endpointSource: (text: String, field: String)? =
            endpointText.map { ($0, "--endpoint-url") }
            ?? env("AWS_ENDPOINT_URL_SQS").map { ($0, "AWS_ENDPOINT_URL_SQS") }
            ?? env("AWS_ENDPOINT_URL").map { ($0, "AWS_ENDPOINT_URL") }

        let resolvedRegion: String
        if let region, !region.isEmpty {
            resolvedRegion = region
        } else if let r = env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? configFile?.value("region", profile: profile) {
            resolvedRegion = r
        } else if endpointSource != nil {
            resolvedRegion = "us-east-1"
        } else {
            throw SluiceError.badInput(
                "no AWS region is set",
                fix: "pass --region, set AWS_REGION, or add 'region = ...' to profile '\(profile)' in \(configFilePath)"
            )
        }
        try AWSConfigResolver.validateRegion(resolvedRegion)

        let endpoint: AWSEndpoint
        if let endpointSource {
            endpoint = try AWSEndpoint(parsing: endpointSource.text, field: endpointSource.field)
        } else {
            let suffix = resolvedRegion.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            endpoint = try AWSEndpoint(parsing: "https://sqs.\(resolvedRegion).\(suffix)", field: "--region")
        }

        let (credentials, source) = try resolveCredentials(profile: profile, credentialsFile: credentialsFile, configFile: configFile)
        return SQSConfiguration(credentials: credentials, credentialsSource: source, region: resolvedRegion, endpoint: endpoint, profile: profile)
    }

    private func resolveCredentials(profile: String, credentialsFile: AWSProfileFile?, configFile: AWSProfileFile?) throws -> (AWSCredentials, String) {
        let id = env("AWS_ACCESS_KEY_ID"), secret = env("AWS_SECRET_ACCESS_KEY")
        switch (id, secret) {
        case let (id?, secret?):
            return (AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN")), "environment")
        case (_?, nil):
            throw SluiceError.badInput("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not", fix: "export both, or unset AWS_ACCESS_KEY_ID to use a profile")
        case (nil, _?):
            throw SluiceError.badInput("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not", fix: "export both, or unset AWS_SECRET_ACCESS_KEY to use a profile")
        case (nil, nil):
            break
        }
        for (file, path) in [(credentialsFile, credentialsFilePath), (configFile, configFilePath)] {
            guard let file, file.profiles[profile] != nil else { continue }
            let id = file.value("aws_access_key_id", profile: profile)
            let secret = file.value("aws_secret_access_key", profile: profile)
            if let id, let secret {
                let token = file.value("aws_session_token", profile: profile) ?? file.value("aws_security_token", profile: profile)
                return (AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token), "profile '\(profile)' in \(path)")
            }
            if id != nil || secret != nil {
                throw SluiceError.badInput(
                    "profile '\(profile)' in \(path) has only one of aws_access_key_id and aws_secret_access_key",
                    fix: "add the missing key to the [\(profile)] section"
                )
            }
        }
        throw SluiceError.badInput(
            "no AWS credentials found (environment, or profile '\(profile)' in \(credentialsFilePath) or \(configFilePath))",
            fix: "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set AWS_PROFILE to a profile with keys (SSO and role profiles: export the keys with 'aws configure export-credentials')"
        )
    }

    /// Checks that a region looks like one (`us-east-1`), so a typo fails here, not as a DNS error.
    static func validateRegion(_ region: String) throws {
        let ok = !region.isEmpty && region.count <= 40
            && region.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        guard ok else {
            throw SluiceError.badInput("'\(region)' is not an AWS region", fix: "use a region name such as us-east-1 or eu-west-1")
        }
    }
}
