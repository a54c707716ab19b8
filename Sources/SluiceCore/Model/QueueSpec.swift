/// A queue's configuration, with SQS's defaults and limits.
public struct QueueSpec: Sendable, Hashable, Codable {
    /// The queue name: 1–80 characters of letters, digits, `-` and `_`; FIFO queues end in `.fifo`.
    public var name: String
    /// How long a received message stays hidden (default 30 s, at most 12 h).
    public var visibilityTimeout: TimeSpan
    /// How long a message may stay in the queue, counted from its first send (default 4 d, 1 min–14 d).
    public var retention: TimeSpan
    /// How long a new message stays invisible after send (default 0, at most 15 min).
    public var delay: TimeSpan
    /// Where messages go after `maxReceiveCount` receives without a delete.
    public var redrivePolicy: RedrivePolicy?

    public static let defaultVisibilityTimeout = TimeSpan.seconds(30)
    public static let maxVisibilityTimeout = TimeSpan.hours(12)
    public static let defaultRetention = TimeSpan.days(4)
    public static let minRetention = TimeSpan.minutes(1)
    public static let maxRetention = TimeSpan.days(14)
    public static let maxDelay = TimeSpan.minutes(15)

    /// Creates a spec; call ``validate()`` before use.
    public init(
        name: String,
        visibilityTimeout: TimeSpan = QueueSpec.defaultVisibilityTimeout,
        retention: TimeSpan = QueueSpec.defaultRetention,
        delay: TimeSpan = .zero,
        redrivePolicy: RedrivePolicy? = nil
    ) {
        self.name = name
        self.visibilityTimeout = visibilityTimeout
        self.retention = retention
        self.delay = delay
        self.redrivePolicy = redrivePolicy
    }

    /// Whether this is a FIFO queue (its name ends in `.fifo`).
    public var isFIFO: Bool { name.hasSuffix(".fifo") }

    /// Checks the name and every limit.
    /// - Throws: ``SluiceError`` naming the field and the allowed range.
    public func validate() throws {
        try QueueSpec.validateName(name)
        guard visibilityTimeout >= .zero, visibilityTimeout <= QueueSpec.maxVisibilityTimeout else {
            throw SluiceError.badInput("--visibility-timeout \(visibilityTimeout) is out of range", fix: "use 0s to 12h")
        }
        guard retention >= QueueSpec.minRetention, retention <= QueueSpec.maxRetention else {
            throw SluiceError.badInput("--retention \(retention) is out of range", fix: "use 1m to 14d")
        }
        guard delay >= .zero, delay <= QueueSpec.maxDelay else {
            throw SluiceError.badInput("--delay \(delay) is out of range", fix: "use 0s to 15m")
        }
        if let policy = redrivePolicy {
            try QueueSpec.validateName(policy.deadLetterQueue)
            guard (1...1000).contains(policy.maxReceiveCount) else {
                throw SluiceError.badInput("--max-receive-count \(policy.maxReceiveCount) is out of range", fix: "use 1 to 1000")
            }
            guard policy.deadLetterQueue != name else {
                throw SluiceError.badInput("queue '\(name)' cannot be its own dead-letter queue", fix: "name a different queue with --dlq")
            }
            guard policy.deadLetterQueue.hasSuffix(".fifo") == isFIFO else {
                throw SluiceError.badInput("queue '\(name)' and its DLQ '\(policy.deadLetterQueue)' must both be FIFO or both standard", fix: "FIFO queue names end in .fifo")
            }
        }
    }

    /// Checks a queue name against SQS's rules.
    public static func validateName(_ name: String) throws {
        let base = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        let ok = !base.isEmpty && name.count <= 80 && base.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard ok else {
            throw SluiceError.badInput("'\(name)' is not a valid queue name", fix: "use 1-80 letters, digits, '-' or '_' (FIFO names end in .fifo)")
        }
    }
}

/// SQS's redrive policy: after `maxReceiveCount` receives, the next receive dead-letters the message.
public struct RedrivePolicy: Sendable, Hashable, Codable {
    /// The dead-letter queue's name.
    public var deadLetterQueue: String
    /// Receives allowed before the message moves (1–1000).
    public var maxReceiveCount: Int

    public init(deadLetterQueue: String, maxReceiveCount: Int) {
        self.deadLetterQueue = deadLetterQueue
        self.maxReceiveCount = maxReceiveCount
    }
}

/// A queue as a backend reports it: its spec plus what points at it.
public struct QueueInfo: Sendable, Hashable, Codable {
    /// The configuration.
    public var spec: QueueSpec
    /// Queues whose redrive policy names this queue as their DLQ.
    public var deadLetterSources: [String]

    public init(spec: QueueSpec, deadLetterSources: [String]) {
        self.spec = spec
        self.deadLetterSources = deadLetterSources
    }

    public var name: String { spec.name }
    /// Whether some queue dead-letters into this one.
    public var isDeadLetterQueue: Bool { !deadLetterSources.isEmpty }
}
