import SluiceCore
import SluiceSQS

/// Builds backends other than the embedded store.
enum BackendFactory {
    /// The SQS backend for `--sqs`: credentials, region and endpoint from the flags, the
    /// environment and `~/.aws`. Retry notes go to standard error; secrets never do.
    static func makeSQS(endpointURL: String?, region: String?, readOnly: Bool) async throws -> SQSBackend {
        try SQSBackend.make(endpointURL: endpointURL, region: region, readOnly: readOnly, log: { line in
            // Final failures come back as the thrown error; only retries are news here.
            if line.contains("retrying") { Terminal.note(line) }
        })
    }
}
