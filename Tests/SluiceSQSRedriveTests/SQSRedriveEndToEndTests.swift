import Foundation
import SluiceCore
import SluiceSQS
import SluiceTesting
import Testing

/// The real `sluice` binary against moto: numbers, a filtered redrive, and what is left behind,
/// each result checked with boto3 rather than with Sluice itself.
@Suite("SQS redrive end to end (moto, boto3 checks)", .enabled(if: sqsToolsAvailable, "\(sqsToolsMissing)"), .timeLimit(.minutes(3)))
struct SQSRedriveEndToEndTests {
    @Test("status and dlq list count right; a filtered redrive moves exactly the selection; the rest is visible again at once")
    func filteredRedriveByErrorType() async throws {
        try await SQSWorld.with { w in try await filteredRedriveByErrorType(w) }
    }

    func filteredRedriveByErrorType(_ w: SQSWorld) async throws {
        try await w.createQueues()
        let seeded = try await w.seedDLQ([("Timeout", 14), ("Throttled", 9), ("Poison", 7), ("ValidationError", 5)])

        let before = try queues(w)
        #expect(before[w.dlq]?.visible == 35 && before[w.dlq]?.inFlight == 0, "\(before)")
        #expect(before[w.source]?.visible == 0 && before[w.source]?.inFlight == 0, "\(before)")

        let listed = try w.json(["dlq", "list", w.dlq, "--limit", "100", "--json"])
        #expect(listed["total"] as? Int == 35)
        #expect(listed["facets"] as? [String: Int] == ["Timeout": 14, "Throttled": 9, "Poison": 7, "ValidationError": 5])
        #expect((listed["messages"] as? [[String: Any]])?.count == 35)
        let narrowed = try w.json(["dlq", "list", w.dlq, "--error-type", "Timeout", "--error-type", "Poison", "--json"])
        #expect(narrowed["total"] as? Int == 21)
        // Listing scans the DLQ under a lease; it must give everything back.
        let afterList = try queues(w)
        #expect(afterList[w.dlq]?.visible == 35 && afterList[w.dlq]?.inFlight == 0, "dlq list left messages hidden: \(afterList)")

        // The runbook would move Throttled too; the operator's filter narrows it to Timeout and Poison.
        let runbook = try w.writeRunbook(SQSWorld.runbook(requeue: ["Timeout", "Throttled", "Poison"]))
        let run = try w.sluice(["redrive", w.dlq, "--runbook", runbook, "--error-type", "Timeout", "--error-type", "Poison", "--yes", "--json"])
        #expect(run.status == 0, "redrive exited \(run.status): \(run.stderr)")
        let lines = SQSWorld.jsonLines(run.stdout)
        let plan = try #require(lines.first { $0["event"] as? String == "plan" }, "no plan line in \(run.stdout.prefix(500))")
        let planned = Set(plan["messageIds"] as? [String] ?? [])
        #expect(plan["move"] as? Int == 21 && planned.count == 21)
        let finished = lines.last { $0["event"] as? String == "finished" }?["progress"] as? [String: Any]
        #expect(finished?["state"] as? String == "completed" && finished?["moved"] as? Int == 21, "\(String(describing: finished))")

        // Sluice's own view: the unselected 14 are visible right away (default 5-minute lease released).
        let after = try queues(w)
        #expect(after[w.source]?.visible == 21, "\(after)")
        #expect(after[w.dlq]?.visible == 14 && after[w.dlq]?.inFlight == 0, "unselected messages still hidden: \(after)")

        // boto3's view, with a short timeout: anything still under Sluice's lease would be missed.
        let selected = seeded.filter { ["Timeout", "Poison"].contains($0.errorType) }
        let rest = seeded.filter { !["Timeout", "Poison"].contains($0.errorType) }
        let (source, dlq) = try w.listWithBoto3(expectSource: selected.count, expectDLQ: rest.count, timeout: 4)
        #expect(source.map(\.body).sorted() == selected.map(\.body).sorted(), "the source holds exactly the selected bodies, once each")
        #expect(dlq.map(\.body).sorted() == rest.map(\.body).sorted(), "the DLQ holds exactly the unselected bodies")
        #expect(Set(source.compactMap(\.originalId)) == planned, "lineage names each planned DLQ message once")
        #expect(Set(dlq.map(\.id)).isDisjoint(with: planned))
        let seededType = Dictionary(uniqueKeysWithValues: seeded.map { ($0.body, $0.errorType) })
        for m in source {
            #expect(m.attributes["errorType"] == seededType[m.body], "attributes travel with the body: \(m.attributes)")
            #expect(m.attributes[Lineage.AttributeName.redriveCount] == "1")
        }

        // The journal tells the same story.
        let audit = try SluiceProcess.run(["audit", "--json", "--store", w.store], environment: w.environment())
        let actions = SQSWorld.jsonLines(audit.stdout).compactMap { $0["action"] as? String }
        #expect(actions.contains("redrive.plan") && actions.contains("redrive.sent") && actions.contains("redrive.completed"), "\(actions)")
    }

