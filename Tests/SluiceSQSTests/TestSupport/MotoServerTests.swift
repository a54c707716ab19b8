import Foundation
import Testing
import SluiceTesting

@Suite("Test support: moto server", .enabled(if: motoAvailable, "\(MotoServer.unavailableReason)"), .timeLimit(.minutes(2)))
struct MotoServerTests {
    @Test("a started server answers, and after shutdown its port is closed")
    func startStop() async throws {
        let moto = try await MotoServer.start()
        #expect(moto.answers())
        moto.shutdown()
        // Poll (bounded) until the killed server stops accepting connections.
        let deadline = Date().addingTimeInterval(15)
        while moto.answers() && Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
        #expect(!moto.answers(), "moto still answers after shutdown")
    }
}
