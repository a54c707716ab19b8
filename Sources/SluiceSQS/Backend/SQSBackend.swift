import Foundation
import Synchronization
import SluiceCore

/// Amazon SQS (or moto, ElasticMQ, LocalStack) behind the ``QueueBackend`` seam.
///
/// Differences from the embedded store, all forced by the SQS API:
/// - DLQ facets, pages and message lookups answer from the latest ``DLQScan`` snapshot
///   (cached with its time; re-scanned when older than `snapshotMaxAge` or on
///   ``refreshSnapshot(of:)``). A scan briefly hides the DLQ's messages from other consumers and
///   raises their receive counts, then makes them visible again.
/// - The oldest message age of a queue is known only for queues a scan has seen, and is
///   labelled so (`oldestAgeIsFromScan`).
/// - ``fail(in:receipt:errorType:errorMessage:)`` cannot record a verdict (SQS has nowhere to
///   keep it): it makes the message visible again, and SQS's redrive policy counts the receive.
/// - Times are whole seconds on the wire: sub-second visibility and delay round down.
///
/// Call ``shutdown()`` when done: the backend owns an HTTP connection pool.
public final class SQSBackend: QueueBackend {
    /// The SQS client the backend calls.
    public let client: SQSClient
    /// Stamps snapshots and ages.
    public let clock: any SluiceClock
    /// Options of the scans behind facets, pages and stats.
    public let scanOptions: DLQScan.Options
    /// How old a snapshot may get before facets and pages scan again.
    public let snapshotMaxAge: TimeSpan
    /// Long-poll time of ``receive(from:max:visibility:)``.
    public let receiveWait: TimeSpan
    /// Whether changes (create, send, receive, delete, visibility, fail) are refused. Scans
    /// still run, since browsing a DLQ needs them, and always release what they saw.
    public let readOnly: Bool
    private let urls = Mutex<[String: String]>([:])
    private let snapshots = Mutex<[String: DLQSnapshot]>([:])
    /// Scans under way, so concurrent callers share one instead of a second scan finding the
    /// DLQ empty because the first one holds every message.
    private let scansInFlight = Mutex<[String: Task<DLQSnapshot, any Error>]>([:])

    /// Creates a backend over a client.
    public init(
        client: SQSClient, clock: any SluiceClock = SystemClock(), scanOptions: DLQScan.Options = .init(),
        snapshotMaxAge: TimeSpan = .minutes(5), receiveWait: TimeSpan = .zero, readOnly: Bool = false
    ) {
        self.client = client
        self.clock = clock
        self.scanOptions = scanOptions
        self.snapshotMaxAge = snapshotMaxAge
        self.receiveWait = receiveWait
        self.readOnly = readOnly
    }

    /// The backend for `--sqs`: credentials, region and endpoint resolved from the flags, the
    /// environment and `~/.aws` (see ``AWSConfigResolver``).
    /// - Parameters:
    ///   - endpointURL: `--endpoint-url`.
    ///   - region: `--region`.
    ///   - environment: the process environment (a test's own dictionary in tests).
    ///   - homeDirectory: where `~/.aws` is.
    ///   - readOnly: `--read-only`.
    ///   - log: receives retry and failure lines (no secrets).
    /// - Throws: `SluiceError.badInput` naming the flag, variable or file to fix.
    public static func make(
        endpointURL: String?, region: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = NSHomeDirectory(),
        readOnly: Bool = false,
        log: (@Sendable (String) -> Void)? = nil
    ) throws -> SQSBackend {
        let configuration = try AWSConfigResolver(environment: environment, homeDirectory: homeDirectory)
            .resolve(endpointURL: endpointURL, region: region)
        return SQSBackend(client: SQSClient(configuration: configuration, log: log), readOnly: readOnly)
    }

    /// Closes the HTTP connection pool. Required before the backend is released.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// `sqs http://127.0.0.1:5000 (us-east-1)`.
    public var label: String { "sqs \(client.configuration.endpoint) (\(client.configuration.region))" }

    // MARK: Queues

