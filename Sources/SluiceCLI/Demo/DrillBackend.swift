import SluiceCore
import SluiceStore

/// The drill's store as the console sees it: every call goes to the embedded store, but its
/// clock is ``PacedDrillClock``, so a redrive the operator starts from the console waits for
/// the drill's virtual time to pass instead of jumping the drill's clock forward (the store's
/// own clock is a manual one, whose `sleep` would advance it at once).
struct DrillBackend: QueueBackend {
    let base: LocalBackend
    let paced: PacedDrillClock
    let drillId: String

    init(store: Store, drillId: String) {
        base = LocalBackend(store: store)
        paced = PacedDrillClock(virtual: store.clock)
        self.drillId = drillId
    }

    var label: String { "drill \(drillId) (embedded, virtual time)" }
    var clock: any SluiceClock { paced }

    func listQueues() async throws -> [QueueInfo] { try await base.listQueues() }
    func createQueue(_ spec: QueueSpec) async throws -> QueueInfo { try await base.createQueue(spec) }
    func stats(for names: [String]?) async throws -> [QueueStats] { try await base.stats(for: names) }
    func send(to queue: String, entries: [SendEntry]) async throws -> [BatchEntryResult] { try await base.send(to: queue, entries: entries) }
    func receive(from queue: String, max: Int, visibility: TimeSpan?) async throws -> [QueueMessage] {
        try await base.receive(from: queue, max: max, visibility: visibility)
    }
    func delete(from queue: String, receipts: [String]) async throws -> [BatchEntryResult] { try await base.delete(from: queue, receipts: receipts) }
    func changeVisibility(in queue: String, receipts: [String], visibility: TimeSpan) async throws -> [BatchEntryResult] {
        try await base.changeVisibility(in: queue, receipts: receipts, visibility: visibility)
    }
    func fail(in queue: String, receipt: String, errorType: String, errorMessage: String?) async throws {
        try await base.fail(in: queue, receipt: receipt, errorType: errorType, errorMessage: errorMessage)
    }
    func facets(of queue: String, filter: MessageFilter) async throws -> FacetCounts { try await base.facets(of: queue, filter: filter) }
    func page(of queue: String, filter: MessageFilter, after cursor: String?, limit: Int) async throws -> MessagePage {
        try await base.page(of: queue, filter: filter, after: cursor, limit: limit)
    }
    func message(in queue: String, id: String) async throws -> QueueMessage? { try await base.message(in: queue, id: id) }
    func activityHistory(since: Timestamp) async throws -> [[QueueStats]] { try await base.activityHistory(since: since) }
}

/// The drill's virtual time for readers, and a `sleep` that waits (in short wall-time naps)
/// until the drill has advanced that far. Paused drill, paused sleepers.
final class PacedDrillClock: SluiceClock {
    private let virtual: any SluiceClock

    init(virtual: any SluiceClock) { self.virtual = virtual }

    func now() -> Timestamp { virtual.now() }

    func sleep(for span: TimeSpan) async throws {
        let wake = virtual.now() + span
        while virtual.now() < wake {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}
