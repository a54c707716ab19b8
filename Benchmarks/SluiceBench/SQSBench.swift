import Foundation
import SluiceCore
import SluiceRedrive
import SluiceSQS
import SluiceStore
import SluiceTesting

/// Filtered redrive over the SQS API against moto, beside `scripts/boto3_redrive_baseline.py`
/// (a plain boto3 receive/send/delete loop) on the same server in the same run.
///
/// Sluice runs in process (``SQSRedriveTarget`` under ``RedriveRunner``), unpaced: batches of
/// 10, no jitter, no rate limit. Its time counts the scan and plan as well as the moves, and its
/// DLQ also holds a fifth as many messages of another error type that the filter leaves behind;
/// the boto3 loop moves everything in its DLQ and counts only the loop.
enum SQSBench {
    static func run(_ report: Report, dir: String, messages: Int) async throws {
        guard MotoServer.isAvailable, let python = executable("python3") else {
            FileHandle.standardError.write(Data("  skipped: \(MotoServer.unavailableReason)\n".utf8))
            return
        }
        guard let script = baselineScript() else {
            FileHandle.standardError.write(Data("  skipped: scripts/boto3_redrive_baseline.py not found (run from the package root)\n".utf8))
            return
        }
        let moto = try await MotoServer.shared()
        let sluice = try await Moto.withBackend(on: moto) { try await measure($0, dir: dir, messages: messages) }
        // Free moto of these queues before the baseline runs on the same server.
        try moto.reset()
        let boto3 = try boto3Rate(python: python, script: script, endpoint: moto.endpoint, messages: messages)
        let ratio = boto3 > 0 ? sluice.rate / boto3 : 0
        report.add(Row(section: "sqs", measure: "filtered redrive on moto, \(messages) of \(messages + messages / 5) messages, unpaced (batches of 10)",
                       value: sluice.rate, unit: "msg/s", peer: "boto3 receive/send/delete loop", peerValue: boto3,
                       target: "≥ 1.0× the boto3 loop", met: ratio >= 1.0,
                       note: String(format: "ratio %.2f; same moto server, same run; %.1f s of Sluice's %.1f s went to the scan and plan (the loop has none)",
                                     ratio, sluice.planSeconds, sluice.seconds)))
    }

    /// Sluice's run: its rate, and how much of its time went to the scan and plan.
    struct Timing: Sendable {
        var rate: Double
        var planSeconds: Double
        var seconds: Double
    }

    /// Sluice's throughput: scan, plan and move `messages` Timeout messages, leaving the rest.
    private static func measure(_ backend: SQSBackend, dir: String, messages: Int) async throws -> Timing {
        _ = try await backend.createQueue(QueueSpec(name: "sq-orders-dlq"))
        _ = try await backend.createQueue(QueueSpec(name: "sq-orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "sq-orders-dlq", maxReceiveCount: 3)))
        let body = Array(#"{"order":0,"pad":"\#(String(repeating: "x", count: 150))"}"#.utf8)
        let total = messages + messages / 5
        var sent = 0
        while sent < total {
            let entries = (sent..<min(sent + 10, total)).map { n in
                SendEntry(entryId: "\(n - sent)", body: body, attributes: ["errorType": .string(n < messages ? "Timeout" : "ValidationError")])
            }
            _ = try await backend.send(to: "sq-orders-dlq", entries: entries)
            sent += entries.count
        }

        let store = try Store(path: dir + "/sqs-bench.sluice")
        let target = SQSRedriveTarget(store: store, backend: backend, lease: .seconds(60))
        let runbook = Runbook(id: "bench-sqs", dlqPatterns: ["*-dlq"],
                              batch: RunbookBatch(size: 10, jitter: TimeSpan.zero...TimeSpan.zero, maxRate: 0), strategies: ["Timeout": .requeue])
        var planned: RedrivePlan?
        let planSeconds = try await seconds {
            let plan = try await RedrivePlanner(backend: backend, target: target).plan(dlq: "sq-orders-dlq", runbook: runbook, filter: MessageFilter(errorTypes: ["Timeout"]))
            try store.createRedriveJob(plan, ack: nil)
            try await target.frozen(plan: plan)
            planned = plan
        }
        guard let plan = planned else { throw SluiceError(.internalError, "the SQS bench made no plan") }
        var ran: RedriveProgress?
        let runSeconds = try await seconds {
            ran = try await RedriveRunner(store: store, target: target, observer: nil, clock: SystemClock()).run(job: plan.jobId)
        }
        guard let progress = ran, progress.state == .completed, progress.moved == messages else {
            throw SluiceError(.checkFailed, "the SQS bench redrive moved \(ran?.moved ?? 0) of \(messages) (\(ran?.state.rawValue ?? "not run"))")
        }
        let elapsed = planSeconds + runSeconds
        return Timing(rate: Double(progress.moved) / elapsed, planSeconds: planSeconds, seconds: elapsed)
    }

    /// The boto3 loop's throughput from the script's JSON line.
    static func boto3Rate(python: String, script: String, endpoint: String, messages: Int) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script, "--endpoint-url", endpoint, "--dlq", "bq-orders-dlq", "--source", "bq-orders", "--fill", String(messages)]
        var env = ProcessInfo.processInfo.environment
        env["AWS_ACCESS_KEY_ID"] = "testing"
        env["AWS_SECRET_ACCESS_KEY"] = "testing"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let line = try? JSONSerialization.jsonObject(with: output) as? [String: Any],
              let moved = line["moved"] as? Int, let seconds = line["seconds"] as? Double, seconds > 0
        else {
            throw SluiceError(.checkFailed, "the boto3 baseline failed (exit \(p.terminationStatus)): \(String(decoding: errors, as: UTF8.self).suffix(600))",
                              fix: "check that boto3 is installed: python3 -c 'import boto3'")
        }
        guard moved == messages else { throw SluiceError(.checkFailed, "the boto3 baseline moved \(moved) of \(messages)") }
        return Double(moved) / seconds
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The script, from the working directory or above the executable (`.build/<config>/`).
    static func baselineScript() -> String? {
        let relative = "scripts/boto3_redrive_baseline.py"
        var candidates = [FileManager.default.currentDirectoryPath + "/" + relative]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent(relative).path)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
