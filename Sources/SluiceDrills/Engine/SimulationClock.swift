import Synchronization
import SluiceCore

/// The clock a redrive runner uses inside a drill: `now` is the drill's virtual time, and `sleep`
/// parks the runner until the drill's event loop reaches the wake-up time.
///
/// The event loop and a runner take turns, never run together: the loop resumes a parked runner
/// and waits until it parks again (or ends), so what the runner does happens at a definite
/// virtual time, between the drill's own events, the same way on every run.
final class SimulationClock: SluiceClock {
    private struct Sleeper {
        var wake: Timestamp
        var order: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var sleepers: [Sleeper] = []
        var order = 0
        /// The event loop, waiting for the runner it handed the turn to.
        var loop: CheckedContinuation<Void, Never>?
    }

    private let base: ManualClock
    private let state = Mutex(State())

    init(base: ManualClock) { self.base = base }

    func now() -> Timestamp { base.now() }

    func sleep(for span: TimeSpan) async throws {
        let wake = base.now() + max(span, TimeSpan(millis: 1))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let loop = state.withLock { s -> CheckedContinuation<Void, Never>? in
                s.sleepers.append(Sleeper(wake: wake, order: s.order, continuation: continuation))
                s.order += 1
                defer { s.loop = nil }
                return s.loop
            }
            loop?.resume()
        }
    }

    /// When the earliest parked runner wants to wake.
    var nextWake: Timestamp? {
        state.withLock { s in s.sleepers.min { ($0.wake, $0.order) < ($1.wake, $1.order) }?.wake }
    }

    /// Gives the turn to whatever `start` sets going (a new runner task, or a parked one) and
    /// waits until it parks or ends.
    func handOver(_ start: () -> Void) async {
        await withCheckedContinuation { (loop: CheckedContinuation<Void, Never>) in
            state.withLock { $0.loop = loop }
            start()
        }
    }

    /// Resumes the earliest parked runner and waits for it to park again or end.
    func resumeEarliest() async {
        await handOver {
            let sleeper = state.withLock { s -> Sleeper? in
                guard let index = s.sleepers.indices.min(by: { (s.sleepers[$0].wake, s.sleepers[$0].order) < (s.sleepers[$1].wake, s.sleepers[$1].order) }) else { return nil }
                return s.sleepers.remove(at: index)
            }
            if let sleeper { sleeper.continuation.resume() } else { runnerEnded() }
        }
    }

    /// Called by a runner's task when it ends, to give the turn back to the event loop.
    func runnerEnded() {
        let loop = state.withLock { s -> CheckedContinuation<Void, Never>? in
            defer { s.loop = nil }
            return s.loop
        }
        loop?.resume()
    }
}