    @Test("--min-age / --max-age select by time since first send, on real SentTimestamps")
    func filteredRedriveByAge() async throws {
        try await SQSWorld.with { w in
            try await w.createQueues()
            let old = try await w.seedDLQ([("Timeout", 8), ("Poison", 4)], group: "old")
            let oldSentBy = Date()
            // moto stamps SentTimestamp itself, so ages take real time: a gap between the groups
            // longer than any one sluice run below keeps every threshold between the groups.
            let gap = 8.0
            while Date() < oldSentBy.addingTimeInterval(gap) { try await Task.sleep(nanoseconds: 100_000_000) }
            let youngSentFrom = Date()
            let young = try await w.seedDLQ([("Timeout", 6), ("Poison", 3)], group: "young")

            // Just under the old group's least age now: the old are older, the young (sent at
            // least `gap` later) younger, for as long as the run takes less than the gap.
            func threshold() -> String { "\(Int64((Date().timeIntervalSince(oldSentBy) - 0.3) * 1000))ms" }
            func timed(_ args: [String]) throws -> (SluiceProcess.Result, Double) {
                let start = Date()
                let r = try w.sluice(args)
                return (r, Date().timeIntervalSince(start))
            }
            let (youngList, t1) = try timed(["dlq", "list", w.dlq, "--max-age", threshold(), "--json"])
            #expect(Self.total(youngList) == young.count, "--max-age lists the young group (run took \(t1) s of the \(gap) s gap)")
            let (oldList, t2) = try timed(["dlq", "list", w.dlq, "--min-age", threshold(), "--json"])
            #expect(Self.total(oldList) == old.count, "--min-age lists the old group (run took \(t2) s of the \(gap) s gap)")

            let runbook = try w.writeRunbook(SQSWorld.runbook(requeue: ["Timeout", "Poison"]))
            let (run, t3) = try timed(["redrive", w.dlq, "--runbook", runbook, "--min-age", threshold(), "--error-type", "Timeout", "--yes", "--json"])
            #expect(run.status == 0, "redrive exited \(run.status): \(run.stderr)")
            let plan = SQSWorld.jsonLines(run.stdout).first { $0["event"] as? String == "plan" }
            #expect(plan?["move"] as? Int == 8, "old Timeout messages only (run took \(t3) s of the \(gap) s gap)")

            let selected = old.filter { $0.errorType == "Timeout" }
            let rest = old.filter { $0.errorType != "Timeout" } + young
            let (source, dlq) = try w.listWithBoto3(expectSource: selected.count, expectDLQ: rest.count, timeout: 4)
            #expect(source.map(\.body).sorted() == selected.map(\.body).sorted(), "only old Timeout messages moved")
            #expect(dlq.map(\.body).sorted() == rest.map(\.body).sorted(), "young and Poison messages stay, visible")
            // SQS keeps SentTimestamp across the move into the DLQ; lineage keeps it across the redrive.
            for m in source {
                let original = Int64(m.attributes[Lineage.AttributeName.originalSentAt] ?? "") ?? 0
                #expect(original > 0 && original <= Int64(oldSentBy.timeIntervalSince1970 * 1000) && original < Int64(youngSentFrom.timeIntervalSince1970 * 1000) - 5_000,
                        "lineage keeps the first send time: \(m.attributes)")
            }
        }
    }

    static func total(_ r: SluiceProcess.Result) -> Int? {
        (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["total"] as? Int
    }

    /// Visible and in-flight counts per queue from `sluice status --json`.
    func queues(_ w: SQSWorld) throws -> [String: (visible: Int, inFlight: Int)] {
        let status = try w.json(["status", "--json"])
        var out: [String: (visible: Int, inFlight: Int)] = [:]
        for q in status["queues"] as? [[String: Any]] ?? [] {
            guard let name = q["name"] as? String, name.hasPrefix(w.prefix) else { continue }
            out[name] = (q["visible"] as? Int ?? -1, q["inFlight"] as? Int ?? -1)
        }
        return out
    }
}
