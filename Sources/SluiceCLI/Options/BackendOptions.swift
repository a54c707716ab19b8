import ArgumentParser
import Foundation
import SluiceCore
import SluiceSQS
import SluiceStore

/// Where the queues live: `--store PATH` (embedded, the default) or `--sqs` (Amazon SQS).
struct BackendOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The embedded store file (default: $SLUICE_STORE, else ~/.local/share/sluice/store.sluice). With --sqs it keeps the redrive jobs and the journal.", valueName: "path"))
    var store: String?

    @Flag(name: .long, help: "Use Amazon SQS (or an SQS-compatible server) instead of the embedded store.")
    var sqs = false

    @Option(name: .long, help: ArgumentHelp("The SQS endpoint (default: $AWS_ENDPOINT_URL_SQS, $AWS_ENDPOINT_URL, else AWS).", valueName: "url"))
    var endpointURL: String?

    @Option(name: .long, help: ArgumentHelp("The AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile's).", valueName: "region"))
    var region: String?

    func validate() throws {
        if !sqs && (endpointURL != nil || region != nil) {
            throw ValidationError("--endpoint-url and --region apply to SQS — add --sqs")
        }
    }

    /// The embedded store path these options and the environment select.
    var storePath: String {
        if let store { return Self.expand(store) }
        if let env = ProcessInfo.processInfo.environment["SLUICE_STORE"], !env.isEmpty { return Self.expand(env) }
        return Self.defaultStorePath
    }

    /// `$XDG_DATA_HOME/sluice/store.sluice`, else `~/.local/share/sluice/store.sluice`.
    static var defaultStorePath: String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/sluice/store.sluice" }
        return NSHomeDirectory() + "/.local/share/sluice/store.sluice"
    }

    static func expand(_ path: String) -> String {
        path.hasPrefix("~/") ? NSHomeDirectory() + String(path.dropFirst(1)) : path
    }

    /// Opens the embedded store.
    func openStore(readOnly: Bool = false) throws -> Store {
        try Store(path: storePath, readOnly: readOnly)
    }

    /// Runs `body` with the selected backend and closes it afterwards (SQS holds an HTTP pool
    /// that must be shut down), whether `body` succeeds or throws.
    func withBackend<T>(readOnly: Bool = false, _ body: (any QueueBackend) async throws -> T) async throws -> T {
        let backend = try await openBackend(readOnly: readOnly)
        do {
            let result = try await body(backend)
            await Self.close(backend)
            return result
        } catch {
            await Self.close(backend)
            throw error
        }
    }

    /// Releases what a backend holds.
    static func close(_ backend: any QueueBackend) async {
        if let sqs = backend as? SQSBackend { try? await sqs.shutdown() }
    }

    /// Opens the selected backend; the caller must ``close(_:)`` it (prefer ``withBackend(readOnly:_:)``).
    func openBackend(readOnly: Bool = false) async throws -> any QueueBackend {
        if sqs {
            return try await BackendFactory.makeSQS(endpointURL: endpointURL, region: region, readOnly: readOnly)
        }
        return LocalBackend(store: try openStore(readOnly: readOnly))
    }
}

/// Shared `--json` flag.
struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

/// Parses a duration option with a message that names the flag.
func parseSpan(_ text: String?, flag: String) throws -> TimeSpan? {
    guard let text else { return nil }
    return try TimeSpan.parse(text, field: flag)
}
