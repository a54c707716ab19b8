import SluiceCore

/// The drill's virtual time for readers, and a `sleep` that waits (in short wall-time naps)
/// until the drill has advanced that far. Paused drill, paused sleepers.
final class PacedDrillClock: SluiceClock {
    private let virtual: any SluiceClock

    init(virtual: any SluiceClock) { self.virtual = virtual }

    func now() -> Timestamp { virtual.now() }

    func sleep(for span: TimeSpan) async throws {
        let wake = virtual.now() + span
        while virtual.now() < wake {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}
