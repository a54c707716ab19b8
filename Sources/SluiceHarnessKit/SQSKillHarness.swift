import Foundation
import SluiceCore
import SluiceSQS
import SluiceStore
import SluiceTesting

/// `kill-sqs`: SIGKILL a real `sluice redrive --sqs` at random instants while it talks to moto
/// through a ``FaultProxy`` that throttles, fails and drops a share of requests; resume it; then
/// list both queues with a separate client. Nothing may be lost, every planned message must be
/// back in the source, and duplicates are bounded by one batch per crash.
///
/// The ideas (a short `SLUICE_SQS_LEASE`, lineage to count copies) follow
/// `Tests/SluiceSQSRedriveTests/SQSRedriveCrashTests.swift`; this adds the fault proxy and many
/// iterations.
public struct SQSKillHarness: Sendable {
    /// Iterations to run.
    public var iterations: Int
    public var seed: UInt64
    /// Probability that the proxy fails a request (throttling, 500, or a dropped response).
    public var faultRate: Double
    public var log: @Sendable (String) -> Void

    /// Creates a harness.
    public init(iterations: Int, seed: UInt64 = 20261123, faultRate: Double = 0.08, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.iterations = iterations
        self.seed = seed
        self.faultRate = faultRate
        self.log = log
    }

    static let accessKey = "AKIDSLUICEHARNESS", secretKey = "harness-secret"
    static let batch = 10

    /// Runs every iteration against `moto` (a new server when nil) and returns the report.
    public func run(moto given: MotoServer? = nil) async -> HarnessReport {
        var report = HarnessReport(name: "kill-sqs")
        guard MotoServer.isAvailable else {
            report.fail(MotoServer.unavailableReason)
            return report
        }
        do {
            let moto: MotoServer
            if let given { moto = given } else { moto = try await MotoServer.start() }
            defer { if given == nil { moto.shutdown() } }
            let proxy = try FaultProxy(upstreamPort: moto.port)
            defer { proxy.shutdown() }
            let direct = try Self.backend(endpoint: moto.endpoint)
            var rng = SplitMix64(seed: seed)
            // Kills land in the moving phase (timed from the job's "started" line) four times in
            // five, else anywhere from the start (scan and plan); the windows come from the calibration run.
            var window = 2.0, moveWindow = 1.0
            var landed = (beforeJob: 0, midJob: 0, afterEnd: 0)
            var duplicates = 0
            var incompletePlans = 0
            for i in 0...iterations {
                // Iteration 0 is not killed: it measures how long a run takes.
                let calibrating = i == 0
                let faults: [FaultProxy.Fault] = [.throttling, .serverError, .dropAfterForward]
                proxy.clearFaults()
                proxy.inject(faults[Int(rng.next() % 3)], probability: faultRate, seed: rng.next())
                let fraction = Double(rng.next() % 1_000_000) / 1_000_000
                let afterStart = rng.next() % 5 != 0
                let delay = calibrating ? 0 : fraction * (afterStart ? moveWindow : window)
                do {
                    let result = try await iteration(i, calibrating: calibrating, killAfter: delay, afterStart: afterStart, moto: moto, proxy: proxy, direct: direct, into: &report)
                    if calibrating {
                        window = max(0.5, result.seconds * 0.95)
                        moveWindow = max(0.2, result.movingSeconds * 0.95)
                    }
                    else if !result.jobExisted { landed.beforeJob += 1 }
                    else if result.finishedBeforeKill { landed.afterEnd += 1 }
                    else { landed.midJob += 1 }
                    duplicates += result.duplicates
                    if result.incompletePlan { incompletePlans += 1 }
                    log("iteration \(i)\(calibrating ? " (calibration)" : ""): killed \(Int(delay * 1000)) ms after \(afterStart ? "the job started" : "launch"), \(result.summary)")
                } catch {
                    report.fail("iteration \(i): \(error)")
                }
            }
            try? await direct.shutdown()
            let stats = proxy.stats
            report.figure("iterations", "\(iterations) killed + 1 calibration run")
            report.figure("kill windows", String(format: "0–%.0f ms after launch (1 in 5), else 0–%.0f ms after the job started", window * 1000, moveWindow * 1000))
            report.figure("killed before a job existed", landed.beforeJob)
            report.figure("killed mid-job", landed.midJob)
            report.figure("finished before the kill", landed.afterEnd)
            report.figure("duplicated messages in all", duplicates)
            report.figure("plans that missed messages a dropped scan response hid", incompletePlans)
            report.figure("proxy", "\(stats.requests) requests, \(stats.totalFaults) faults injected \(stats.faults.sorted { $0.key < $1.key })")
        } catch {
            report.fail("setting up moto and the proxy: \(error)")
        }
        return report
    }

