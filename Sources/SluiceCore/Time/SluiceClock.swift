import Synchronization

/// Where Sluice gets the time: injected everywhere so tests and drills run on virtual time.
public protocol SluiceClock: Sendable {
    /// The current time.
    func now() -> Timestamp
    /// Suspends for `span` of this clock's time. Virtual clocks may return at once.
    func sleep(for span: TimeSpan) async throws
}

/// The machine's wall clock.
public struct SystemClock: SluiceClock {
    public init() {}

    public func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(millis: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    public func sleep(for span: TimeSpan) async throws {
        guard span.millis > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(span.millis) * 1_000_000)
    }
}

/// A virtual clock that moves only when told to; `sleep` advances it instantly, so a paced
/// redrive of an hour completes in microseconds while still seeing every intermediate time.
public final class ManualClock: SluiceClock {
    private let current: Mutex<Int64>

    /// Creates a clock standing at `start`.
    public init(start: Timestamp = Timestamp(millis: 1_795_600_000_000)) {
        current = Mutex(start.millis)
    }

    public func now() -> Timestamp { Timestamp(millis: current.withLock { $0 }) }

    /// Moves the clock forward by `span`.
    public func advance(by span: TimeSpan) {
        current.withLock { $0 += max(0, span.millis) }
    }

    /// Sets the clock to `time` (never backwards).
    public func set(_ time: Timestamp) {
        current.withLock { $0 = max($0, time.millis) }
    }

    public func sleep(for span: TimeSpan) async throws {
        advance(by: span)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
