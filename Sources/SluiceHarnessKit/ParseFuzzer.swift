import Foundation
import SluiceConsole
import SluiceCore
import SluiceDrills
import SluiceRunbooks
import SluiceSQS

/// `fuzz-parse`: random mutations of the shipped runbooks and drills, and of durations, rates,
/// guard conditions and message bodies, fed to the parsers and renderers in this process.
///
/// A crash ends the process (Swift traps cannot be caught), after ``CrashWitness`` has saved the
/// input; everything else is checked here: a refused file names a real line, an accepted one
/// has no errors, a parsed duration prints back to itself, a body survives the SQS codec.
public struct ParseFuzzer: Sendable {
    /// What an input is fed to; the first byte of a saved crash input.
    public enum Target: UInt8, Sendable, CaseIterable {
        case runbook, drill, duration, rate, guardCondition, body
    }

    /// The seeds: shipped runbooks and drills.
    public struct Corpus: Sendable {
        public var runbooks: [(name: String, text: String)]
        public var drills: [(name: String, text: String)]
        /// The shipped runbooks, parsed, for drills to refer to.
        public var parsedRunbooks: [Runbook]

        /// Reads `root/runbooks/*.md` and `root/runbooks/drills/*.yaml`.
        public init(root: String) throws {
            let fm = FileManager.default
            let dir = root + "/runbooks"
            runbooks = try fm.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".md") }.sorted()
                .map { ($0, try String(contentsOfFile: dir + "/" + $0, encoding: .utf8)) }
            drills = try fm.contentsOfDirectory(atPath: dir + "/drills").filter { $0.hasSuffix(".yaml") }.sorted()
                .map { ($0, try String(contentsOfFile: dir + "/drills/" + $0, encoding: .utf8)) }
            parsedRunbooks = try runbooks.map { try RunbookParser.parse(text: $0.text, path: dir + "/" + $0.name) }
            guard !runbooks.isEmpty, !drills.isEmpty else {
                throw SluiceError.notFound("no shipped runbooks or drills under '\(dir)'", fix: "run from the package root, or set SLUICE_ROOT")
            }
        }

        /// The package root: `SLUICE_ROOT`, else the first folder up from the working directory
        /// or from this executable that holds `runbooks/drills`.
        public static func findRoot() -> String? {
            if let root = ProcessInfo.processInfo.environment["SLUICE_ROOT"] { return root }
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            for start in [FileManager.default.currentDirectoryPath, (exe as NSString).deletingLastPathComponent] {
                var dir = URL(fileURLWithPath: start)
                for _ in 0..<8 {
                    if FileManager.default.fileExists(atPath: dir.path + "/runbooks/drills") { return dir.path }
                    dir.deleteLastPathComponent()
                }
            }
            return nil
        }
    }

    static let durations = ["500ms", "30s", "5m", "2h", "3d", "1w", "1h30m", "0", "200ms..2s", "14d", "90s"]
    static let rates = ["20/s", "600/m", "5/h", "10", "0.5/s", "2000/s"]
    static let guards = ["depth(orders) > 1000", "alarm(orders-worker-errors) == ALARM", "returned_ratio > 0.2",
                         "in_flight(orders) >= 5", "oldest_age(orders-dlq) > 5m"]
    static let bodies: [[UInt8]] = [
        Array(#"{"errorType":"Timeout","order":{"id":17,"items":[1,2,3]},"note":"ünïcødé 🚀"}"#.utf8),
        Array("plain text body\nwith two lines\tand a tab".utf8),
        [0xff, 0xfe, 0x00, 0x01, 0x80, 0x41, 0x42, 0xc3, 0x28],
        Array(String(repeating: "[", count: 300).utf8),
        [],
    ]

    /// How many inputs to run.
    public var iterations: Int
    /// Seeds the mutations.
    public var seed: UInt64
    public var corpus: Corpus
    /// Where a crashing or hanging input is saved; nil leaves signal handlers alone.
    public var crashFile: String?

    /// Creates a fuzzer.
    public init(iterations: Int, seed: UInt64 = 20261123, corpus: Corpus, crashFile: String? = nil) {
        self.iterations = iterations
        self.seed = seed
        self.corpus = corpus
        self.crashFile = crashFile
    }

    /// Runs every input and returns the report.
    public func run() -> HarnessReport {
        var report = HarnessReport(name: "fuzz-parse")
        if let crashFile { CrashWitness.arm(file: crashFile, hangSeconds: 20) }
        var mutator = Mutator(seed: seed)
        var counts: [Target: Int] = [:]
        var accepted: [Target: Int] = [:]
        var slowest = (seconds: 0.0, target: Target.runbook)
        // Accepted mutants are mutated further: they reach deeper than seeds that were refused at the first key.
        var pool: [Target: [[UInt8]]] = [:]
        let seedsByTarget = Dictionary(uniqueKeysWithValues: Target.allCases.map { ($0, seedInputs($0)) })
        let started = Date()
        for i in 0..<iterations {
            let target: Target
            switch i % 20 {
            case 0..<7: target = .runbook
            case 7..<12: target = .drill
            case 12..<14: target = .duration
            case 14..<15: target = .rate
            case 15..<17: target = .guardCondition
            default: target = .body
            }
            let seeds = seedsByTarget[target]!
            var base = seeds[mutator.below(seeds.count)]
            if let p = pool[target], !p.isEmpty, mutator.below(3) == 0 { base = p[mutator.below(p.count)] }
            let input = mutator.mutate(base, other: seeds[mutator.below(seeds.count)])
            counts[target, default: 0] += 1
            let t0 = Date()
            if let crashFile = crashFile, !crashFile.isEmpty { CrashWitness.hold([target.rawValue] + input) }
            let ok = Self.feed(target, input, corpus: corpus, into: &report)
            CrashWitness.release()
            let seconds = Date().timeIntervalSince(t0)
            if seconds > slowest.seconds { slowest = (seconds, target) }
            report.check(seconds < 5, "\(target) input \(i) took \(String(format: "%.1f", seconds)) s: \(Self.preview(input))")
            if ok {
                accepted[target, default: 0] += 1
                if pool[target, default: []].count < 64 { pool[target, default: []].append(input) } else { pool[target]![mutator.below(64)] = input }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        report.figure("inputs", "\(iterations) in \(String(format: "%.1f", seconds)) s (\(Int(Double(iterations) / max(seconds, 0.001)))/s), 0 crashes (a crash would have ended the process)")
        for t in Target.allCases {
            report.figure("  \(t)", "\(counts[t, default: 0]) inputs, \(accepted[t, default: 0]) accepted")
        }
        report.figure("slowest input", String(format: "%.1f ms (%@)", slowest.seconds * 1000, "\(slowest.target)"))
        return report
    }

    func seedInputs(_ target: Target) -> [[UInt8]] {
        switch target {
        case .runbook: corpus.runbooks.map { Array($0.text.utf8) }
        case .drill: corpus.drills.map { Array($0.text.utf8) }
        case .duration: Self.durations.map { Array($0.utf8) }
        case .rate: Self.rates.map { Array($0.utf8) }
        case .guardCondition: Self.guards.map { Array($0.utf8) }
        case .body: Self.bodies.filter { !$0.isEmpty }
        }
    }

    static func preview(_ input: [UInt8]) -> String {
        let text = String(decoding: input.prefix(120), as: UTF8.self).debugDescription
        return input.count > 120 ? text + "… (\(input.count) bytes)" : text
    }

    /// Feeds one input to its target and checks what came back.
    /// - Returns: whether the input was accepted (parsed without errors).
    @discardableResult
    public static func feed(_ target: Target, _ input: [UInt8], corpus: Corpus, into report: inout HarnessReport) -> Bool {
        let text = String(decoding: input, as: UTF8.self)
        switch target {
        case .runbook:
            let r = RunbookParser.analyze(text: text, path: "fuzz.md")
            report.check(r.errors.isEmpty == (r.runbook != nil), "runbook: \(r.errors.count) errors yet runbook \(r.runbook == nil ? "refused" : "accepted"): \(preview(input))")
            checkDiagnostics(r.diagnostics, text: text, file: "fuzz.md", input: input, into: &report)
            if let runbook = r.runbook { exercise(runbook, input: input, into: &report) }
            return r.runbook != nil
        case .drill:
            let r = DrillParser.analyze(text: text, path: "fuzz.yaml", runbooks: corpus.parsedRunbooks)
            report.check(r.errors.isEmpty == (r.loaded != nil), "drill: \(r.errors.count) errors yet drill \(r.loaded == nil ? "refused" : "accepted"): \(preview(input))")
            checkDiagnostics(r.diagnostics, text: text, file: "fuzz.yaml", input: input, into: &report)
            return r.loaded != nil
        case .duration:
            guard let span = try? TimeSpan.parse(text) else { return false }
            report.check(span.millis >= 0, "duration '\(text)' parsed to a negative span \(span.millis) ms")
            let again = try? TimeSpan.parse(span.description)
            report.check(again == span, "duration '\(text)' = \(span.millis) ms prints as '\(span.description)', which reads back as \(again.map { "\($0.millis) ms" } ?? "an error")")
            return true
        case .rate:
            guard let rate = try? RunbookBatch.parseRate(text) else { return false }
            report.check(rate.isFinite && rate >= 0, "rate '\(text)' parsed to \(rate) per second")
            return true
        case .guardCondition:
            do {
                _ = try GuardCondition.parse(text)
                return true
            } catch {
                report.check(error.offset >= 0 && error.offset <= max(text.unicodeScalars.count, 1), "guard '\(text)': error offset \(error.offset) outside the text")
                return false
            }
        case .body:
            _ = ErrorClassifier(bodyPath: ["errorType"]).classify(attributes: [:], body: input)
            // The console's body preview: every line it returns must be safe to draw.
            for hex in [false, true] {
                let rendered = BodyRenderer.render(input, hex: hex)
                report.check(rendered.lines.allSatisfy { !$0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f } },
                             "body preview (hex \(hex)) left a control character in a line: \(preview(input))")
            }
            _ = JSONPretty.lines(input)
            guard let encoded = try? MessageBodyCodec.encode(body: input, attributes: [:], queue: "fuzz") else { return false }
            let decoded = MessageBodyCodec.decode(text: encoded.text, attributes: encoded.attributes)
            report.check(decoded.body == input, "body of \(input.count) bytes does not survive the SQS body codec: \(preview(input))")
            return true
        }
    }

    /// An accepted runbook goes on to what runs after parsing: a plan over made-up candidates,
    /// its duration estimate, and the pacer for a few batches — values the parser let through
    /// must not break the arithmetic downstream.
    static func exercise(_ runbook: Runbook, input: [UInt8], into report: inout HarnessReport) {
        let now = Timestamp(millis: 1_795_600_000_000)
        let types = Array(runbook.strategies.keys.prefix(4)) + ["Unknown"]
        let candidates = (0..<25).map { i in
            PlanCandidate(messageId: "m\(i)", errorType: types[i % types.count], sentAt: now - TimeSpan.minutes(Int64(i * 37)))
        }
        let queue = runbook.dlqPatterns.first.map { $0.replacingOccurrences(of: "*", with: "x").replacingOccurrences(of: "?", with: "y") } ?? "orders-dlq"
        guard let plan = try? PlanBuilder.build(jobId: "fuzz", dlq: queue, destination: "orders", runbook: runbook, operatorFilter: .all,
                                                candidates: candidates, now: now) else { return }
        report.check(plan.estimatedDuration.millis >= 0, "runbook plan estimates a negative duration: \(preview(input))")
        var pacer = Pacer(limits: plan.limits, seed: 1)
        var t = now
        for _ in 0..<3 {
            pacer.batchStarted(at: t, size: plan.limits.batchSize)
            let next = pacer.nextStart(afterBatchEndedAt: t + .milliseconds(5))
            report.check(next.start >= t && next.jitter >= plan.limits.jitter.lowerBound && next.jitter <= plan.limits.jitter.upperBound,
                         "pacer: next batch at \(next.start.millis - t.millis) ms with jitter \(next.jitter) outside \(plan.limits.jitter): \(preview(input))")
            t = next.start
        }
    }

    static func checkDiagnostics(_ diagnostics: [RunbookDiagnostic], text: String, file: String, input: [UInt8], into report: inout HarnessReport) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        for d in diagnostics {
            report.check(d.file == file && d.line >= 1 && d.line <= lines + 1 && d.column >= 0 && !d.message.isEmpty,
                         "diagnostic '\(d)' points outside the \(lines)-line input: \(preview(input))")
        }
    }

    /// Replays a saved input (first byte: the target) and returns the checks' report.
    public static func replay(_ saved: [UInt8], corpus: Corpus) -> HarnessReport {
        var report = HarnessReport(name: "replay")
        guard let first = saved.first, let target = Target(rawValue: first) else {
            report.fail("a saved input starts with its target byte (0–\(Target.allCases.count - 1))")
            return report
        }
        feed(target, Array(saved.dropFirst()), corpus: corpus, into: &report)
        return report
    }
}
