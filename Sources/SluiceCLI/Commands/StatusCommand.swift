import ArgumentParser
import SluiceCore

/// `sluice status`: every queue's numbers at a glance.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show every queue's depth, in-flight, delayed and oldest message age.")

    @OptionGroup var backend: BackendOptions
    @OptionGroup var output: JSONFlag

    func run() async throws {
        try await backend.withBackend(readOnly: true) { try await show($0) }
    }

    private func show(_ backend: any QueueBackend) async throws {
        let queues = try await backend.listQueues()
        let stats = try await backend.stats(for: queues.map(\.name))
        let byName = Dictionary(uniqueKeysWithValues: queues.map { ($0.name, $0) })
        if output.json {
            JSONOutput.print(StatusJSON(backend: backend.label, at: backend.clock.now().millis, queues: stats.map { s in
                let q = byName[s.queue]
                return QueueStatusJSON(name: s.queue, visible: s.visible, inFlight: s.inFlight, delayed: s.delayed, depth: s.depth,
                                       oldestAgeMs: s.oldestAge?.millis, oldestAgeFromScan: s.oldestAgeIsFromScan,
                                       deadLetterQueue: q?.spec.redrivePolicy?.deadLetterQueue, maxReceiveCount: q?.spec.redrivePolicy?.maxReceiveCount,
                                       deadLetterSources: q?.deadLetterSources ?? [], counters: s.counters)
            }))
            return
        }
        print("backend: \(backend.label)")
        if stats.isEmpty {
            print("no queues — create one with 'sluice queue create NAME', or try 'sluice demo'")
            return
        }
        var table = TextTable(["QUEUE", "VISIBLE", "IN-FLIGHT", "DELAYED", "OLDEST", "SENT", "DELETED", "FAILED", "TO DLQ", "DLQ"], rightAligned: [1, 2, 3, 4, 5, 6, 7, 8])
        for s in stats {
            let q = byName[s.queue]
            let dlq = q?.spec.redrivePolicy.map { "→ \($0.deadLetterQueue)" } ?? (q?.isDeadLetterQueue == true ? "DLQ of \(q!.deadLetterSources.joined(separator: ","))" : "")
            let c = s.counters
            table.add([s.queue, String(s.visible), String(s.inFlight), String(s.delayed),
                       (s.oldestAge?.compact ?? "-") + (s.oldestAgeIsFromScan ? "*" : ""),
                       c.map { String($0.sent) } ?? "-", c.map { String($0.deleted) } ?? "-",
                       c.map { String($0.failed) } ?? "-", c.map { String($0.deadLettered) } ?? "-", dlq])
        }
        print(table.render())
    }
}

struct StatusJSON: Encodable {
    let backend: String
    let at: Int64
    let queues: [QueueStatusJSON]
}
