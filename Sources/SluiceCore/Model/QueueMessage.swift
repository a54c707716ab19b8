/// A typed message attribute, as SQS carries them (`String`, `Number`, `Binary`, with optional `.suffix`).
public struct MessageAttribute: Sendable, Hashable, Codable {
    /// `String`, `Number` or `Binary`, optionally with a custom suffix such as `String.json`.
    public var dataType: String
    /// The value for `String` and `Number` types.
    public var stringValue: String?
    /// The value for `Binary` types.
    public var binaryValue: [UInt8]?

    public init(dataType: String = "String", stringValue: String? = nil, binaryValue: [UInt8]? = nil) {
        self.dataType = dataType
        self.stringValue = stringValue
        self.binaryValue = binaryValue
    }

    /// A `String` attribute.
    public static func string(_ value: String) -> MessageAttribute { .init(dataType: "String", stringValue: value) }
    /// A `Number` attribute.
    public static func number(_ value: Int64) -> MessageAttribute { .init(dataType: "Number", stringValue: String(value)) }
}

/// Where a redriven message came from: it travels with the message as attributes (and in the journal).
public struct Lineage: Sendable, Hashable, Codable {
    /// The message id in the DLQ before the redrive (the first id, across repeated redrives).
    public var originalMessageId: String
    /// The first `SentTimestamp` of the message, before any redrive.
    public var originalSentAt: Timestamp
    /// The redrive job that moved it last.
    public var jobId: String
    /// How many times it has been redriven.
    public var redriveCount: Int

    public init(originalMessageId: String, originalSentAt: Timestamp, jobId: String, redriveCount: Int) {
        self.originalMessageId = originalMessageId
        self.originalSentAt = originalSentAt
        self.jobId = jobId
        self.redriveCount = redriveCount
    }

    /// Attribute names used to carry lineage on the wire.
    public enum AttributeName {
        public static let originalMessageId = "sluice.original-message-id"
        public static let originalSentAt = "sluice.original-sent-at"
        public static let jobId = "sluice.redrive-job"
        public static let redriveCount = "sluice.redrive-count"
        public static let all = [originalMessageId, originalSentAt, jobId, redriveCount]
    }

    /// Lineage as message attributes.
    public var attributes: [String: MessageAttribute] {
        [
            AttributeName.originalMessageId: .string(originalMessageId),
            AttributeName.originalSentAt: .number(originalSentAt.millis),
            AttributeName.jobId: .string(jobId),
            AttributeName.redriveCount: .number(Int64(redriveCount)),
        ]
    }

    /// Reads lineage back from message attributes, if present.
    public init?(attributes: [String: MessageAttribute]) {
        guard let id = attributes[AttributeName.originalMessageId]?.stringValue,
              let sent = attributes[AttributeName.originalSentAt]?.stringValue.flatMap({ Int64($0) }),
              let job = attributes[AttributeName.jobId]?.stringValue,
              let count = attributes[AttributeName.redriveCount]?.stringValue.flatMap({ Int($0) })
        else { return nil }
        self.init(originalMessageId: id, originalSentAt: Timestamp(millis: sent), jobId: job, redriveCount: count)
    }
}

/// A message as read from a queue: what the SQS API returns, plus why it failed when known.
public struct QueueMessage: Sendable, Hashable, Codable {
    /// The message id (unchanged by a DLQ move; new on a redrive).
    public var id: String
    /// The queue it is in.
    public var queue: String
    /// The body as bytes; it may not be UTF-8.
    public var body: [UInt8]
    /// Message attributes.
    public var attributes: [String: MessageAttribute]
    /// First enqueue time; kept when the redrive policy moves the message to its DLQ.
    public var sentAt: Timestamp
    /// Receives so far (`ApproximateReceiveCount`).
    public var receiveCount: Int
    /// First receive time (`ApproximateFirstReceiveTimestamp`).
    public var firstReceivedAt: Timestamp?
    /// When it entered a dead-letter queue, if it did.
    public var deadLetteredAt: Timestamp?
    /// The error type: a worker's verdict, an error attribute, a body field, or `Unknown`.
    public var errorType: String?
    /// The error message, when known.
    public var errorMessage: String?
    /// The FIFO message group, if any.
    public var groupId: String?
    /// The receipt handle of the receive that returned it, if it was received.
    public var receiptHandle: String?

    public init(
        id: String, queue: String, body: [UInt8], attributes: [String: MessageAttribute] = [:],
        sentAt: Timestamp, receiveCount: Int = 0, firstReceivedAt: Timestamp? = nil,
        deadLetteredAt: Timestamp? = nil, errorType: String? = nil, errorMessage: String? = nil,
        groupId: String? = nil, receiptHandle: String? = nil
    ) {
        self.id = id
        self.queue = queue
        self.body = body
        self.attributes = attributes
        self.sentAt = sentAt
        self.receiveCount = receiveCount
        self.firstReceivedAt = firstReceivedAt
        self.deadLetteredAt = deadLetteredAt
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.groupId = groupId
        self.receiptHandle = receiptHandle
    }

    /// Lineage, when the message was redriven by Sluice.
    public var lineage: Lineage? { Lineage(attributes: attributes) }

    /// Age since first send.
    public func age(at now: Timestamp) -> TimeSpan { now - sentAt }

    /// Time left before retention removes it.
    public func timeToExpiry(at now: Timestamp, retention: TimeSpan) -> TimeSpan { (sentAt + retention) - now }
}

/// One entry of a send batch.
public struct SendEntry: Sendable, Hashable {
    /// The caller's id for this entry, unique within the batch.
    public var entryId: String
    public var body: [UInt8]
    public var attributes: [String: MessageAttribute]
    /// Overrides the queue's delay.
    public var delay: TimeSpan?
    /// FIFO group id.
    public var groupId: String?
    /// FIFO deduplication id.
    public var deduplicationId: String?

    public init(entryId: String, body: [UInt8], attributes: [String: MessageAttribute] = [:], delay: TimeSpan? = nil, groupId: String? = nil, deduplicationId: String? = nil) {
        self.entryId = entryId
        self.body = body
        self.attributes = attributes
        self.delay = delay
        self.groupId = groupId
        self.deduplicationId = deduplicationId
    }

    /// A single-entry convenience for UTF-8 text.
    public init(_ text: String, attributes: [String: MessageAttribute] = [:]) {
        self.init(entryId: "0", body: Array(text.utf8), attributes: attributes)
    }
}

/// The outcome of one entry of a batch call: a message id (send) or nothing (delete), or an error.
public struct BatchEntryResult: Sendable, Hashable {
    public var entryId: String
    /// The new message id (send only).
    public var messageId: String?
    /// Why this entry failed; nil when it succeeded.
    public var error: SluiceError?

    public init(entryId: String, messageId: String? = nil, error: SluiceError? = nil) {
        self.entryId = entryId
        self.messageId = messageId
        self.error = error
    }

    public var succeeded: Bool { error == nil }
}

/// Limits shared by both backends (Amazon SQS's).
public enum QueueLimits {
    /// Entries in one send, receive or delete batch.
    public static let maxBatchEntries = 10
    /// The largest body, 1 MiB.
    public static let maxBodyBytes = 1_048_576
    /// Message attributes per message.
    public static let maxAttributes = 10
}
