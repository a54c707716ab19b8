/// The seam between Sluice and where its queues live: the embedded store or Amazon SQS.
///
/// The console, the CLI, plans and the redrive engine talk only to this protocol, so every
/// feature works on both backends. Calls are `async` because SQS is remote; the embedded
/// backend answers at once.
public protocol QueueBackend: Sendable {
    /// A short label for screens and the journal, e.g. `embedded /tmp/demo.sluice` or `sqs http://127.0.0.1:5000`.
    var label: String { get }
    /// The clock the backend stamps messages with.
    var clock: any SluiceClock { get }

    /// Every queue, with DLQ relationships.
    func listQueues() async throws -> [QueueInfo]
    /// Creates a queue. - Throws: `conflict` when it exists, `badInput` on a bad spec.
    func createQueue(_ spec: QueueSpec) async throws -> QueueInfo
    /// Current numbers for the named queues (all when `names` is nil).
    func stats(for names: [String]?) async throws -> [QueueStats]

    /// Sends up to 10 entries; each entry succeeds or fails on its own.
    func send(to queue: String, entries: [SendEntry]) async throws -> [BatchEntryResult]
    /// Receives up to 10 messages, hiding them for `visibility` (the queue's default when nil).
    func receive(from queue: String, max: Int, visibility: TimeSpan?) async throws -> [QueueMessage]
    /// Deletes by receipt handles; a stale handle fails its entry.
    func delete(from queue: String, receipts: [String]) async throws -> [BatchEntryResult]
    /// Changes the visibility of received messages; zero makes them visible now.
    func changeVisibility(in queue: String, receipts: [String], visibility: TimeSpan) async throws -> [BatchEntryResult]
    /// Records a worker's failure verdict on a received message and releases it for redelivery.
    func fail(in queue: String, receipt: String, errorType: String, errorMessage: String?) async throws

    /// DLQ facet counts by error type under a filter.
    func facets(of queue: String, filter: MessageFilter) async throws -> FacetCounts
    /// A page of DLQ messages under a filter, oldest first.
    func page(of queue: String, filter: MessageFilter, after cursor: String?, limit: Int) async throws -> MessagePage
    /// One message by id, or nil.
    func message(in queue: String, id: String) async throws -> QueueMessage?
    /// The queues' recent past as per-minute snapshots, oldest first, for priming an alarm
    /// monitor; empty when the backend keeps no history (SQS: CloudWatch is not read).
    func activityHistory(since: Timestamp) async throws -> [[QueueStats]]
}

extension QueueBackend {
    /// No history by default.
    public func activityHistory(since: Timestamp) async throws -> [[QueueStats]] { [] }

    /// Feeds the recent past into `monitor` (when it has seen nothing yet), so alarms that need
    /// several periods of data can be evaluated at once rather than after minutes of polling.
    public func prime(_ monitor: Monitor, window: TimeSpan = .hours(1)) async {
        guard monitor.queues.isEmpty, let history = try? await activityHistory(since: clock.now() - window) else { return }
        for snapshot in history where !snapshot.isEmpty {
            monitor.ingest(snapshot)
        }
    }

    /// The named queue, or a `notFound` error listing what exists.
    public func queue(named name: String) async throws -> QueueInfo {
        let queues = try await listQueues()
        if let q = queues.first(where: { $0.name == name }) { return q }
        throw SluiceError.notFound(
            "queue '\(name)' does not exist",
            fix: queues.isEmpty ? "create it with 'sluice queue create \(name)'" : "known queues: \(queues.map(\.name).prefix(12).joined(separator: ", "))"
        )
    }
}
