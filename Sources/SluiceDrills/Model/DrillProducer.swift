import SluiceCore

/// A traffic source: messages at a steady rate with bursts, some sent twice (a producer retry
/// after a lost acknowledgement), some poison, grouped into batches (anti-stampede) and spread
/// over tenants.
public struct DrillProducer: Sendable, Hashable {
    /// How a message picks its queue when the producer sends to several.
    public enum Distribution: String, Sendable, Hashable, CaseIterable {
        /// Two candidate queues from the tenant's hash; the shallower one wins (Lambda's front end).
        case bestOfTwo = "best-of-two"
        /// One queue from the tenant's hash.
        case hash
        /// Queues in turn.
        case roundRobin = "round-robin"
    }

    /// A stretch of time at a different rate.
    public struct Burst: Sendable, Hashable {
        public var at: TimeSpan
        public var length: TimeSpan
        /// Messages per second during the burst.
        public var rate: Double
        public init(at: TimeSpan, length: TimeSpan, rate: Double) {
            self.at = at
            self.length = length
            self.rate = rate
        }
    }

    public var name: String
    /// Target queues; more than one needs a distribution.
    public var queues: [String]
    public var distribution: Distribution
    /// Messages per second outside bursts.
    public var rate: Double
    public var start: TimeSpan
    /// When it stops; nil runs to the end of the drill.
    public var stop: TimeSpan?
    public var bursts: [Burst]
    /// Fraction of messages sent a second time, 0...1.
    public var duplicateRatio: Double
    /// Fraction of messages whose payload no worker can process, 0...1.
    public var poisonRatio: Double
    /// The error type workers give poison messages.
    public var poisonErrorType: String
    /// Messages per send call, 1...10 (1: no anti-stampede batching).
    public var batchSize: Int
    /// How long messages gather before a batch is sent.
    public var window: TimeSpan
    /// Number of tenants messages are spread over (`t0`, `t1`, …).
    public var tenants: Int
    /// Share of messages that belong to tenant `t0`, the hot tenant, 0...1; nil spreads evenly.
    public var hotTenantShare: Double?

    /// Creates a producer.
    public init(name: String, queues: [String], distribution: Distribution = .bestOfTwo, rate: Double, start: TimeSpan = .zero,
                stop: TimeSpan? = nil, bursts: [Burst] = [], duplicateRatio: Double = 0, poisonRatio: Double = 0,
                poisonErrorType: String = "ValidationError", batchSize: Int = 10, window: TimeSpan = .seconds(1),
                tenants: Int = 1, hotTenantShare: Double? = nil) {
        self.name = name
        self.queues = queues
        self.distribution = distribution
        self.rate = rate
        self.start = start
        self.stop = stop
        self.bursts = bursts
        self.duplicateRatio = duplicateRatio
        self.poisonRatio = poisonRatio
        self.poisonErrorType = poisonErrorType
        self.batchSize = batchSize
        self.window = window
        self.tenants = tenants
        self.hotTenantShare = hotTenantShare
    }

    /// Messages per second at drill time `t`.
    public func rate(at t: TimeSpan) -> Double {
        if t < start { return 0 }
        if let stop, t >= stop { return 0 }
        return bursts.last(where: { t >= $0.at && t < $0.at + $0.length })?.rate ?? rate
    }
}
