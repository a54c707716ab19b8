import Foundation
import SluiceCore
import SluiceRedrive
import SluiceRunbooks
import SluiceSQS
import SluiceStore
import SluiceTesting
import Testing

/// The same queue-semantics scenarios against the embedded store and against moto, through
/// `QueueBackend` only, comparing what a user would see (as moto runs its own suite both
/// in-process and against its server).
///
/// Legitimate differences, recorded but not compared:
/// - Time: the embedded store runs on a virtual clock; moto on real time, visibility in whole
///   seconds, so waits on moto last a second longer.
/// - A stale receipt: the embedded store refuses a delete with a receipt an older receive
///   issued; SQS (and moto) may accept it.
/// - Failure verdicts: SQS has nowhere to keep `fail`'s error type; both backends classify from
///   the `ErrorType` attribute here, so the redrive scenario compares equal.
/// - (An empty body: moto stores it, but Sluice's SQS backend refuses the entry like SQS and the
///   embedded store do, so it compares equal.)
@Suite("differential: embedded store vs moto", .enabled(if: MotoServer.isAvailable, "\(MotoServer.unavailableReason)"), .timeLimit(.minutes(2)))
struct DifferentialTests {
    /// Receives until `count` messages came back (or a few tries passed): SQS may answer with fewer.
    static func receive(_ d: DifferentialDriver, _ queue: String, count: Int, visibility: TimeSpan) async throws -> [QueueMessage] {
        var got: [QueueMessage] = []
        for _ in 0..<5 where got.count < count {
            got += try await d.backend.receive(from: queue, max: min(10, count - got.count), visibility: visibility)
        }
        return got
    }

    static func bodies(_ messages: [QueueMessage]) -> String {
        messages.map { String(decoding: $0.body, as: UTF8.self) }.sorted().joined(separator: ",")
    }

    static func counts(_ d: DifferentialDriver, _ queue: String) async throws -> String {
        let s = try await d.backend.stats(for: [queue])[0]
        return "visible \(s.visible) in-flight \(s.inFlight)"
    }

    @Test("send, receive, visibility expiry and redelivery, receive counts, delete")
    func visibilityAndRedelivery() async throws {
        try await compareBackends { d in
            var seen = Observations()
            let q = d.q("work")
            _ = try await d.backend.createQueue(QueueSpec(name: q, visibilityTimeout: .seconds(30)))
            let sent = try await d.backend.send(to: q, entries: ["a", "b", "c"].map { SendEntry(entryId: $0, body: Array("body-\($0)".utf8)) })
            seen.see("send 3", Outcome.of(sent))
            // 15 s of visibility: long enough that a loaded CI machine (moto slows down under load)
            // still checks "hidden" while it is.
            let first = try await Self.receive(d, q, count: 3, visibility: .seconds(15))
            seen.see("first receive", Self.bodies(first))
            seen.see("first receive counts", first.map(\.receiveCount).sorted())
            seen.see("receive while hidden", try await d.backend.receive(from: q, max: 10, visibility: .seconds(15)).count)
            seen.see("stats while hidden", try await Self.counts(d, q))
            try await d.wait(.milliseconds(15500))
            let second = try await Self.receive(d, q, count: 3, visibility: .seconds(30))
            seen.see("redelivered", Self.bodies(second))
            seen.see("redelivered receive counts", second.map(\.receiveCount).sorted())
            seen.see("same ids", Set(first.map(\.id)) == Set(second.map(\.id)))
            let stale = await Outcome.call { try await d.backend.delete(from: q, receipts: [first[0].receiptHandle!]) }
            seen.differs("delete with a stale receipt", Outcome.describe(stale), why: "SQS may accept a receipt an older receive issued")
            let fresh = try await d.backend.delete(from: q, receipts: second.dropFirst().compactMap(\.receiptHandle))
            seen.see("delete 2 with current receipts", Outcome.of(fresh))
            // The first message is gone on moto (its stale delete was accepted) and still in flight
            // locally: the visible count must agree, the in-flight one follows the difference above.
            let after = try await d.backend.stats(for: [q])[0]
            seen.see("visible after delete", after.visible)
            seen.differs("in flight after delete", after.inFlight, why: "follows the stale-receipt difference")
            return seen
        }
    }

