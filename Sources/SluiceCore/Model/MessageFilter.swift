/// The operator's narrowing of a DLQ: error types and an age window (age counts from first send).
public struct MessageFilter: Sendable, Hashable, Codable {
    /// Error types to keep; empty keeps all.
    public var errorTypes: Set<String>
    /// Keep only messages at least this old.
    public var minAge: TimeSpan?
    /// Keep only messages at most this old.
    public var maxAge: TimeSpan?

    public init(errorTypes: Set<String> = [], minAge: TimeSpan? = nil, maxAge: TimeSpan? = nil) {
        self.errorTypes = errorTypes
        self.minAge = minAge
        self.maxAge = maxAge
    }

    /// Keeps everything.
    public static let all = MessageFilter()

    /// The inclusive `SentTimestamp` bounds this filter means at `now`; empty when `lower > upper`.
    public func sentBounds(at now: Timestamp) -> (lower: Int64, upper: Int64) {
        let upper = now.millis - (minAge?.millis ?? 0)
        let lower = maxAge.map { now.millis - $0.millis } ?? Int64.min
        return (lower, upper)
    }

    /// Whether the window is empty (min age above max age).
    public var isEmptyWindow: Bool {
        if let minAge, let maxAge { return minAge > maxAge }
        return false
    }

    /// Whether a message passes.
    public func matches(errorType: String, sentAt: Timestamp, now: Timestamp) -> Bool {
        if !errorTypes.isEmpty && !errorTypes.contains(errorType) { return false }
        let age = now - sentAt
        if let minAge, age < minAge { return false }
        if let maxAge, age > maxAge { return false }
        return true
    }

    /// Checks that the window makes sense.
    public func validate() throws {
        if let minAge, minAge < .zero { throw SluiceError.badInput("--min-age must not be negative") }
        if let maxAge, maxAge < .zero { throw SluiceError.badInput("--max-age must not be negative") }
        if isEmptyWindow {
            throw SluiceError.badInput("--min-age \(minAge!) is greater than --max-age \(maxAge!)", fix: "swap them or widen --max-age")
        }
    }
}

/// Counts of DLQ messages per error type within a filter.
public struct FacetCounts: Sendable, Hashable, Codable {
    /// Error type → count, for types with at least one message.
    public var counts: [String: Int]

    public init(counts: [String: Int]) { self.counts = counts.filter { $0.value > 0 } }

    /// All matching messages.
    public var total: Int { counts.values.reduce(0, +) }

    /// Types ordered by count (descending), then name.
    public var ranked: [(errorType: String, count: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// One page of a DLQ listing, oldest first.
public struct MessagePage: Sendable, Hashable, Codable {
    public var messages: [QueueMessage]
    /// Pass back to get the next page; nil at the end.
    public var nextCursor: String?

    public init(messages: [QueueMessage], nextCursor: String?) {
        self.messages = messages
        self.nextCursor = nextCursor
    }
}

/// The reserved error type of messages whose failure reason is not known.
public let unknownErrorType = "Unknown"
