import SluiceCore
import SluiceStore

extension DrillSession {
    /// Ends the drill: runs it to its duration, stops running redrives, reads the end state,
    /// checks the expectations and writes the last trace line.
    /// - Returns: the report (the same one on later calls).
    public func finish() async throws -> DrillReport {
        if let report { return report }
        try await advance(to: drill.duration)
        await stopRedrives()
        finished = true

        // The end state: every message left in every queue.
        var present = [Bool](repeating: false, count: ledger.count)
        var contents: [String: [String: Int]] = [:]
        var endLines: [String] = []
        for name in queueNames.sorted() {
            var cursor: String? = nil
            var rows: [String] = []
            repeat {
                let page = try store.page(of: name, filter: .all, after: cursor, limit: 1000)
                for m in page.messages {
                    let key = MessageLedger.key(inBody: m.body)
                    if let key { present[key] = true }
                    let type = m.errorType ?? "-"
                    if queueIsDLQ(name) { contents[name, default: [:]][m.errorType ?? "Unknown", default: 0] += 1 }
                    rows.append("\(key.map(MessageLedger.keyName) ?? m.id) \(type) \(m.receiveCount)")
                }
                cursor = page.nextCursor
            } while cursor != nil
            for q in drill.queues where q.name == name && queueIsDLQ(name) && contents[name] == nil { contents[name] = [:] }
            endLines.append("queue \(name) \(rows.count)")
            endLines += rows.sorted()
        }

        var lostKeys: [String] = []
        var lost = 0, unprocessed = 0, processed = 0
        for key in 0..<ledger.count {
            let r = ledger[key]
            if r.effects > 0 { processed += 1; continue }
            if r.poison < 0 { unprocessed += 1 }
            if !r.discarded && !present[key] {
                lost += 1
                if lostKeys.count < 20 { lostKeys.append(MessageLedger.keyName(key)) }
            }
        }
        let stats = try store.stats()
        let deadLettered = stats.reduce(0) { $0 + Int($1.counters?.deadLettered ?? 0) }
        let counters: [DrillCounter: Int] = [
            .produced: ledger.count, .sent: counts.sent, .processed: processed, .sideEffects: counts.sideEffects,
            .duplicateSideEffects: counts.duplicateSideEffects, .duplicatesSuppressed: counts.duplicatesSuppressed,
            .lost: lost, .unprocessed: unprocessed, .poisonRequeued: counts.poisonRequeued, .failures: counts.failures,
            .timeouts: counts.timeouts, .deadLettered: deadLettered, .redriven: counts.redriven, .discarded: counts.discarded,
        ]
        for counter in DrillCounter.allCases { endLines.append("counter \(counter.name) \(counters[counter] ?? 0)") }
        let finalStates = Dictionary(uniqueKeysWithValues: monitor.alarms().map { ($0.definition.name, ($0.status?.state ?? .insufficientData).rawValue) })
        for (name, state) in finalStates.sorted(by: { $0.key < $1.key }) { endLines.append("alarm \(name) \(state)") }
        for run in redrives { endLines.append("redrive \(run.summary.runbook) \(run.summary.dlq) \(run.summary.state) moved=\(run.summary.moved) discarded=\(run.summary.discarded)") }
        var endDigest = Digest()
        for line in endLines { endDigest.add(line + "\n") }

        var latencySummaries: [String: LatencySummary] = [:]
        for (q, values) in latencies.enumerated() where !values.isEmpty {
            let sorted = values.sorted()
            latencySummaries[queueNames[q]] = LatencySummary(count: sorted.count, p50Ms: LatencySummary.percentile(sorted, 50),
                                                             p99Ms: LatencySummary.percentile(sorted, 99), maxMs: sorted.last ?? 0)
        }

        var result = DrillReport(
            drill: drill.id, title: drill.title, seed: seed, durationMs: drill.duration.millis,
            counters: Dictionary(uniqueKeysWithValues: counters.map { ($0.key.name, $0.value) }),
            dlqContents: contents,
            queues: stats.sorted { $0.queue < $1.queue }.map { s in
                let q = queueIndex[s.queue] ?? 0
                return DrillReport.QueueEnd(name: s.queue, visible: s.visible, inFlight: s.inFlight, delayed: s.delayed,
                                            peakDepth: peakDepth[q], peakOldestMs: peakOldest[q])
            },
            alarms: timeline.map { DrillReport.AlarmChange(atMs: ($0.at - DrillSession.epoch).millis, name: $0.name, from: $0.from.rawValue,
                                                           to: $0.to.rawValue, severity: $0.severity.rawValue, reason: $0.reason) },
            finalAlarmStates: finalStates, redrives: redrives.map(\.summary), latencies: latencySummaries,
            expectations: [], lostKeys: lostKeys, endDigest: endDigest.hex, traceDigest: "", traceLines: 0)
        result.expectations = drill.expectations.map { ExpectationCheck.check($0, in: result, latencies: latencyValues()) }

        trace.emit(now, "end", [
            ("end_digest", .string(result.endDigest)), ("passed", .bool(result.passed)),
            ("counters", .object(result.counters.mapValues { TraceValue.int($0) })),
            ("store_calls", .object(counts.calls.mapValues { TraceValue.int($0) })),
            ("dlq", .object(contents.mapValues { .object($0.mapValues { TraceValue.int($0) }) })),
            ("expectations", .array(result.expectations.map { .object(["expectation": .string($0.expectation), "passed": .bool($0.passed), "detail": .string($0.detail)]) })),
        ])
        trace.close()
        result.traceDigest = trace.digest.hex
        result.traceLines = trace.lines
        report = result
        return result
    }

    private func queueIsDLQ(_ name: String) -> Bool {
        drill.queues.contains { $0.deadLetterQueue == name }
    }

    private func latencyValues() -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for (q, values) in latencies.enumerated() { out[queueNames[q]] = values.sorted() }
        return out
    }
}
