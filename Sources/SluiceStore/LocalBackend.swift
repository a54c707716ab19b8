import SluiceCore

/// The embedded store behind the ``QueueBackend`` seam.
public struct LocalBackend: QueueBackend {
    /// The store this backend reads and writes.
    public let store: Store

    private let clockOverride: (any SluiceClock)?
    private let labelOverride: String?

    /// - Parameters:
    ///   - clock: what callers see and sleep on instead of the store's own clock (a live drill's
    ///     paced clock, so a redrive waits for virtual time rather than jumping it forward).
    ///   - label: the header's name for it instead of `embedded PATH`.
    public init(store: Store, clock: (any SluiceClock)? = nil, label: String? = nil) {
        self.store = store
        self.clockOverride = clock
        self.labelOverride = label
    }

    public var label: String { labelOverride ?? "embedded \(store.path)" }
    public var clock: any SluiceClock { clockOverride ?? store.clock }

    public func listQueues() async throws -> [QueueInfo] { try store.listQueues() }
    public func createQueue(_ spec: QueueSpec) async throws -> QueueInfo { try store.createQueue(spec) }
    public func stats(for names: [String]?) async throws -> [QueueStats] { try store.stats(for: names) }

    public func send(to queue: String, entries: [SendEntry]) async throws -> [BatchEntryResult] {
        try store.send(to: queue, entries: entries)
    }

    public func receive(from queue: String, max: Int, visibility: TimeSpan?) async throws -> [QueueMessage] {
        try store.receive(from: queue, max: max, visibility: visibility)
    }

    public func delete(from queue: String, receipts: [String]) async throws -> [BatchEntryResult] {
        try store.delete(from: queue, receipts: receipts)
    }

    public func changeVisibility(in queue: String, receipts: [String], visibility: TimeSpan) async throws -> [BatchEntryResult] {
        try store.changeVisibility(in: queue, receipts: receipts, visibility: visibility)
    }

    public func fail(in queue: String, receipt: String, errorType: String, errorMessage: String?) async throws {
        try store.fail(in: queue, receipt: receipt, errorType: errorType, errorMessage: errorMessage)
    }

    public func facets(of queue: String, filter: MessageFilter) async throws -> FacetCounts {
        try store.facets(of: queue, filter: filter)
    }

    public func page(of queue: String, filter: MessageFilter, after cursor: String?, limit: Int) async throws -> MessagePage {
        try store.page(of: queue, filter: filter, after: cursor, limit: limit)
    }

    public func message(in queue: String, id: String) async throws -> QueueMessage? {
        try store.message(in: queue, id: id)
    }

    public func activityHistory(since: Timestamp) async throws -> [[QueueStats]] {
        try store.activityHistory(since: since)
    }
}
