/// Decides when the next batch may start: a random pause from the jitter range after the previous
/// batch ends, and never sooner than the rate allows after the previous batch started.
///
/// Both rules hold at once, so the achieved rate never exceeds `maxRate` and the pause between
/// batches is never shorter than the jitter's lower bound.
public struct Pacer: Sendable {
    public let limits: RunbookLimits
    private var rng: SplitMix64
    private var lastStart: Timestamp?
    private var lastSize = 0

    /// Creates a pacer; the seed makes the jitter sequence reproducible.
    public init(limits: RunbookLimits, seed: UInt64) {
        self.limits = limits
        self.rng = SplitMix64(seed: seed)
    }

    /// Records that a batch of `size` messages started at `start`.
    public mutating func batchStarted(at start: Timestamp, size: Int) {
        lastStart = start
        lastSize = size
    }

    /// The earliest start of the next batch, given the previous batch ended at `end`; also the jitter drawn.
    public mutating func nextStart(afterBatchEndedAt end: Timestamp) -> (start: Timestamp, jitter: TimeSpan) {
        let low = limits.jitter.lowerBound.millis, high = limits.jitter.upperBound.millis
        let jitter = TimeSpan(millis: high > low ? low + Int64(rng.next() % UInt64(high - low + 1)) : low)
        var start = end + jitter
        if let lastStart, limits.maxRate > 0 {
            let gap = TimeSpan(millis: Int64((Double(lastSize) / limits.maxRate * 1000).rounded(.up)))
            start = max(start, lastStart + gap)
        }
        return (start, jitter)
    }
}
