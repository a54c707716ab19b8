import Foundation
import SluiceCore
import Synchronization

/// The demo's clock: wall time from the moment the demo starts, running `speed` times faster,
/// so `sluice demo --speed 60x` shows an hour of traffic, ages and alarms in a minute.
final class DemoClock: SluiceClock {
    private let system = SystemClock()
    private let start: Int64
    let speed: Int64

    init(speed: Int64) {
        self.speed = max(1, speed)
        start = system.now().millis
    }

    func now() -> Timestamp {
        let real = system.now().millis
        return Timestamp(millis: start + (real - start) * speed)
    }

    /// Sleeps `span` of demo time: `span / speed` of real time.
    func sleep(for span: TimeSpan) async throws {
        guard span.millis > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(max(1, span.millis * 1_000_000 / speed)))
    }
}
