import SluiceCore

/// A scan of an SQS dead-letter queue under a visibility lease: the SQS way to see what a DLQ
/// holds, and the redrive engine's way to freeze a selection.
///
/// SQS cannot list or peek at messages; the only read is a receive, which hides the message
/// for a visibility timeout and raises its `ApproximateReceiveCount`. So a scan receives the
/// DLQ's messages (all attributes) until the queue answers empty or a limit is reached, keeps
/// every receipt handle, and holds the messages hidden — a lease — until it deletes or
/// releases them. While a scan holds messages, other consumers of the DLQ do not see them; a
/// DLQ that itself has a redrive policy could move scanned messages onward.
///
/// Usage by the redrive engine: ``run()``, ``select(_:now:)`` to freeze the selection,
/// ``release(except:)`` to give back the rest at once, then per batch send the messages to
/// the source and ``delete(ids:)`` them here; ``renewIfDue()`` (or ``startAutoRenew()``) keeps
/// the lease alive; ``releaseAll()`` when done or aborted.
public actor DLQScan {
    /// How a scan receives.
    public struct Options: Sendable, Hashable {
        /// The most messages to hold.
        public var limit: Int
        /// The visibility timeout held messages get, renewed while the scan holds them.
        public var lease: TimeSpan
        /// Long-poll time of each receive; 0 answers at once (fine for local servers).
        public var wait: TimeSpan
        /// Consecutive empty receives that end the scan (SQS's short polls can miss messages).
        public var emptyReceivesToStop: Int
        /// Reads each message's error type.
        public var classifier: ErrorClassifier

        /// Creates options.
        public init(limit: Int = 10_000, lease: TimeSpan = .minutes(5), wait: TimeSpan = .seconds(1), emptyReceivesToStop: Int = 2, classifier: ErrorClassifier = .standard) {
            self.limit = max(1, limit)
            self.lease = max(lease, .seconds(1))
            self.wait = wait
            self.emptyReceivesToStop = max(1, emptyReceivesToStop)
            self.classifier = classifier
        }
    }

    struct Held {
        var message: QueueMessage
        var receipt: String
        var leasedUntil: Timestamp
    }

    /// The DLQ's name.
    public nonisolated let queue: String
    /// The DLQ's URL.
    public nonisolated let queueURL: String
    /// The options it runs with.
    public nonisolated let options: Options
    let client: SQSClient
    let clock: any SluiceClock
    private var held: [String: Held] = [:]
    private var renewTask: Task<Void, Never>? = nil
    /// Whether the last ``run()`` stopped at the limit rather than at an empty queue.
    public private(set) var reachedLimit = false
    /// How many messages the last ``run()`` may have missed: up to 10 for each receive that got
    /// no answer (the server may have hidden its messages for a lease) and was not waited out.
    public private(set) var possiblyHidden = 0
    /// When the last ``run()`` finished.
    public private(set) var finishedAt: Timestamp? = nil

    /// Creates a scan; nothing is received until ``run()``.
    public init(client: SQSClient, queue: String, queueURL: String, options: Options = Options(), clock: any SluiceClock = SystemClock()) {
        self.client = client
        self.queue = queue
        self.queueURL = queueURL
        self.options = options
        self.clock = clock
    }

    /// Receives until the DLQ answers empty `emptyReceivesToStop` times in a row or `limit`
    /// messages are held, renewing the lease of early messages while it goes.
    /// - Returns: how many messages are held.
    @discardableResult
    public func run() async throws -> Int {
        var empties = 0, stale = 0, waits = 0
        var unansweredBefore = client.unansweredAttempts("ReceiveMessage").count
        reachedLimit = false
        while held.count < options.limit {
            let want = min(QueueLimits.maxBatchEntries, options.limit - held.count)
            let batch = try await sqs { () async throws(SQSError) in
                try await client.receiveMessage(queueURL, max: want, visibility: options.lease, wait: options.wait)
            }
            let until = clock.now() + options.lease
            var fresh = 0
            for m in batch {
                // Standard queues may deliver a message twice: keep one entry, with the newest receipt.
                if held[m.messageId] == nil { fresh += 1 }
                held[m.messageId] = Held(message: m.queueMessage(queue: queue, classifier: options.classifier), receipt: m.receiptHandle, leasedUntil: until)
            }
            // Only a truly empty answer counts towards the end: a receive that brought back only
            // messages we already hold (their lease lapsed under a slow server) says nothing about
            // what is left. Many such answers in a row mean the lease is too short to finish.
            empties = batch.isEmpty ? empties + 1 : 0
            stale = !batch.isEmpty && fresh == 0 ? stale + 1 : 0
            if empties >= options.emptyReceivesToStop, waits < 3, try await waitForHidden(since: unansweredBefore) {
                // Messages a lost receive hid are visible again: look once more.
                waits += 1
                empties = 0
                unansweredBefore = client.unansweredAttempts("ReceiveMessage").count
                continue
            }
            if empties >= options.emptyReceivesToStop || stale >= 10 { break }
            try await renewIfDue()
        }
        let lost = client.unansweredAttempts("ReceiveMessage").count - unansweredBefore
        possiblyHidden = held.count >= options.limit ? 0 : lost * QueueLimits.maxBatchEntries
        reachedLimit = held.count >= options.limit
        finishedAt = clock.now()
        return held.count
    }

    /// A receive that got no answer may have hidden up to 10 messages for one lease without
    /// anyone seeing them. When the last such receive of this run hides them for at most
    /// `maxHiddenWait` more, waits until they are visible again and returns true; a longer
    /// lease is not waited out (``possiblyHidden`` reports them instead).
    private func waitForHidden(since countBefore: Int) async throws -> Bool {
        let unanswered = client.unansweredAttempts("ReceiveMessage")
        guard unanswered.count > countBefore else { return false }
        // Visibility timeouts are whole seconds on the wire: allow one more.
        let clock = client.retrier.clock
        let visibleAgain = unanswered.lastSentAt + options.lease + .seconds(1)
        guard visibleAgain - clock.now() <= Self.maxHiddenWait else { return false }
        while clock.now() < visibleAgain {
            try await renewIfDue()
            try await clock.sleep(for: min(visibleAgain - clock.now(), TimeSpan(millis: max(500, options.lease.millis / 3))))
        }
        // A server may act on a request well after the client gave up on it (a slow hop, a
        // queue in front of it): until the DLQ's in-flight count comes down to what this scan
        // holds, someone's lease is still running. Approximate on SQS, so bounded.
        let giveUp = clock.now() + Self.maxHiddenWait
        while clock.now() < giveUp {
            let attributes = try await sqs { () async throws(SQSError) in
                try await client.getQueueAttributes(queueURL, names: ["ApproximateNumberOfMessagesNotVisible"])
            }
            guard let inFlight = attributes["ApproximateNumberOfMessagesNotVisible"].flatMap(Int.init), inFlight > held.count else { break }
            try await renewIfDue()
            try await clock.sleep(for: .seconds(1))
        }
        return true
    }

    /// The longest a scan waits at its end for messages a lost receive hid.
    public static let maxHiddenWait = TimeSpan.seconds(30)

    /// The held messages, oldest first, each with its current receipt handle.
    public var messages: [QueueMessage] {
        held.values.map { var m = $0.message; m.receiptHandle = $0.receipt; return m }
            .sorted { $0.sentAt != $1.sentAt ? $0.sentAt < $1.sentAt : $0.id < $1.id }
    }

    /// How many messages are held.
    public var count: Int { held.count }

    /// What the scan saw, for facets and pages.
    public func snapshot() -> DLQSnapshot {
        DLQSnapshot(queue: queue, takenAt: finishedAt ?? clock.now(), messages: held.values.map(\.message), reachedLimit: reachedLimit)
    }

    /// The held messages passing `filter` at `now`, oldest first: a frozen selection.
    public func select(_ filter: MessageFilter, now: Timestamp) -> [QueueMessage] {
        messages.filter { filter.matches(errorType: $0.errorType ?? unknownErrorType, sentAt: $0.sentAt, now: now) }
    }

    /// The current receipt handles of these message ids (ids not held are left out).
    public func receipts(for ids: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for id in ids { if let h = held[id] { out[id] = h.receipt } }
        return out
    }

    /// Held messages by id (ids not held are left out).
    public func messages(ids: [String]) -> [QueueMessage] {
        ids.compactMap { id in held[id].map { var m = $0.message; m.receiptHandle = $0.receipt; return m } }
    }

    /// Deletes these messages from the DLQ (batches of 10) and stops holding the deleted ones.
    /// - Returns: one result per id, keyed by message id; an id not held fails as `notFound`.
    public func delete(ids: [String]) async throws -> [String: BatchEntryResult] {
        try await perBatch(ids) { (receipts) async throws(SQSError) in
            try await self.client.deleteMessageBatch(self.queueURL, receipts: receipts)
        } onSuccess: { id in
            self.held[id] = nil
        }
    }

    /// Makes these messages visible again now and stops holding them.
    public func release(ids: [String]) async throws {
        _ = try await perBatch(ids) { (receipts) async throws(SQSError) in
            try await self.client.changeMessageVisibilityBatch(self.queueURL, receipts: receipts, visibility: .zero)
        } onSuccess: { id in
            self.held[id] = nil
        }
        // A release that failed (stale receipt) means the lease already lapsed: it is visible.
        for id in ids { held[id] = nil }
    }

    /// Releases every held message except `keep` (the frozen selection).
    public func release(except keep: Set<String>) async throws {
        try await release(ids: held.keys.filter { !keep.contains($0) }.sorted())
    }

    /// Releases everything and stops renewing: call when the job ends, however it ends.
    public func releaseAll() async throws {
        stopAutoRenew()
        try await release(ids: held.keys.sorted())
    }

    /// Extends the lease of every held message to `lease` from now.
    public func renewLease() async throws {
        try await renew(ids: held.keys.sorted())
    }

    /// Extends the lease of held messages whose lease ends within a third of `lease`.
    public func renewIfDue() async throws {
        let soon = clock.now() + TimeSpan(millis: options.lease.millis / 3)
        let due = held.filter { $0.value.leasedUntil <= soon }.map(\.key).sorted()
        if !due.isEmpty { try await renew(ids: due) }
    }

    /// Renews due leases every sixth of `lease` until ``stopAutoRenew()`` or ``releaseAll()``;
    /// for long jobs on the system clock (a virtual clock would spin). A tick always falls
    /// inside the last third of every lease, however short (`SLUICE_SQS_LEASE=2s`).
    public func startAutoRenew() {
        guard renewTask == nil else { return }
        let period = TimeSpan(millis: max(100, options.lease.millis / 6))
        let clock = self.clock
        renewTask = Task { [weak self] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: period) } catch { return }
                guard let self else { return }
                try? await self.renewIfDue()
            }
        }
    }

    /// Stops automatic renewal.
    public func stopAutoRenew() {
        renewTask?.cancel()
        renewTask = nil
    }

    private func renew(ids: [String]) async throws {
        let until = clock.now() + options.lease
        let lease = options.lease
        let results = try await perBatch(ids) { (receipts) async throws(SQSError) in
            try await self.client.changeMessageVisibilityBatch(self.queueURL, receipts: receipts, visibility: lease)
        } onSuccess: { id in
            self.held[id]?.leasedUntil = until
        }
        // A receipt SQS no longer accepts means the message was received elsewhere: not ours to hold.
        for (id, result) in results where result.error?.kind == .staleReceipt { held[id] = nil }
    }

    /// Runs a receipt-handle batch call over `ids` in batches of 10.
    private func perBatch(
        _ ids: [String],
        _ call: @Sendable ([String]) async throws(SQSError) -> [BatchEntryResult],
        onSuccess: (String) -> Void
    ) async throws -> [String: BatchEntryResult] {
        var out: [String: BatchEntryResult] = [:]
        var known: [(id: String, receipt: String)] = []
        for id in ids {
            if let h = held[id] { known.append((id, h.receipt)) } else {
                out[id] = BatchEntryResult(entryId: id, error: .notFound("message \(id) is not held by the scan of '\(queue)'", fix: "scan the DLQ again"))
            }
        }
        var start = 0
        while start < known.count {
            let chunk = Array(known[start..<min(start + QueueLimits.maxBatchEntries, known.count)])
            let results = try await sqs { () async throws(SQSError) in try await call(chunk.map(\.receipt)) }
            for (index, result) in results.enumerated() where index < chunk.count {
                let id = chunk[index].id
                out[id] = BatchEntryResult(entryId: id, messageId: nil, error: result.error)
                if result.succeeded { onSuccess(id) }
            }
            start += QueueLimits.maxBatchEntries
        }
        return out
    }
}

/// Runs an SQS call and turns its typed error into the `SluiceError` a person sees.
/// Runs in the caller's isolation, so actors can pass closures that touch their state.
func sqs<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws(SQSError) -> T) async throws(SluiceError) -> T {
    do { return try await body() } catch { throw error.sluiceError }
}