    struct IterationResult {
        var seconds: Double
        /// From the job's "started" line to the exit.
        var movingSeconds: Double
        var jobExisted: Bool
        var finishedBeforeKill: Bool
        var duplicates: Int
        var incompletePlan: Bool
        var summary: String
    }

    static func backend(endpoint: String) throws -> SQSBackend {
        let configuration = SQSConfiguration(credentials: AWSCredentials(accessKeyId: accessKey, secretAccessKey: secretKey),
                                             region: "us-east-1", endpoint: try AWSEndpoint(parsing: endpoint))
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(20), maxDelay: .milliseconds(300), deadline: .seconds(60), attemptTimeout: .seconds(10))
        let client = SQSClient(configuration: configuration, retrier: Retrier(policy: policy, clock: SystemClock(), random: RetryRandom(seed: 9)))
        return SQSBackend(client: client, scanOptions: DLQScan.Options(limit: 5000, lease: .seconds(30), wait: .zero, emptyReceivesToStop: 2))
    }

    func iteration(_ i: Int, calibrating: Bool, killAfter delay: Double, afterStart: Bool, moto: MotoServer, proxy: FaultProxy, direct: SQSBackend,
                   into report: inout HarnessReport) async throws -> IterationResult {
        let label = "iteration \(i)"
        let prefix = "k" + UUID().uuidString.prefix(8).lowercased()
        let source = "\(prefix)-orders", dlq = "\(prefix)-orders-dlq"
        let dir = NSTemporaryDirectory() + "sluice-kill-sqs-" + prefix
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = dir + "/journal.sluice"
        let dropsBefore = proxy.stats.faults["dropAfterForward"] ?? 0

        // Seed: 40 Timeout (to requeue) and 10 Poison (no strategy: they stay).
        try await createDeadLetterPair(backend: direct, source: source, dlq: dlq, maxReceiveCount: 1)
        let seeded = (0..<50).map { n in (body: "{\"p\":\"\(prefix)\",\"n\":\(n)}", type: n < 40 ? "Timeout" : "Poison") }
        for start in stride(from: 0, to: seeded.count, by: 10) {
            let entries = seeded[start..<min(start + 10, seeded.count)].enumerated().map {
                SendEntry(entryId: "e\($0.offset)", body: Array($0.element.body.utf8), attributes: ["errorType": .string($0.element.type)])
            }
            let results = try await direct.send(to: source, entries: entries)
            guard results.allSatisfy(\.succeeded) else { throw SluiceError(.internalError, "\(label): seeding failed") }
        }
        try await pushIntoDLQ(backend: direct, source: source, dlq: dlq, expectAtLeast: seeded.count, timeout: 30)

        let runbook = dir + "/runbook.md"
        try """
        ---
        id: harness-sqs
        title: SQS kill harness
        dlq: "*-dlq"
        batch:
          size: \(Self.batch)
          jitter: 0ms..20ms
          max_rate: 40/s
        strategy:
          Timeout: requeue
        ---
        # SQS kill harness
        """.write(toFile: runbook, atomically: true, encoding: .utf8)
        let env = ["AWS_ACCESS_KEY_ID": Self.accessKey, "AWS_SECRET_ACCESS_KEY": Self.secretKey, "AWS_REGION": "us-east-1",
                   "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_SQS": "", "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
                   "SLUICE_SQS_LEASE": "2s"]
        let flags = ["--sqs", "--endpoint-url", proxy.endpoint, "--store", store]
        let run = try SluiceRun.start(["redrive", dlq, "--runbook", runbook, "--yes", "--json"] + flags, environment: env)
        var finishedBeforeKill = false
        var movingSeconds = 0.0
        let outcome: SluiceProcess.Result
        if calibrating {
            let started = run.waitForOutput(SluiceRun.startedLine, timeout: 120) ? Date() : nil
            outcome = run.wait(timeout: 120)
            movingSeconds = started.map { Date().timeIntervalSince($0) } ?? 0
            report.check(outcome.status == 0, "\(label): the calibration run exited \(outcome.status): \(outcome.stderr.suffix(400))")
        } else {
            if afterStart { _ = run.waitForOutput(SluiceRun.startedLine, timeout: 120) }
            usleep(useconds_t(delay * 1_000_000))
            finishedBeforeKill = !run.isRunning
            run.kill()
            outcome = run.wait()
            if finishedBeforeKill {
                report.check(outcome.status == 0, "\(label): exited \(outcome.status) before the kill: \(outcome.stderr.suffix(400))")
            }
        }

        let journal = try Store(path: store)
        let jobs = try journal.redriveJobs()
        var planned = Set<String>()
        var resumes = 0
        var incompletePlan = false
        if let job = jobs.first {
            planned = Set(try journal.redriveItems(job: job.plan.jobId, from: 0, limit: 10_000).map(\.messageId))
            // A scan whose receive response was dropped misses the messages it hid: the plan is
            // smaller, never wrong — those stay in the DLQ (checked below). Counted, not failed.
            if planned.count < 40 { incompletePlan = true }
            report.check(planned.count <= 40, "\(label): the plan froze \(planned.count) messages, only 40 are Timeout")
            var state = job.progress.state
            while state.isResumable && resumes < 3 {
                resumes += 1
                let r = try SluiceRun.run(["redrive", "--resume", job.plan.jobId, "--json"] + flags, environment: env, timeout: 120)
                report.check(r.status == 0 && !r.signalled, "\(label): resume \(resumes) exited \(r.status): \(r.stderr.suffix(400))")
                state = try journal.redriveJob(job.plan.jobId).progress.state
            }
            let done = try journal.redriveJob(job.plan.jobId).progress
            report.check(done.state == .completed && done.moved == planned.count && done.failed == 0 && done.gone == 0,
                         "\(label): job ended \(done.state.rawValue) moved \(done.moved) gone \(done.gone) failed \(done.failed) of \(done.total)")
        }

        // List everything with a client of its own, straight to moto, waiting for held messages to come back.
        let expectSource = planned.count, expectDLQ = seeded.count - planned.count
        let inSource = try await Self.drain(direct, source, atLeast: expectSource)
        let inDLQ = try await Self.drain(direct, dlq, atLeast: expectDLQ)
        let copies = Dictionary(grouping: inSource, by: { $0.lineage?.originalMessageId ?? "none" })
        let duplicates = inSource.count - copies.count
        report.check(Set(copies.keys) == planned, "\(label): the source holds copies of \(copies.count) messages, \(planned.count) were planned (\(copies.keys.filter { !planned.contains($0) }.prefix(3)) unplanned)")
        // At least once: a crash between send and journal duplicates one batch; so does a send
        // whose response the proxy dropped after moto executed it (the client cannot know, and retries).
        let ambiguous = (proxy.stats.faults["dropAfterForward"] ?? 0) - dropsBefore
        let crashes = calibrating || finishedBeforeKill ? 0 : 1
        report.check(duplicates <= Self.batch * (crashes + ambiguous),
                     "\(label): \(duplicates) duplicates, more than one batch per crash (\(crashes)) and per dropped response (\(ambiguous))")
        report.check(Set(inDLQ.map(\.id)).isDisjoint(with: planned), "\(label): a moved message is still in the DLQ")
        let bodies = { (ms: [QueueMessage]) in Set(ms.map { String(decoding: $0.body, as: UTF8.self) }) }
        let everywhere = bodies(inSource).union(bodies(inDLQ))
        let lost = Set(seeded.map(\.body)).subtracting(everywhere)
        report.check(lost.isEmpty, "\(label): lost \(lost.count) messages: \(lost.prefix(3))")
        report.check(inDLQ.count == bodies(inDLQ).count, "\(label): the DLQ holds duplicates")
        let plannedBodies = bodies(inSource)
        report.check(bodies(inDLQ) == Set(seeded.map(\.body)).subtracting(plannedBodies),
                     "\(label): the DLQ should keep exactly what was not planned")
        report.check(plannedBodies.isDisjoint(with: seeded.filter { $0.type == "Poison" }.map(\.body)),
                     "\(label): a Poison message (no strategy) was requeued")
        return IterationResult(seconds: outcome.seconds, movingSeconds: movingSeconds, jobExisted: !jobs.isEmpty, finishedBeforeKill: finishedBeforeKill, duplicates: duplicates,
                               incompletePlan: incompletePlan,
                               summary: "job \(jobs.isEmpty ? "none" : "yes"), \(resumes) resume(s), source \(inSource.count) (\(duplicates) dup), DLQ \(inDLQ.count)")
    }

    /// Receives every message of `queue` (hiding each for a minute so each is seen once), waiting
    /// up to 15 s for at least `atLeast` — messages a killed run held come back after its lease.
    static func drain(_ backend: SQSBackend, _ queue: String, atLeast: Int) async throws -> [QueueMessage] {
        var seen: [QueueMessage] = []
        let deadline = Date().addingTimeInterval(15)
        var empties = 0
        while Date() < deadline {
            let got = try await backend.receive(from: queue, max: 10, visibility: .seconds(60))
            seen += got
            empties = got.isEmpty ? empties + 1 : 0
            if empties >= 2 && seen.count >= atLeast { break }
            if got.isEmpty { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        return seen
    }
}
