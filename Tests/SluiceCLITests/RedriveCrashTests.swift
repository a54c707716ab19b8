import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// `kill -9` a real `sluice redrive` at random instants, then check that every selected message
/// is in exactly one place, resume, and check again.
@Suite(.serialized) struct RedriveCrashTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["SLUICE_CRASH_ITERATIONS"] ?? "") ?? 12

    @Test func sigkillAtRandomMomentsLosesAndDuplicatesNothing() throws {
        var rng = SplitMix64(seed: 20261123)
        var killedMidway = 0
        for iteration in 0..<Self.iterations {
            let f = try CLIFixture()
            try f.seedDLQ(["Timeout": 150, "Poison": 30])
            let runbook = try f.writeRunbook("fast.md", CLIFixture.fastRunbook)
            let (process, _, _) = try SluiceProcess.start(["redrive", "orders-dlq", "--runbook", runbook, "--yes", "--confirm-discards", "30",
                                                           "--json", "--store", f.store])
            usleep(useconds_t(20_000 + rng.next() % 400_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killedMidway += 1 }

            let store = try Store(path: f.store)
            #expect(try store.integrityProblems().isEmpty, "iteration \(iteration): store damaged")
            let jobs = try store.redriveJobs()
            try checkInvariant(store, jobs: jobs, iteration: iteration)
            if let job = jobs.first, job.progress.state.isResumable {
                let resumed = try f.sluice(["redrive", "--resume", job.plan.jobId])
                #expect(resumed.status == 0, "iteration \(iteration): resume failed: \(resumed.stderr)")
                let done = try store.redriveJob(job.plan.jobId)
                #expect(done.progress.state == .completed)
                #expect(done.progress.moved + done.progress.discarded + done.progress.gone == done.progress.total)
                try checkInvariant(store, jobs: [done], iteration: iteration)
                #expect(try store.stats(for: ["orders"])[0].visible == 150, "iteration \(iteration): every Timeout message is back exactly once")
                #expect(try store.stats(for: ["orders-dlq"])[0].visible == 0)
            }
        }
        #expect(killedMidway > 0, "at least some kills must land while the process runs")
    }

    /// Every planned message is in the DLQ, or in `orders` exactly once (by lineage), or discarded
    /// with a journal entry — never two of these, never none.
    func checkInvariant(_ store: Store, jobs: [RedriveJobRecord], iteration: Int) throws {
        guard let job = jobs.first else {
            #expect(try store.stats(for: ["orders-dlq"])[0].visible == 180, "iteration \(iteration): killed before planning, nothing moved")
            return
        }
        let items = try store.redriveItems(job: job.plan.jobId, from: 0, limit: 10_000)
        var inSource: [String: Int] = [:]
        for m in try store.allMessages(of: "orders") { if let original = m.lineage?.originalMessageId { inSource[original, default: 0] += 1 } }
        let discarded = Set(try store.journal().filter { $0.action == "redrive.batch" }
            .flatMap { ($0.details["discarded"] ?? "").split(separator: " ").map(String.init) })
        for item in items {
            let inDLQ = try store.message(in: "orders-dlq", id: item.messageId) != nil
            let places = (inDLQ ? 1 : 0) + (inSource[item.messageId] ?? 0) + (discarded.contains(item.messageId) ? 1 : 0)
            #expect(places == 1, "iteration \(iteration): \(item.messageId) (\(item.strategy)) is in \(places) places")
            if item.strategy == .discard { #expect(inSource[item.messageId] == nil) }
        }
    }
}
