import SluiceCore
import SluiceSQS
import SluiceTesting

/// The bench run's one moto_server (``MotoServer/shared()``, started by the first section that
/// needs it and stopped when the run ends) and SQS backends on it.
enum Moto {
    /// Runs `body` with an SQS backend on `moto`, then closes the backend.
    static func withBackend<T>(on moto: MotoServer, _ body: (SQSBackend) async throws -> T) async throws -> T {
        let configuration = SQSConfiguration(credentials: AWSCredentials(accessKeyId: "testing", secretAccessKey: "testing"),
                                             region: "us-east-1", endpoint: try AWSEndpoint(parsing: moto.endpoint))
        let backend = SQSBackend(client: SQSClient(configuration: configuration))
        do {
            let result = try await body(backend)
            try await backend.shutdown()
            return result
        } catch {
            try? await backend.shutdown()
            throw error
        }
    }
}
