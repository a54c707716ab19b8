import SluiceCore

extension SQSMessage {
    /// The message as Sluice shows it, with its error type read by `classifier`.
    ///
    /// SQS reports no time of the move into a DLQ, so `deadLetteredAt` stays nil; `sentAt` is
    /// the first enqueue (SQS keeps `SentTimestamp` across the move).
    public func queueMessage(queue: String, classifier: ErrorClassifier) -> QueueMessage {
        let (type, message) = classifier.classify(attributes: attributes, body: body)
        return QueueMessage(
            id: messageId, queue: queue, body: body, attributes: attributes,
            sentAt: Timestamp(millis: systemAttributes["SentTimestamp"].flatMap { Int64($0) } ?? 0),
            receiveCount: systemAttributes["ApproximateReceiveCount"].flatMap { Int($0) } ?? 0,
            firstReceivedAt: systemAttributes["ApproximateFirstReceiveTimestamp"].flatMap { Int64($0) }.map(Timestamp.init(millis:)),
            deadLetteredAt: nil,
            errorType: type, errorMessage: message,
            groupId: systemAttributes["MessageGroupId"],
            receiptHandle: receiptHandle
        )
    }
}

/// What a finished scan saw of a DLQ: the basis of facets, pages and the oldest age on SQS.
public struct DLQSnapshot: Sendable, Hashable {
    /// The queue scanned.
    public var queue: String
    /// When the scan finished.
    public var takenAt: Timestamp
    /// The messages seen, oldest first (by `SentTimestamp`, then id); receipt handles removed.
    public var messages: [QueueMessage]
    /// Whether the scan stopped at its limit, so the DLQ may hold more than it saw.
    public var reachedLimit: Bool

    /// Creates a snapshot; messages are sorted oldest first.
    public init(queue: String, takenAt: Timestamp, messages: [QueueMessage], reachedLimit: Bool) {
        self.queue = queue
        self.takenAt = takenAt
        self.messages = messages.map { var m = $0; m.receiptHandle = nil; return m }
            .sorted { $0.sentAt != $1.sentAt ? $0.sentAt < $1.sentAt : $0.id < $1.id }
        self.reachedLimit = reachedLimit
    }

    /// The first send time of the oldest message seen.
    public var oldestSentAt: Timestamp? { messages.first?.sentAt }

    /// Counts by error type of the messages passing `filter` at `now`.
    public func facets(filter: MessageFilter, now: Timestamp) -> FacetCounts {
        var counts: [String: Int] = [:]
        for m in messages where filter.matches(errorType: m.errorType ?? unknownErrorType, sentAt: m.sentAt, now: now) {
            counts[m.errorType ?? unknownErrorType, default: 0] += 1
        }
        return FacetCounts(counts: counts)
    }

    /// A page of the messages passing `filter`, oldest first; the cursor is `sentAt:id` of the last.
    /// - Throws: `badInput` for a malformed cursor or a limit outside 1–1000.
    public func page(filter: MessageFilter, now: Timestamp, after cursor: String?, limit: Int) throws -> MessagePage {
        guard (1...1000).contains(limit) else {
            throw SluiceError.badInput("--limit \(limit) is out of range", fix: "use 1 to 1000")
        }
        var after: (Int64, String)? = nil
        if let cursor {
            guard let colon = cursor.firstIndex(of: ":"), let sent = Int64(cursor[..<colon]) else {
                throw SluiceError.badInput("page cursor '\(cursor)' is not valid", fix: "pass the cursor printed by the previous page")
            }
            after = (sent, String(cursor[cursor.index(after: colon)...]))
        }
        var out: [QueueMessage] = []
        var more = false
        for m in messages {
            if let (sent, id) = after, (m.sentAt.millis, m.id) <= (sent, id) { continue }
            guard filter.matches(errorType: m.errorType ?? unknownErrorType, sentAt: m.sentAt, now: now) else { continue }
            if out.count == limit { more = true; break }
            out.append(m)
        }
        let next = more ? out.last.map { "\($0.sentAt.millis):\($0.id)" } : nil
        return MessagePage(messages: out, nextCursor: next)
    }
}