    public func listQueues() async throws -> [QueueInfo] {
        let urls = try await sqs { () async throws(SQSError) in try await client.listQueues() }
        let attributes = try await concurrently(urls) { url in
            try await sqs { () async throws(SQSError) in try await self.client.getQueueAttributes(url) }
        }
        var specs: [QueueSpec] = []
        for (url, attrs) in zip(urls, attributes) {
            let name = SQSClient.queueName(fromURL: url)
            self.urls.withLock { $0[name] = url }
            specs.append(SQSBackend.spec(name: name, attributes: attrs))
        }
        var sources: [String: [String]] = [:]
        for spec in specs { if let dlq = spec.redrivePolicy?.deadLetterQueue { sources[dlq, default: []].append(spec.name) } }
        return specs.sorted { $0.name < $1.name }.map { QueueInfo(spec: $0, deadLetterSources: (sources[$0.name] ?? []).sorted()) }
    }

    public func createQueue(_ spec: QueueSpec) async throws -> QueueInfo {
        try refuseIfReadOnly("create queue '\(spec.name)'")
        try spec.validate()
        if (try? await url(of: spec.name)) != nil {
            throw SluiceError.conflict("queue '\(spec.name)' exists already on \(client.configuration.endpoint)", fix: "pick another name, or use the existing queue")
        }
        var attributes: [String: String] = [
            "VisibilityTimeout": String(spec.visibilityTimeout.millis / 1000),
            "MessageRetentionPeriod": String(spec.retention.millis / 1000),
            "DelaySeconds": String(spec.delay.millis / 1000),
        ]
        if spec.isFIFO {
            attributes["FifoQueue"] = "true"
            // Sluice sends explicit deduplication ids on redrive; content-based dedup serves plain sends.
            attributes["ContentBasedDeduplication"] = "true"
        }
        if let policy = spec.redrivePolicy {
            let dlqURL: String
            do { dlqURL = try await url(of: policy.deadLetterQueue) } catch let error as SluiceError where error.kind == .notFound {
                throw SluiceError.notFound("the DLQ '\(policy.deadLetterQueue)' of queue '\(spec.name)' does not exist", fix: "create it first: sluice queue create \(policy.deadLetterQueue) --sqs")
            }
            let arn = try await sqs { () async throws(SQSError) in try await client.getQueueAttributes(dlqURL, names: ["QueueArn"]) }["QueueArn"]
            guard let arn else {
                throw SluiceError(.remote, "SQS returned no QueueArn for '\(policy.deadLetterQueue)'", fix: "check that the endpoint is SQS-compatible")
            }
            attributes["RedrivePolicy"] = #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":"\#(policy.maxReceiveCount)"}"#
        }
        let url = try await sqs { () async throws(SQSError) in try await client.createQueue(name: spec.name, attributes: attributes) }
        urls.withLock { $0[spec.name] = url }
        return QueueInfo(spec: spec, deadLetterSources: [])
    }

    /// Deletes a queue (tests and demos; not part of the seam).
    public func deleteQueue(_ name: String) async throws {
        try refuseIfReadOnly("delete queue '\(name)'")
        let url = try await url(of: name)
        try await sqs { () async throws(SQSError) in try await client.deleteQueue(url) }
        urls.withLock { $0[name] = nil }
        snapshots.withLock { $0[name] = nil }
    }

