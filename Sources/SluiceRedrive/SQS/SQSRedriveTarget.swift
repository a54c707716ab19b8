import Foundation
import SluiceCore
import SluiceSQS
import SluiceStore

/// Redrive over the plain SQS API (which StartMessageMoveTask cannot filter, and moto lacks):
/// scan the DLQ under a visibility lease, freeze the selection, then per batch
/// SendMessageBatch to the destination, journal "sent", DeleteMessageBatch from the DLQ.
///
/// At least once: a crash between the send and its journal entry can duplicate that batch (the
/// idempotency store downstream makes it harmless); nothing is ever deleted before it was sent,
/// so nothing is lost. A resumed job re-scans to hold its remaining messages and deletes
/// already-sent ones without sending them again.
///
/// A process killed mid-run leaves the messages it held invisible until their lease runs out,
/// so a resumed job waits up to one ``lease`` for every remaining item to show up again before
/// it calls any of them gone: a pending one is then sent (not skipped), a sent one is deleted
/// (not sent twice).
public actor SQSRedriveTarget: RedriveTarget {
    public nonisolated let store: Store
    public nonisolated let backend: SQSBackend
    /// How many DLQ messages one scan may hold.
    public let scanLimit: Int
    /// The visibility lease of held messages, renewed while the job runs.
    public let lease: TimeSpan
    private var scan: DLQScan?
    /// Whether each destination is FIFO, looked up once per target rather than per batch.
    private var destinationIsFIFO: [String: Bool] = [:]

    /// Creates a target.
    /// - Parameters:
    ///   - scanLimit: the most DLQ messages one scan holds.
    ///   - lease: the visibility lease of held messages; also how long a resumed job waits for
    ///     messages a killed run still hides. Defaults to ``defaultLease(environment:)``.
    public init(store: Store, backend: SQSBackend, scanLimit: Int = 100_000, lease: TimeSpan? = nil) {
        self.store = store
        self.backend = backend
        self.scanLimit = scanLimit
        self.lease = lease ?? Self.defaultLease()
    }

    /// The lease used when none is given: 5 minutes, or `SLUICE_SQS_LEASE` (e.g. `3s`) when set
    /// to a valid duration of at least one second. Tests shorten it so that messages held by a
    /// killed process come back quickly; operators can lengthen it for slow-paced runs.
    public static func defaultLease(environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeSpan {
        guard let text = environment["SLUICE_SQS_LEASE"], let span = try? TimeSpan.parse(text, field: "SLUICE_SQS_LEASE"),
              span >= .seconds(1), span <= QueueSpec.maxVisibilityTimeout
        else { return .minutes(5) }
        return span
    }

    /// Where lineage lives on SQS, for the plan's notes.
    public static let lineageNote = "on SQS, lineage travels as 4 message attributes only where the limit of 10 attributes allows; the journal always keeps old id → new id"

    private func openScan(_ dlq: String) async throws -> DLQScan {
        if let scan { return scan }
        // Short polls can miss messages on real SQS; local servers answer completely at once.
        let endpoint = "\(backend.client.configuration.endpoint)".lowercased()
        let local = endpoint.contains("127.0.0.1") || endpoint.contains("localhost") || endpoint.contains("[::1]")
        let s = try await backend.scan(dlq, options: DLQScan.Options(limit: scanLimit, lease: lease, wait: local ? .zero : .seconds(1)))
        scan = s
        // Renew from the start: the operator may take longer than a lease to confirm the plan.
        if backend.clock is SystemClock { await s.startAutoRenew() }
        try await s.run()
        return s
    }

    /// A resumed job in a new process: hold the job's remaining messages again, waiting up to
    /// one lease for those a killed run still hides, and let go of everything else.
    private func holdRemaining(job: String, dlq: String, fromIndex: Int) async throws -> DLQScan {
        let s = try await openScan(dlq)
        let wanted = Set(try store.jobItems(job: job, from: fromIndex, count: Int.max / 2)
            .filter { $0.state == "pending" || $0.state == "sent" }.map(\.item.messageId))
        // Visibility timeouts are whole seconds on the wire: allow one more. Other messages stay
        // held until the wait ends, so each pass receives only what newly became visible.
        let deadline = backend.clock.now() + lease + .seconds(1)
        var missing = wanted.subtracting(await s.messages(ids: Array(wanted)).map(\.id))
        while !missing.isEmpty && backend.clock.now() < deadline {
            try await backend.clock.sleep(for: min(.milliseconds(500), deadline - backend.clock.now()))
            try await s.run()
            missing = missing.subtracting(await s.messages(ids: Array(missing)).map(\.id))
        }
        try await s.release(except: wanted)
        return s
    }

    private func isFIFO(_ queue: String) async throws -> Bool {
        if let known = destinationIsFIFO[queue] { return known }
        let fifo = try await backend.queue(named: queue).spec.isFIFO
        destinationIsFIFO[queue] = fifo
        return fifo
    }

    public func candidates(dlq: String, filter: MessageFilter, limit: Int) async throws -> [PlanCandidate] {
        let s = try await openScan(dlq)
        backend.remember(await s.snapshot())
        return await s.select(filter, now: backend.clock.now()).prefix(limit).map {
            PlanCandidate(messageId: $0.id, errorType: $0.errorType ?? unknownErrorType, sentAt: $0.sentAt)
        }
    }

    public func candidateNotes() async -> [String] {
        guard let scan else { return [] }
        let hidden = await scan.possiblyHidden
        guard hidden > 0 else { return [] }
        return ["the scan got no answer to some receives: up to \(hidden) messages they may have hidden for \(lease.compact) are not in this plan and stay in the DLQ — plan again after \(lease.compact) to include them"]
    }

    public func frozen(plan: RedrivePlan) async throws {
        guard let scan else { return }
        try await scan.release(except: Set(plan.items.map(\.messageId)))
    }

    public func runBatch(job: String, fromIndex: Int, count: Int) async throws -> BatchOutcome {
        let record = try store.redriveJob(job)
        let plan = record.plan
        let scan: DLQScan
        if let held = self.scan { scan = held } else { scan = try await holdRemaining(job: job, dlq: plan.dlq, fromIndex: fromIndex) }
        let items = try store.jobItems(job: job, from: fromIndex, count: count)
        let held = Dictionary(await scan.messages(ids: items.map(\.item.messageId)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let fifo = try await isFIFO(plan.destination)
        let start = backend.clock.now()
        var outcome = BatchOutcome(index: record.progress.batches, startedAt: start, endedAt: start)

        // Phase 1: send what has not been sent yet.
        var toSend: [(Store.JobItem, QueueMessage)] = []
        var previouslySent: [Store.JobItem] = []
        var discards: [String] = []
        for it in items {
            switch it.state {
            case "sent": previouslySent.append(it)
            case "pending":
                guard let message = held[it.item.messageId] else {
                    outcome.gone.append(it.item.messageId)
                    continue
                }
                if it.item.strategy == .discard { discards.append(message.id) } else { toSend.append((it, message)) }
            default: break
            }
        }
        var sentNow: [(index: Int, oldId: String, newId: String)] = []
        if !toSend.isEmpty {
            let entries = toSend.enumerated().map { n, pair in
                SendEntry(entryId: String(n), body: pair.1.body, attributes: Self.attributes(of: pair.1, job: job),
                          delay: pair.0.item.strategy == .retryLater ? plan.retryDelay : nil,
                          groupId: pair.1.groupId,
                          deduplicationId: fifo ? "\(job)-\(pair.1.id)" : nil)
            }
            let results = try await backend.send(to: plan.destination, entries: entries)
            for (n, result) in results.enumerated() {
                let (it, message) = toSend[n]
                if let newId = result.messageId, result.succeeded {
                    sentNow.append((it.index, message.id, newId))
                } else {
                    outcome.failed.append(FailedItem(messageId: message.id, reason: result.error?.description ?? "send failed"))
                }
            }
            try store.recordSent(job: job, sent: sentNow)
        }

        // Phase 2: delete from the DLQ what is now safely in the destination, and the discards.
        let newIds = Dictionary(sentNow.map { ($0.oldId, $0.newId) } + previouslySent.compactMap { it in it.newMessageId.map { (it.item.messageId, $0) } },
                                uniquingKeysWith: { a, _ in a })
        let heldToDelete = sentNow.map(\.oldId) + previouslySent.map(\.item.messageId).filter { held[$0] != nil } + discards
        let deleted = heldToDelete.isEmpty ? [:] : try await scan.delete(ids: heldToDelete)
        for id in sentNow.map(\.oldId) + previouslySent.map(\.item.messageId) {
            // Sent is moved, even if the DLQ copy could not be deleted (then SQS may deliver a
            // duplicate later, which is the at-least-once price); never counted as lost.
            outcome.moved.append(MovedMessage(oldId: id, newId: newIds[id] ?? "?"))
        }
        for id in discards {
            if let r = deleted[id], r.succeeded { outcome.discarded.append(id) } else {
                outcome.failed.append(FailedItem(messageId: id, reason: "discard failed: \(deleted[id]?.error?.description ?? "not held")"))
            }
        }
        outcome.endedAt = backend.clock.now()
        try store.recordRemoteBatch(job: job, fromIndex: fromIndex, count: items.count, outcome: outcome)
        return outcome
    }

    /// The message's attributes plus lineage, when SQS's limit of 10 leaves room for it.
    static func attributes(of message: QueueMessage, job: String) -> [String: MessageAttribute] {
        var attributes = message.attributes
        let previous = Lineage(attributes: attributes)
        let lineage = Lineage(originalMessageId: previous?.originalMessageId ?? message.id,
                              originalSentAt: previous?.originalSentAt ?? message.sentAt,
                              jobId: job, redriveCount: (previous?.redriveCount ?? 0) + 1)
        let merged = attributes.merging(lineage.attributes) { _, new in new }
        if merged.count <= QueueLimits.maxAttributes { attributes = merged }
        return attributes
    }

    public func returned(job: String, dlq: String) async throws -> Int? { nil }

    public func finish(job: String) async {
        if let scan { try? await scan.releaseAll() }
        scan = nil
    }
}
