/// The pacing a redrive actually runs with, once the runbook's limits and the operator's request
/// have been combined. Every field is at most what either side allows.
public struct RunbookLimits: Sendable, Hashable, Codable {
    /// Messages per batch, 1...100.
    public var batchSize: Int
    /// The random pause between batches.
    public var jitter: ClosedRange<TimeSpan>
    /// Messages per second, above zero.
    public var maxRate: Double
    /// The most messages this run handles; nil for no cap.
    public var maxMessages: Int?

    /// Creates limits.
    public init(batchSize: Int, jitter: ClosedRange<TimeSpan>, maxRate: Double, maxMessages: Int?) {
        self.batchSize = batchSize
        self.jitter = jitter
        self.maxRate = maxRate
        self.maxMessages = maxMessages
    }
}

extension Runbook {
    /// The operator's filter narrowed by this runbook's: never wider than either.
    ///
    /// Error types are intersected (an empty set means "all" on either side), the larger
    /// `minAge` and the smaller `maxAge` win.
    ///
    /// - Returns: the narrowed filter, or nil when the two select nothing in common (disjoint
    ///   error types or an empty age window). A nil is needed because an empty `errorTypes` set
    ///   means "all", so a disjoint intersection cannot be written as a ``MessageFilter``.
    public func narrow(_ operatorFilter: MessageFilter) -> MessageFilter? {
        let mine = filter.errorTypes, theirs = operatorFilter.errorTypes
        let types: Set<String>
        if mine.isEmpty {
            types = theirs
        } else if theirs.isEmpty {
            types = mine
        } else {
            types = mine.intersection(theirs)
            if types.isEmpty { return nil }
        }
        let minAge = [filter.minAge, operatorFilter.minAge].compactMap { $0 }.max()
        let maxAge = [filter.maxAge, operatorFilter.maxAge].compactMap { $0 }.min()
        let narrowed = MessageFilter(errorTypes: types, minAge: minAge, maxAge: maxAge)
        return narrowed.isEmptyWindow ? nil : narrowed
    }

    /// The limits a run uses: the runbook's, lowered (never raised) by what the operator asks for.
    /// A positive rate is kept within ``RunbookBatch/minRatePerSecond`` and
    /// ``RunbookBatch/maxRatePerSecond``; zero (unpaced) stays zero.
    ///
    /// - Parameters:
    ///   - operatorMaxMessages: the operator's cap on messages; nil for none. Negative counts as 0.
    ///   - operatorRate: the operator's rate in messages per second; nil, zero or negative leaves
    ///     the runbook's rate (a zero rate would never finish, and cannot widen anything).
    ///   - operatorBatchSize: the operator's batch size; nil for the runbook's.
    public func clampedLimits(operatorMaxMessages: Int? = nil, operatorRate: Double? = nil, operatorBatchSize: Int? = nil) -> RunbookLimits {
        var size = min(batch.size, RunbookBatch.maxSize)
        if let operatorBatchSize, operatorBatchSize > 0 { size = min(size, operatorBatchSize) }
        var rate = min(batch.maxRate, RunbookBatch.maxRatePerSecond)
        if let operatorRate, operatorRate > 0, operatorRate.isFinite { rate = min(rate, operatorRate) }
        if rate > 0 { rate = max(rate, RunbookBatch.minRatePerSecond) }
        let caps = [batch.maxMessages, operatorMaxMessages.map { max($0, 0) }].compactMap { $0 }
        return RunbookLimits(batchSize: max(size, 1), jitter: batch.jitter, maxRate: rate, maxMessages: caps.min())
    }
}