    public func stats(for names: [String]?) async throws -> [QueueStats] {
        let wanted: [String]
        if let names { wanted = names } else { wanted = try await listQueues().map(\.name) }
        let keys = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]
        let attributes = try await concurrently(wanted) { name in
            let url = try await self.url(of: name)
            return try await sqs { () async throws(SQSError) in try await self.client.getQueueAttributes(url, names: keys) }
        }
        let now = clock.now()
        let cached = snapshots.withLock { $0 }
        return zip(wanted, attributes).map { name, attrs in
            let visible = attrs[keys[0]].flatMap { Int($0) } ?? 0
            let inFlight = attrs[keys[1]].flatMap { Int($0) } ?? 0
            let delayed = attrs[keys[2]].flatMap { Int($0) } ?? 0
            let oldest = visible + inFlight + delayed > 0 ? cached[name]?.oldestSentAt : nil
            return QueueStats(
                queue: name, at: now, visible: visible, inFlight: inFlight, delayed: delayed,
                oldestAge: oldest.map { now - $0 }, oldestAgeIsFromScan: oldest != nil
            )
        }
    }

    // MARK: Messages

    public func send(to queue: String, entries: [SendEntry]) async throws -> [BatchEntryResult] {
        try refuseIfReadOnly("send to '\(queue)'")
        try SQSBackend.checkBatch(entries.count, queue: queue, what: "send")
        let ids = entries.map(\.entryId)
        guard Set(ids).count == ids.count else {
            throw SluiceError.badInput("send to '\(queue)': entry ids repeat", fix: "give each entry of a batch its own id")
        }
        let url = try await url(of: queue)
        // SQS refuses empty bodies, but some compatible servers (moto) accept them: refuse them
        // here, entry by entry, so both backends answer alike.
        let empty = Set(entries.filter { $0.body.isEmpty }.map(\.entryId))
        let toSend = entries.filter { !empty.contains($0.entryId) }
        var results: [String: BatchEntryResult] = [:]
        if !toSend.isEmpty {
            for r in try await sqs({ () async throws(SQSError) in try await client.sendMessageBatch(url, entries: toSend) }) {
                results[r.entryId] = r
            }
        }
        return entries.map { entry in
            if empty.contains(entry.entryId) {
                return BatchEntryResult(entryId: entry.entryId, error: .badInput("entry '\(entry.entryId)': the body is empty", fix: "send at least one byte"))
            }
            return results[entry.entryId] ?? BatchEntryResult(entryId: entry.entryId, error: SluiceError(.checkFailed, "entry '\(entry.entryId)': the server gave no result for it", fix: "list the queue to see whether it arrived"))
        }
    }

    public func receive(from queue: String, max: Int, visibility: TimeSpan?) async throws -> [QueueMessage] {
        try refuseIfReadOnly("receive from '\(queue)'")
        guard (1...QueueLimits.maxBatchEntries).contains(max) else {
            throw SluiceError.badInput("receive from '\(queue)': --max \(max) is out of range", fix: "use 1 to \(QueueLimits.maxBatchEntries)")
        }
        if let visibility, visibility < .zero || visibility > QueueSpec.maxVisibilityTimeout {
            throw SluiceError.badInput("receive from '\(queue)': --visibility \(visibility) is out of range", fix: "use 0s to 12h")
        }
        let url = try await url(of: queue)
        let wait = receiveWait
        let messages = try await sqs { () async throws(SQSError) in
            try await client.receiveMessage(url, max: max, visibility: visibility, wait: wait)
        }
        return messages.map { $0.queueMessage(queue: queue, classifier: scanOptions.classifier) }
    }

    public func delete(from queue: String, receipts: [String]) async throws -> [BatchEntryResult] {
        try refuseIfReadOnly("delete from '\(queue)'")
        try SQSBackend.checkBatch(receipts.count, queue: queue, what: "delete")
        let url = try await url(of: queue)
        return try await sqs { () async throws(SQSError) in try await client.deleteMessageBatch(url, receipts: receipts) }
    }

    public func changeVisibility(in queue: String, receipts: [String], visibility: TimeSpan) async throws -> [BatchEntryResult] {
        try refuseIfReadOnly("change visibility in '\(queue)'")
        try SQSBackend.checkBatch(receipts.count, queue: queue, what: "change visibility")
        guard visibility >= .zero, visibility <= QueueSpec.maxVisibilityTimeout else {
            throw SluiceError.badInput("change visibility in '\(queue)': \(visibility) is out of range", fix: "use 0s to 12h")
        }
        let url = try await url(of: queue)
        return try await sqs { () async throws(SQSError) in try await client.changeMessageVisibilityBatch(url, receipts: receipts, visibility: visibility) }
    }

    /// Makes the message visible again at once (ChangeMessageVisibility 0).
    ///
    /// SQS has no place to record a worker's verdict, so `errorType` and `errorMessage` are not
    /// kept; a worker that wants them in the DLQ must put them in message attributes itself
    /// (Lambda's `ErrorCode`/`ErrorMessage` are read by the ``ErrorClassifier``). The receive
    /// still counts toward the queue's `maxReceiveCount`.
    public func fail(in queue: String, receipt: String, errorType: String, errorMessage: String?) async throws {
        let results = try await changeVisibility(in: queue, receipts: [receipt], visibility: .zero)
        if let error = results.first?.error { throw error }
    }

    // MARK: DLQ browsing

    public func facets(of queue: String, filter: MessageFilter) async throws -> FacetCounts {
        try filter.validate()
        return try await snapshot(of: queue).facets(filter: filter, now: clock.now())
    }

    public func page(of queue: String, filter: MessageFilter, after cursor: String?, limit: Int) async throws -> MessagePage {
        try filter.validate()
        return try await snapshot(of: queue).page(filter: filter, now: clock.now(), after: cursor, limit: limit)
    }

    public func message(in queue: String, id: String) async throws -> QueueMessage? {
        try await snapshot(of: queue).messages.first { $0.id == id }
    }

    /// The cached snapshot of a DLQ, scanning when there is none or it is older than `snapshotMaxAge`.
    public func snapshot(of queue: String) async throws -> DLQSnapshot {
        if let cached = snapshots.withLock({ $0[queue] }), clock.now() - cached.takenAt <= snapshotMaxAge {
            return cached
        }
        return try await refreshSnapshot(of: queue)
    }

    /// The cached snapshot of a DLQ without scanning, nil when none was taken.
    public func cachedSnapshot(of queue: String) -> DLQSnapshot? {
        snapshots.withLock { $0[queue] }
    }

    /// Scans the DLQ now, releases every message it received, and caches what it saw.
    /// Concurrent calls for the same queue share one scan.
    public func refreshSnapshot(of queue: String) async throws -> DLQSnapshot {
        let task = scansInFlight.withLock { running -> Task<DLQSnapshot, any Error> in
            if let task = running[queue] { return task }
            let task = Task { try await self.scanAndRelease(queue) }
            running[queue] = task
            return task
        }
        defer { scansInFlight.withLock { if $0[queue] == task { $0[queue] = nil } } }
        return try await task.value
    }

    private func scanAndRelease(_ queue: String) async throws -> DLQSnapshot {
        let scan = try await self.scan(queue)
        do {
            try await scan.run()
        } catch {
            try? await scan.releaseAll()
            throw error
        }
        let snapshot = await scan.snapshot()
        try await scan.releaseAll()
        snapshots.withLock { $0[queue] = snapshot }
        return snapshot
    }

    /// A scan of the DLQ that holds what it receives until released (the redrive engine's
    /// tool); call ``DLQScan/run()`` on it. Its snapshot replaces the cached one via
    /// ``remember(_:)`` when the caller wants the console to see it.
    public func scan(_ queue: String, options: DLQScan.Options? = nil) async throws -> DLQScan {
        DLQScan(client: client, queue: queue, queueURL: try await url(of: queue), options: options ?? scanOptions, clock: clock)
    }

    /// Caches a snapshot (e.g. from the redrive engine's scan) for facets, pages and stats.
    public func remember(_ snapshot: DLQSnapshot) {
        snapshots.withLock { $0[snapshot.queue] = snapshot }
    }

    // MARK: Helpers

    /// The URL of a queue, from the cache or GetQueueUrl.
    /// - Throws: `notFound` naming the queue and the endpoint.
    public func url(of queue: String) async throws -> String {
        if let url = urls.withLock({ $0[queue] }) { return url }
        do {
            let url = try await client.getQueueUrl(queue)
            urls.withLock { $0[queue] = url }
            return url
        } catch where error.kind == .nonExistentQueue {
            throw SluiceError.notFound("queue '\(queue)' does not exist on \(client.configuration.endpoint)", fix: "check the name and --region; 'sluice queue list --sqs' shows the queues")
        } catch {
            throw error.sluiceError
        }
    }

    private func refuseIfReadOnly(_ what: String) throws {
        if readOnly { throw SluiceError.refused("read-only: will not \(what)", fix: "run without --read-only to make changes") }
    }

    static func checkBatch(_ count: Int, queue: String, what: String) throws {
        guard (1...QueueLimits.maxBatchEntries).contains(count) else {
            throw SluiceError.badInput("\(what) to '\(queue)': a batch of \(count) entries", fix: "pass 1 to \(QueueLimits.maxBatchEntries) entries")
        }
    }

    /// Runs `body` over `items` with at most 8 calls in flight, results in item order.
    func concurrently<Item: Sendable, Result: Sendable>(_ items: [Item], _ body: @escaping @Sendable (Item) async throws -> Result) async throws -> [Result] {
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<min(8, items.count) {
                let i = next, item = items[i]
                group.addTask { (i, try await body(item)) }
                next += 1
            }
            while let (i, r) = try await group.next() {
                results[i] = r
                if next < items.count {
                    let j = next, item = items[j]
                    group.addTask { (j, try await body(item)) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
