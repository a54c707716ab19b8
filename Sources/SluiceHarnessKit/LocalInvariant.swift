import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting

/// Checks a ``LocalRedriveScenario``'s store after any number of (killed, concurrent, resumed)
/// redrives: every seeded message is in exactly one place, the journal agrees with the jobs and
/// the queues, the counters agree with the rows, and SQLite finds nothing damaged.
public struct LocalInvariant: Sendable {
    /// What the store held when it was checked.
    public struct Census: Sendable {
        /// Jobs found, newest first.
        public var jobs: [RedriveJobRecord]
        /// Seeded messages back in `orders`, by error type.
        public var requeued: [String: Int]
        /// Seeded messages still in the DLQ, by error type.
        public var inDLQ: [String: Int]
        /// Seeded messages discarded, by error type.
        public var discarded: [String: Int]
    }

    /// The scenario being checked.
    public let scenario: LocalRedriveScenario

    /// Creates a checker.
    public init(scenario: LocalRedriveScenario) { self.scenario = scenario }

    /// Runs every check into `report`, naming `label` (e.g. `iteration 17 after kill`) in failures.
    /// - Returns: what the store held, or nil when it could not even be opened.
    @discardableResult
    public func check(_ label: String, into report: inout HarnessReport) -> Census? {
        let store: Store
        do {
            store = try Store(path: scenario.storePath)
        } catch {
            report.fail("\(label): the store cannot be opened after the redrive: \(error)")
            return nil
        }
        do {
            let problems = try store.integrityProblems()
            report.check(problems.isEmpty, "\(label): PRAGMA integrity_check: \(problems.prefix(3).joined(separator: "; "))")
            return try census(store, label: label, into: &report)
        } catch {
            report.fail("\(label): reading the store failed: \(error)")
            return nil
        }
    }

    private func census(_ store: Store, label: String, into report: inout HarnessReport) throws -> Census {
        let source = try store.allMessages(of: LocalRedriveScenario.source)
        let dlq = try store.allMessages(of: LocalRedriveScenario.dlq)
        let journal = try store.journal(limit: 1_000_000).filter { $0.action == "redrive.batch" }
        let jobs = try store.redriveJobs(limit: 1000)

        // Where the journal says each message went.
        var movedTo: [String: [String]] = [:]          // old id → new ids
        var discardedIds: [String: Int] = [:]
        var perJob: [String: (moved: Int, discarded: Int, gone: Int, batches: Int)] = [:]
        for entry in journal {
            var tally = perJob[entry.subject] ?? (0, 0, 0, 0)
            tally.batches += 1
            for pair in (entry.details["moved"] ?? "").split(separator: " ") {
                let parts = pair.split(separator: ">").map(String.init)
                guard parts.count == 2 else { report.fail("\(label): journal entry \(entry.seq) has a malformed move '\(pair)'"); continue }
                movedTo[parts[0], default: []].append(parts[1])
                tally.moved += 1
            }
            for id in (entry.details["discarded"] ?? "").split(separator: " ") { discardedIds[String(id), default: 0] += 1; tally.discarded += 1 }
            tally.gone += (entry.details["gone"] ?? "").split(separator: " ").count
            perJob[entry.subject] = tally
        }

        // Every message now in `orders` came from the DLQ through a journaled move.
        var inSource: [String: Int] = [:]
        for m in source {
            guard let lineage = m.lineage else { report.fail("\(label): \(m.id) is in orders without lineage"); continue }
            inSource[lineage.originalMessageId, default: 0] += 1
            report.check(movedTo[lineage.originalMessageId]?.contains(m.id) == true,
                         "\(label): \(m.id) (from \(lineage.originalMessageId)) is in orders but no journal entry moved it there")
        }
        let dlqIds = Set(dlq.map(\.id))

        var census = Census(jobs: jobs, requeued: [:], inDLQ: [:], discarded: [:])
        for (type, ids) in scenario.seeded {
            for id in ids {
                let here = dlqIds.contains(id) ? 1 : 0
                let back = inSource[id] ?? 0
                let gone = discardedIds[id] ?? 0
                report.check(here + back + gone == 1,
                             "\(label): \(type) message \(id) is in \(here + back + gone) places (DLQ \(here), orders \(back), discarded \(gone))")
                report.check((movedTo[id]?.count ?? 0) <= 1, "\(label): \(id) was moved \(movedTo[id]?.count ?? 0) times by the journal")
                if here == 1 { census.inDLQ[type, default: 0] += 1 }
                if back >= 1 { census.requeued[type, default: 0] += 1 }
                if gone >= 1 { census.discarded[type, default: 0] += 1 }
                if type != "Timeout" { report.check(back == 0, "\(label): \(type) message \(id) was requeued") }
                if type != "Poison" { report.check(gone == 0, "\(label): \(type) message \(id) was discarded") }
            }
        }
        let seededCount = scenario.seeded.values.reduce(0) { $0 + $1.count }
        report.check(dlq.count + source.count + discardedIds.count == seededCount,
                     "\(label): \(dlq.count) in the DLQ + \(source.count) in orders + \(discardedIds.count) discarded ≠ \(seededCount) seeded")

        // Jobs agree with their journal entries.
        for job in jobs {
            let p = job.progress
            let t = perJob[p.jobId] ?? (0, 0, 0, 0)
            report.check(p.moved == t.moved && p.discarded == t.discarded && p.gone == t.gone && p.batches == t.batches,
                         "\(label): job \(p.jobId) says moved \(p.moved) discarded \(p.discarded) gone \(p.gone) batches \(p.batches); its journal says \(t.moved)/\(t.discarded)/\(t.gone)/\(t.batches)")
            report.check(p.done <= p.total, "\(label): job \(p.jobId) did \(p.done) of \(p.total)")
            report.check(job.nextIndex == p.done + p.skipped || p.state == .completed || job.nextIndex <= p.total,
                         "\(label): job \(p.jobId) next index \(job.nextIndex) beyond its \(p.total) items")
        }

        // Counters (what `sluice status` shows) agree with the rows.
        let stats = try store.stats(for: [LocalRedriveScenario.source, LocalRedriveScenario.dlq])
        report.check(stats[0].depth == source.count, "\(label): status says orders holds \(stats[0].depth), it holds \(source.count)")
        report.check(stats[1].depth == dlq.count, "\(label): status says orders-dlq holds \(stats[1].depth), it holds \(dlq.count)")
        return census
    }

    /// After a job completed: every Timeout is back, every Poison gone, every Other still in the DLQ.
    public func checkComplete(_ census: Census, _ label: String, into report: inout HarnessReport) {
        let c = scenario.counts
        report.check(census.requeued["Timeout", default: 0] == c["Timeout", default: 0],
                     "\(label): \(census.requeued["Timeout", default: 0]) of \(c["Timeout", default: 0]) Timeout messages are back in orders")
        report.check(census.discarded["Poison", default: 0] == c["Poison", default: 0],
                     "\(label): \(census.discarded["Poison", default: 0]) of \(c["Poison", default: 0]) Poison messages were discarded")
        report.check(census.inDLQ == (c["Other", default: 0] > 0 ? ["Other": c["Other"]!] : [:]),
                     "\(label): the DLQ should hold only the \(c["Other", default: 0]) Other messages, holds \(census.inDLQ)")
    }
}
