import Synchronization
import SluiceCore

/// How SQS calls are retried: exponential backoff with full jitter, bounded attempts, a deadline.
///
/// Attempt `n` (1-based) that fails retryably waits a uniformly random time in
/// `0...min(maxDelay, baseDelay * 2^(n-1))` ("full jitter", so many clients that failed
/// together do not retry together), unless that would end past the call's deadline.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 disables retrying).
    public var maxAttempts: Int
    /// The ceiling of the first backoff.
    public var baseDelay: TimeSpan
    /// The largest ceiling any backoff may have.
    public var maxDelay: TimeSpan
    /// The most one call may take, attempts and waits together.
    public var deadline: TimeSpan
    /// The most one attempt may take before it counts as a timeout.
    public var attemptTimeout: TimeSpan

    /// Creates a policy.
    public init(maxAttempts: Int = 6, baseDelay: TimeSpan = .milliseconds(100), maxDelay: TimeSpan = .seconds(10), deadline: TimeSpan = .seconds(90), attemptTimeout: TimeSpan = .seconds(30)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.deadline = deadline
        self.attemptTimeout = attemptTimeout
    }

    /// The defaults for AWS: 6 attempts, 100 ms doubling to 10 s, 90 s per call.
    public static let standard = RetryPolicy()

    /// The ceiling of the wait after failed attempt `attempt` (1-based).
    public func ceiling(afterAttempt attempt: Int) -> TimeSpan {
        let shift = min(max(attempt - 1, 0), 30)
        let (grown, overflow) = baseDelay.millis.multipliedReportingOverflow(by: Int64(1) << shift)
        return TimeSpan(millis: overflow ? maxDelay.millis : min(maxDelay.millis, grown))
    }

    /// The wait after failed attempt `attempt`, drawn from `0...ceiling` with `random`.
    /// - Parameter random: returns a uniform integer in `0...upperBound`.
    public func backoff(afterAttempt attempt: Int, random: (UInt64) -> UInt64) -> TimeSpan {
        let top = ceiling(afterAttempt: attempt).millis
        guard top > 0 else { return .zero }
        return TimeSpan(millis: Int64(min(random(UInt64(top)), UInt64(top))))
    }
}

/// A source of uniform random integers, injectable so retry tests are deterministic.
public final class RetryRandom: Sendable {
    private let generator: Mutex<SplitMix64>

    /// A generator seeded with `seed` (the same seed gives the same backoffs).
    public init(seed: UInt64) { generator = Mutex(SplitMix64(seed: seed)) }

    /// A generator seeded from the system's randomness.
    public convenience init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    /// A uniform integer in `0...upperBound`.
    public func next(upTo upperBound: UInt64) -> UInt64 {
        generator.withLock { rng in
            upperBound == .max ? rng.next() : UInt64.random(in: 0...upperBound, using: &rng)
        }
    }
}

/// Runs an operation under a ``RetryPolicy`` with an injected clock (sleep and deadline) and
/// random source, so tests run the whole schedule in virtual time.
public struct Retrier: Sendable {
    /// The policy.
    public var policy: RetryPolicy
    /// Sleeps between attempts and tells the time for the deadline.
    public var clock: any SluiceClock
    /// Draws the jitter.
    public var random: RetryRandom
    /// Called before each wait with the error and the wait (for logs and tests).
    public var onRetry: (@Sendable (_ error: SQSError, _ attempt: Int, _ wait: TimeSpan) -> Void)?

    /// Creates a retrier.
    public init(policy: RetryPolicy = .standard, clock: any SluiceClock = SystemClock(), random: RetryRandom = RetryRandom(), onRetry: (@Sendable (SQSError, Int, TimeSpan) -> Void)? = nil) {
        self.policy = policy
        self.clock = clock
        self.random = random
        self.onRetry = onRetry
    }

    /// Runs `attempt` until it succeeds, fails with a non-retryable error, runs out of
    /// attempts, or the next wait would pass the deadline; then throws the last error.
    /// - Parameter attempt: receives the 1-based attempt number and the time left before the deadline.
    public func run<T: Sendable>(_ attempt: (_ number: Int, _ timeLeft: TimeSpan) async throws(SQSError) -> T) async throws(SQSError) -> T {
        let start = clock.now()
        var number = 1
        while true {
            let left = policy.deadline - (clock.now() - start)
            do {
                return try await attempt(number, left)
            } catch {
                let failure = error
                guard error.isRetryable, number < policy.maxAttempts else { throw error }
                let wait = policy.backoff(afterAttempt: number) { random.next(upTo: $0) }
                let elapsed = clock.now() - start
                guard elapsed + wait < policy.deadline else { throw error }
                onRetry?(error, number, wait)
                // Cancelled while waiting: the caller learns why the last attempt failed.
                do { try await clock.sleep(for: wait) } catch _ { throw failure }
                number += 1
            }
        }
    }
}
