import SluiceCore

/// Builds backends other than the embedded store.
enum BackendFactory {
    /// The SQS backend for `--sqs`.
    static func makeSQS(endpointURL: String?, region: String?, readOnly: Bool) async throws -> any QueueBackend {
        throw SluiceError.refused("--sqs is not wired into this build yet", fix: "use the embedded store (--store) for now")
    }
}
