import Foundation
import SluiceCore

/// A message as `ReceiveMessage` returns it, body decoded (see ``MessageBodyCodec``).
public struct SQSMessage: Sendable, Hashable {
    /// The message id.
    public var messageId: String
    /// The receipt handle of this receive.
    public var receiptHandle: String
    /// The body bytes.
    public var body: [UInt8]
    /// Message attributes (the body-encoding marker removed).
    public var attributes: [String: MessageAttribute]
    /// System attributes: `SentTimestamp`, `ApproximateReceiveCount`, `MessageGroupId`…
    public var systemAttributes: [String: String]

    /// Creates a message.
    public init(messageId: String, receiptHandle: String, body: [UInt8], attributes: [String: MessageAttribute], systemAttributes: [String: String]) {
        self.messageId = messageId
        self.receiptHandle = receiptHandle
        self.body = body
        self.attributes = attributes
        self.systemAttributes = systemAttributes
    }
}

extension SQSClient {
    /// Every queue URL (all pages), optionally only names starting with `prefix`.
    public func listQueues(prefix: String? = nil) async throws(SQSError) -> [String] {
        var urls: [String] = []
        var token: String? = nil
        repeat {
            let page: SQSWire.ListQueuesResponse = try await call(
                "ListQueues", SQSWire.ListQueuesRequest(QueueNamePrefix: prefix, MaxResults: 1000, NextToken: token)
            )
            urls += page.QueueUrls ?? []
            token = page.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return urls
    }

    /// The URL of a queue by name.
    public func getQueueUrl(_ name: String) async throws(SQSError) -> String {
        let r: SQSWire.QueueUrlResponse = try await call("GetQueueUrl", SQSWire.GetQueueUrlRequest(QueueName: name), queue: name)
        return r.QueueUrl
    }

    /// A queue's attributes (`All` by default).
    public func getQueueAttributes(_ queueURL: String, names: [String] = ["All"]) async throws(SQSError) -> [String: String] {
        let r: SQSWire.GetQueueAttributesResponse = try await call(
            "GetQueueAttributes", SQSWire.GetQueueAttributesRequest(QueueUrl: queueURL, AttributeNames: names), queue: SQSClient.queueName(fromURL: queueURL)
        )
        return r.Attributes ?? [:]
    }

    /// The URLs of the queues whose redrive policy names this queue as their DLQ (all pages).
    public func listDeadLetterSourceQueues(_ queueURL: String) async throws(SQSError) -> [String] {
        var urls: [String] = []
        var token: String? = nil
        repeat {
            let page: SQSWire.ListDeadLetterSourceQueuesResponse = try await call(
                "ListDeadLetterSourceQueues", SQSWire.ListDeadLetterSourceQueuesRequest(QueueUrl: queueURL, MaxResults: 1000, NextToken: token),
                queue: SQSClient.queueName(fromURL: queueURL)
            )
            urls += page.queueUrls ?? page.QueueUrls ?? []
            token = page.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return urls
    }

    /// Creates a queue (or returns the URL of an identical one) with SQS attribute strings.
    public func createQueue(name: String, attributes: [String: String]) async throws(SQSError) -> String {
        let r: SQSWire.QueueUrlResponse = try await call(
            "CreateQueue", SQSWire.CreateQueueRequest(QueueName: name, Attributes: attributes.isEmpty ? nil : attributes), queue: name
        )
        return r.QueueUrl
    }

    /// Deletes a queue and its messages.
    public func deleteQueue(_ queueURL: String) async throws(SQSError) {
        let _: SQSWire.Empty = try await call("DeleteQueue", SQSWire.QueueUrlRequest(QueueUrl: queueURL), queue: SQSClient.queueName(fromURL: queueURL))
    }

    /// Sends up to 10 entries. Each entry succeeds or fails on its own; entries that failed on
    /// the server's side are sent again under the retry policy (a retry after a lost response
    /// can duplicate a message — at least once, never lost).
    /// - Throws: `SQSError` when the whole batch failed (after retries).
    public func sendMessageBatch(_ queueURL: String, entries: [SendEntry]) async throws(SQSError) -> [BatchEntryResult] {
        let queue = SQSClient.queueName(fromURL: queueURL)
        var results: [String: BatchEntryResult] = [:]
        var wire: [SQSWire.SendEntry] = []
        for entry in entries {
            do {
                let (text, attributes) = try MessageBodyCodec.encode(body: entry.body, attributes: entry.attributes, queue: queue)
                wire.append(SQSWire.SendEntry(
                    Id: entry.entryId, MessageBody: text,
                    DelaySeconds: entry.delay.map { Int($0.millis / 1000) },
                    MessageAttributes: attributes.isEmpty ? nil : attributes.mapValues(SQSClient.wireAttribute),
                    MessageDeduplicationId: entry.deduplicationId, MessageGroupId: entry.groupId
                ))
            } catch {
                results[entry.entryId] = BatchEntryResult(entryId: entry.entryId, error: error as? SluiceError ?? .badInput("\(error)"))
            }
        }
        let sent = try await batch("SendMessageBatch", queue: queue, entries: wire, id: \.Id) { (chunk) async throws(SQSError) -> SQSWire.BatchResponse in
            try await self.call("SendMessageBatch", SQSWire.SendMessageBatchRequest(QueueUrl: queueURL, Entries: chunk), queue: queue)
        }
        for result in sent { results[result.entryId] = result }
        return entries.map { results[$0.entryId] ?? BatchEntryResult(entryId: $0.entryId, error: SluiceError(.internalError, "no result for entry \($0.entryId)")) }
    }

    /// Receives up to `max` messages with every system and message attribute.
    /// - Parameters:
    ///   - visibility: hides them for this long (the queue's default when nil).
    ///   - wait: long-polls up to this long for messages (0 returns at once).
    public func receiveMessage(_ queueURL: String, max: Int, visibility: TimeSpan? = nil, wait: TimeSpan = .zero) async throws(SQSError) -> [SQSMessage] {
        let request = SQSWire.ReceiveMessageRequest(
            QueueUrl: queueURL, AttributeNames: ["All"], MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"],
            MaxNumberOfMessages: Swift.min(Swift.max(max, 1), QueueLimits.maxBatchEntries),
            VisibilityTimeout: visibility.map { Int($0.millis / 1000) },
            WaitTimeSeconds: Int(Swift.min(wait.millis, 20_000) / 1000)
        )
        let r: SQSWire.ReceiveMessageResponse = try await call(
            "ReceiveMessage", request, queue: SQSClient.queueName(fromURL: queueURL), extraTime: wait
        )
        return (r.Messages ?? []).map { m in
            var attributes: [String: MessageAttribute] = [:]
            for (name, value) in m.MessageAttributes ?? [:] {
                attributes[name] = MessageAttribute(dataType: value.DataType, stringValue: value.StringValue, binaryValue: value.BinaryValue.map { Array($0) })
            }
            let (body, rest) = MessageBodyCodec.decode(text: m.Body ?? "", attributes: attributes)
            return SQSMessage(messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: body, attributes: rest, systemAttributes: m.Attributes ?? [:])
        }
    }

    /// Deletes up to 10 messages by receipt handle; entry ids are the handles' positions (`"0"`…).
    public func deleteMessageBatch(_ queueURL: String, receipts: [String]) async throws(SQSError) -> [BatchEntryResult] {
        let queue = SQSClient.queueName(fromURL: queueURL)
        let wire = receipts.enumerated().map { SQSWire.DeleteEntry(Id: String($0.offset), ReceiptHandle: $0.element) }
        let results = try await batch("DeleteMessageBatch", queue: queue, entries: wire, id: \.Id) { (chunk) async throws(SQSError) -> SQSWire.BatchResponse in
            try await self.call("DeleteMessageBatch", SQSWire.DeleteMessageBatchRequest(QueueUrl: queueURL, Entries: chunk), queue: queue)
        }
        return SQSClient.ordered(results, count: receipts.count)
    }

    /// Sets the visibility timeout of up to 10 received messages (0 makes them visible now).
    public func changeMessageVisibilityBatch(_ queueURL: String, receipts: [String], visibility: TimeSpan) async throws(SQSError) -> [BatchEntryResult] {
        let queue = SQSClient.queueName(fromURL: queueURL)
        let seconds = Int(Swift.max(0, visibility.millis) / 1000)
        let wire = receipts.enumerated().map { SQSWire.VisibilityEntry(Id: String($0.offset), ReceiptHandle: $0.element, VisibilityTimeout: seconds) }
        let results = try await batch("ChangeMessageVisibilityBatch", queue: queue, entries: wire, id: \.Id) { (chunk) async throws(SQSError) -> SQSWire.BatchResponse in
            try await self.call("ChangeMessageVisibilityBatch", SQSWire.ChangeMessageVisibilityBatchRequest(QueueUrl: queueURL, Entries: chunk), queue: queue)
        }
        return SQSClient.ordered(results, count: receipts.count)
    }

    /// Runs a batch call, then re-sends only the entries that failed on the server's side
    /// (`SenderFault: false` with a retryable code), waiting as the retry policy says.
    func batch<Entry: Sendable>(
        _ operation: String, queue: String, entries: [Entry], id: KeyPath<Entry, String> & Sendable,
        send: ([Entry]) async throws(SQSError) -> SQSWire.BatchResponse
    ) async throws(SQSError) -> [BatchEntryResult] {
        guard !entries.isEmpty else { return [] }
        var pending = entries
        var done: [BatchEntryResult] = []
        var round = 1
        while true {
            let response = try await send(pending)
            for ok in response.Successful ?? [] {
                done.append(BatchEntryResult(entryId: ok.Id, messageId: ok.MessageId))
            }
            var retry: [Entry] = []
            for failed in response.Failed ?? [] {
                let error = SQSError(
                    SQSError.kind(code: failed.Code ?? "", status: (failed.SenderFault ?? true) ? 400 : 500),
                    operation: operation, code: failed.Code ?? "", message: configuration.credentials.redact(failed.Message ?? ""), queue: queue
                )
                if error.isRetryable, failed.SenderFault != true, round < retrier.policy.maxAttempts,
                   let entry = pending.first(where: { $0[keyPath: id] == failed.Id }) {
                    retry.append(entry)
                } else {
                    done.append(BatchEntryResult(entryId: failed.Id, error: error.sluiceError))
                }
            }
            guard !retry.isEmpty else { return done }
            let wait = retrier.policy.backoff(afterAttempt: round) { retrier.random.next(upTo: $0) }
            log?("sqs: \(operation) on '\(queue)': \(retry.count) entries failed on the server's side, retrying them in \(wait.compact)")
            do { try await retrier.clock.sleep(for: wait) } catch _ {
                throw SQSError(.timeout, operation: operation, message: "cancelled while retrying failed entries", queue: queue)
            }
            pending = retry
            round += 1
        }
    }

    /// Results in entry order (`"0"`, `"1"`…), a missing one reported as an internal error.
    static func ordered(_ results: [BatchEntryResult], count: Int) -> [BatchEntryResult] {
        let byId = Dictionary(results.map { ($0.entryId, $0) }, uniquingKeysWith: { a, _ in a })
        return (0..<count).map { byId[String($0)] ?? BatchEntryResult(entryId: String($0), error: SluiceError(.internalError, "SQS returned no result for entry \($0)")) }
    }

    static func wireAttribute(_ value: MessageAttribute) -> SQSWire.AttributeValue {
        if let binary = value.binaryValue {
            return SQSWire.AttributeValue(DataType: value.dataType, StringValue: nil, BinaryValue: Data(binary))
        }
        return SQSWire.AttributeValue(DataType: value.dataType, StringValue: value.stringValue ?? "", BinaryValue: nil)
    }

    /// The queue name at the end of a queue URL (`…/123456789012/orders-dlq` → `orders-dlq`).
    public static func queueName(fromURL url: String) -> String {
        url.split(separator: "/").last.map(String.init) ?? url
    }
}
