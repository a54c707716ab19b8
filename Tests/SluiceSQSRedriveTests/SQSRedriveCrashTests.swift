import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// `kill -9` a real `sluice redrive --sqs` at a random moment, resume it, and check with boto3
/// that nothing was lost and at most the batch in flight was duplicated.
@Suite("SQS redrive: SIGKILL then resume", .enabled(if: sqsToolsAvailable, "\(sqsToolsMissing)"), .timeLimit(.minutes(3)))
struct SQSRedriveCrashTests {
    /// Kills per run (in parallel, each on its own queues); `SLUICE_SQS_CRASH_ITERATIONS` raises it.
    static let iterations = Array(0..<(Int(ProcessInfo.processInfo.environment["SLUICE_SQS_CRASH_ITERATIONS"] ?? "") ?? 3))

    /// The SQS lease of held DLQ messages: short, so what the killed process held comes back soon.
    static let lease = "6s"

    @Test("SIGKILL mid-redrive, then --resume: nothing lost, at most one batch duplicated")
    func sigkillThenResume() async throws {
        // Iterations run side by side, each on its own queues and store.
        let runs = try await withThrowingTaskGroup(of: (midway: Bool, context: String).self) { group in
            for iteration in Self.iterations { group.addTask { try await Self.crashAndResume(iteration: iteration) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let midway = runs.filter { $0.midway }.count
        let contexts = runs.map { $0.context }.joined(separator: "; ")
        print("SQS crash runs: \(contexts)")
        #expect(midway > 0, "no kill landed while messages were moving, so resume went unchecked: \(contexts)")
    }

    /// One kill and resume; returns whether the kill landed after the plan was saved and before the job ended.
    static func crashAndResume(iteration: Int) async throws -> (midway: Bool, context: String) {
        var rng = SplitMix64(seed: 0x5105_c0de &+ UInt64(iteration) &* 7919)
        var midway = false
        var summary = "iteration \(iteration)"
        try await SQSWorld.with { w in
            try await w.createQueues()
            let seeded = try await w.seedDLQ([("Timeout", 60), ("Poison", 10)])
            let selected = seeded.filter { $0.errorType == "Timeout" }
            // 30/s in batches of 10: the moves take about two seconds, after a few hundred ms of scan and plan.
            let runbook = try w.writeRunbook(SQSWorld.runbook(requeue: ["Timeout"], maxRate: "30/s", jitter: "0ms..20ms"))
            let env = w.environment(["SLUICE_SQS_LEASE": Self.lease])

            let (process, out, _) = try SluiceProcess.start(["redrive", w.dlq, "--runbook", runbook, "--yes", "--json"] + w.sqsFlags(), environment: env)
            let watcher = ReadAll(out.fileHandleForReading)
            // Every third iteration kills at a random instant from the start (often during the scan,
            // before the plan is saved); the others wait for the 1st to 3rd batch event and kill while
            // the job moves, so a loaded machine whose scan runs long still tests the resume.
            let early = iteration % 3 == 2
            let moment: String
            let delay: UInt64
            if early {
                delay = 100_000 + rng.next() % 1_500_000
                moment = "\(delay / 1000) ms from the start"
                try await Task.sleep(nanoseconds: delay * 1000)
                kill(process.processIdentifier, SIGKILL)
            } else {
                // The reading thread kills the moment the event shows: the test's own tasks may be
                // slowed by the other iterations' blocking waits.
                let batches = 1 + Int(rng.next() % 3)
                delay = rng.next() % 100_000
                moment = "\(delay / 1000) ms after batch \(batches)"
                let pid = process.processIdentifier
                watcher.on("\"event\":\"batch\"", times: batches) {
                    usleep(UInt32(delay))
                    kill(pid, SIGKILL)
                }
            }
            process.waitUntilExit()
            let killed = process.terminationReason == .uncaughtSignal
            let context = "iteration \(iteration), killed \(moment)\(killed ? "" : " (had already exited)")"

            let store = try Store(path: w.store)
            let jobs = try store.redriveJobs()
            summary = "\(context): job \(jobs.first.map { "\($0.progress.state.rawValue), \($0.progress.done) of \($0.progress.total) done" } ?? "not saved")"
            var planned = Set<String>()
            if let job = jobs.first {
                planned = Set(try store.redriveItems(job: job.plan.jobId, from: 0, limit: 10_000).map(\.messageId))
                #expect(planned.count == selected.count, "\(context): the plan froze every Timeout message")
                if job.progress.state.isResumable {
                    midway = true
                    let resumed = try SluiceProcess.run(["redrive", "--resume", job.plan.jobId, "--json"] + w.sqsFlags(), environment: env, timeout: 60)
                    #expect(resumed.status == 0, "\(context): resume exited \(resumed.status): \(resumed.stderr)")
                }
                let done = try store.redriveJob(job.plan.jobId).progress
                #expect(done.state == .completed, "\(context): \(done)")
                #expect(done.moved == selected.count && done.gone == 0 && done.failed == 0, "\(context): \(done)")
            }

            // Killed before the plan was saved: nothing moved, and what the scan held comes back after one lease.
            let (source, dlq) = try w.listWithBoto3(expectSource: planned.count, expectDLQ: seeded.count - planned.count, timeout: 30)
            let copies = Dictionary(grouping: source, by: { $0.originalId ?? "none" })
            #expect(Set(copies.keys) == planned, "\(context): every planned message is in the source, nothing else is")
            #expect(source.count - copies.count <= 10, "\(context): \(source.count - copies.count) duplicates, more than the batch in flight")
            #expect(Set(dlq.map(\.id)).isDisjoint(with: planned), "\(context): a moved message is still in the DLQ")
            let everywhere = Set(source.map(\.body)).union(dlq.map(\.body))
            #expect(everywhere == Set(seeded.map(\.body)), "\(context): lost \(Set(seeded.map(\.body)).subtracting(everywhere).count) messages")
            #expect(dlq.count == Set(dlq.map(\.body)).count)
        }
        return (midway, summary)
    }
}