    @Test("change visibility to zero releases a message at once")
    func changeVisibility() async throws {
        try await compareBackends { d in
            var seen = Observations()
            let q = d.q("vis")
            _ = try await d.backend.createQueue(QueueSpec(name: q))
            _ = try await d.backend.send(to: q, entries: [SendEntry(entryId: "1", body: Array("x".utf8))])
            let got = try await Self.receive(d, q, count: 1, visibility: .seconds(60))
            seen.see("received", got.count)
            seen.see("hidden", try await d.backend.receive(from: q, max: 1, visibility: .seconds(60)).count)
            let changed = try await d.backend.changeVisibility(in: q, receipts: got.compactMap(\.receiptHandle), visibility: .zero)
            seen.see("change visibility", Outcome.of(changed))
            let again = try await Self.receive(d, q, count: 1, visibility: .seconds(60))
            seen.see("received again", Self.bodies(again))
            seen.see("receive count", again.map(\.receiveCount))
            return seen
        }
    }

    @Test("after maxReceiveCount receives the next receive moves the message to the DLQ")
    func deadLetterMove() async throws {
        try await compareBackends { d in
            var seen = Observations()
            let dlq = d.q("dlq"), src = d.q("src")
            _ = try await d.backend.createQueue(QueueSpec(name: dlq))
            _ = try await d.backend.createQueue(QueueSpec(name: src, redrivePolicy: RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: 2)))
            _ = try await d.backend.send(to: src, entries: [SendEntry(entryId: "p", body: Array("poison".utf8), attributes: ["ErrorType": .string("Poison")])])
            for n in 1...2 {
                let got = try await Self.receive(d, src, count: 1, visibility: .seconds(1))
                seen.see("receive \(n)", "\(Self.bodies(got)) count \(got.map(\.receiveCount))")
                try await d.wait(.milliseconds(1100))
            }
            seen.see("receive 3 (moves it)", try await d.backend.receive(from: src, max: 10, visibility: .seconds(1)).count)
            seen.see("source after", try await Self.counts(d, src))
            seen.see("dlq after", try await Self.counts(d, dlq))
            let inDLQ = try await Self.receive(d, dlq, count: 1, visibility: .seconds(30))
            seen.see("dlq body", Self.bodies(inDLQ))
            seen.see("dlq attributes kept", inDLQ.first?.attributes["ErrorType"]?.stringValue ?? "-")
            seen.see("receive count in the DLQ (carried over)", inDLQ.map(\.receiveCount))
            return seen
        }
    }

    @Test("batch entry errors: 11 entries, an empty body, an oversized body")
    func batchErrors() async throws {
        try await compareBackends { d in
            var seen = Observations()
            let q = d.q("batch")
            _ = try await d.backend.createQueue(QueueSpec(name: q))
            let eleven = await Outcome.call { try await d.backend.send(to: q, entries: (0..<11).map { SendEntry(entryId: "e\($0)", body: Array("m\($0)".utf8)) }) }
            seen.see("send 11 entries", Outcome.describe(eleven))
            let pair = await Outcome.call { try await d.backend.send(to: q, entries: [
                SendEntry(entryId: "ok1", body: Array("fine".utf8)),
                SendEntry(entryId: "ok2", body: Array("also fine".utf8)),
            ]) }
            seen.see("send 2", Outcome.describe(pair))
            // In a queue of its own, so the counts below compare equal.
            let side = d.q("batch-empty")
            _ = try await d.backend.createQueue(QueueSpec(name: side))
            let mixed = await Outcome.call { try await d.backend.send(to: side, entries: [
                SendEntry(entryId: "ok1", body: Array("fine".utf8)),
                SendEntry(entryId: "empty", body: []),
            ]) }
            // moto would store an empty body; SQS and the embedded store refuse it, and so does
            // Sluice's SQS backend, entry by entry, before the request leaves.
            seen.see("send ok + empty body", Outcome.describe(mixed))
            let big = await Outcome.call { try await d.backend.send(to: q, entries: [
                SendEntry(entryId: "big", body: [UInt8](repeating: 0x61, count: 1024 * 1024 + 1)),
                SendEntry(entryId: "ok3", body: Array("small".utf8)),
            ]) }
            seen.see("send 1 MiB + 1 byte and a small one", Outcome.describe(big))
            seen.see("queue holds", try await Self.counts(d, q))
            let got = try await Self.receive(d, q, count: 10, visibility: .seconds(30))
            seen.see("bodies", Self.bodies(got))
            let receipts = got.compactMap(\.receiptHandle)
            let deleteEleven = await Outcome.call { try await d.backend.delete(from: q, receipts: receipts + Array(repeating: receipts[0], count: 11 - receipts.count)) }
            seen.see("delete 11 receipts", Outcome.describe(deleteEleven).hasPrefix("call failed") ? "refused" : "accepted")
            return seen
        }
    }

    @Test("filtered redrive moves only the selected error type, once")
    func filteredRedrive() async throws {
        try await compareBackends { d in
            var seen = Observations()
            let dlq = d.q("orders-dlq"), src = d.q("orders")
            _ = try await d.backend.createQueue(QueueSpec(name: dlq))
            _ = try await d.backend.createQueue(QueueSpec(name: src, redrivePolicy: RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: 1)))
            let types = ["Timeout", "Timeout", "Validation", "Timeout", "Validation", "Timeout"]
            _ = try await d.backend.send(to: src, entries: types.enumerated().map {
                SendEntry(entryId: "\($0.offset)", body: Array("\($0.element)-\($0.offset)".utf8), attributes: ["ErrorType": .string($0.element)])
            })
            _ = try await Self.receive(d, src, count: 6, visibility: .seconds(1))
            try await d.wait(.milliseconds(1100))
            for _ in 0..<3 { _ = try await d.backend.receive(from: src, max: 10, visibility: .seconds(1)) }
            seen.see("dlq before", try await Self.counts(d, dlq))
            seen.see("facets", try await d.backend.facets(of: dlq, filter: .all).counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })

            let runbook = try RunbookParser.parse(text: """
                ---
                id: diff-timeouts
                dlq: "*orders-dlq"
                batch:
                  size: 2
                  jitter: 0ms..0ms
                  max_rate: 1000/s
                strategy:
                  Timeout: requeue
                  Validation: requeue
                filter:
                  error_types: [Timeout]
                ---
                # Requeue timeouts
                """, path: "diff.md")
            let jobs = try TemporaryStore()
            let target: any RedriveTarget
            if let sqs = d.backend as? SQSBackend {
                target = SQSRedriveTarget(store: jobs.store, backend: sqs, lease: .seconds(30))
            } else {
                target = LocalRedriveTarget(store: (d.backend as! LocalBackend).store)
            }
            let store = (d.backend as? LocalBackend)?.store ?? jobs.store
            let plan = try await RedrivePlanner(backend: d.backend, target: target).plan(dlq: dlq, runbook: runbook, filter: .all)
            seen.see("plan", "move \(plan.moveCount) discard \(plan.discardCount) batches \(plan.batchCount)")
            try store.createRedriveJob(plan, ack: nil)
            try await target.frozen(plan: plan)
            let progress = try await RedriveRunner(store: store, target: target, observer: nil, clock: d.backend.clock).run(job: plan.jobId)
            seen.see("job", "\(progress.state.rawValue) moved \(progress.moved) gone \(progress.gone) failed \(progress.failed)")
            let back = try await Self.receive(d, src, count: 4, visibility: .seconds(30))
            seen.see("back in the source", Self.bodies(back))
            seen.see("redriven receive counts", back.map(\.receiveCount))
            seen.see("lineage", back.map { $0.lineage.map { "job \($0.jobId == plan.jobId) count \($0.redriveCount)" } ?? "none" }.sorted())
            seen.see("dlq keeps", Self.bodies(try await Self.receive(d, dlq, count: 2, visibility: .seconds(30))))
            seen.see("nothing more in the source", try await d.backend.receive(from: src, max: 10, visibility: .seconds(30)).count)
            return seen
        }
    }
}
