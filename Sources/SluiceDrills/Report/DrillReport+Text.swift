import SluiceCore

extension DrillReport {
    /// The report as people read it: counts, DLQs, alarms, redrives, expectations (✓/✗).
    public var text: String {
        let at = DrillReport.clock
        var lines: [String] = []
        lines.append("drill \(drill) — \(title)")
        lines.append("  seed \(seed), \(TimeSpan(millis: durationMs)) simulated")
        let c = { (k: DrillCounter) in count(k) }
        lines.append("  produced \(c(.produced)) (sent \(c(.sent)) with duplicates), processed \(c(.processed)), side effects \(c(.sideEffects))")
        lines.append("  duplicate side effects \(c(.duplicateSideEffects)), duplicates suppressed \(c(.duplicatesSuppressed)), lost \(c(.lost)), unprocessed \(c(.unprocessed))")
        lines.append("  failures \(c(.failures)), timeouts \(c(.timeouts)), dead-lettered \(c(.deadLettered)), redriven \(c(.redriven)), discarded \(c(.discarded)), poison requeued \(c(.poisonRequeued))")
        if !dlqContents.isEmpty {
            lines.append("dead-letter queues at the end:")
            for (queue, types) in dlqContents.sorted(by: { $0.key < $1.key }) {
                let held = types.isEmpty ? "empty" : types.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                lines.append("  \(queue): \(held)")
            }
        }
        if !latencies.isEmpty {
            lines.append("latency, send to side effect:")
            for (queue, l) in latencies.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(queue): p50 \(TimeSpan(millis: l.p50Ms).compact), p99 \(TimeSpan(millis: l.p99Ms).compact), max \(TimeSpan(millis: l.maxMs).compact) over \(l.count)")
            }
        }
        lines.append("alarms:")
        // Every alarm starts INSUFFICIENT_DATA and goes OK in its first minute: not news.
        let changes = alarms.filter { !($0.from == AlarmState.insufficientData.rawValue && $0.to == AlarmState.ok.rawValue) }
        if changes.isEmpty { lines.append("  none fired") }
        for a in changes {
            lines.append("  \(at(a.atMs))  \(a.name)  \(a.from) -> \(a.to)\(a.severity == "warning" ? " (warning)" : "")")
        }
        if !redrives.isEmpty {
            lines.append("redrives:")
            for r in redrives {
                var line = "  \(at(r.startedAtMs))  \(r.runbook) on \(r.dlq): \(r.state)"
                if r.state != "refused" {
                    line += ", moved \(r.moved), discarded \(r.discarded), skipped \(r.skipped), returned \(r.returned), \(r.batches) batches"
                    if r.guardPauses > 0 { line += ", paused by guards \(r.guardPauses)x" }
                }
                if let reason = r.reason, r.state != "completed" { line += " — \(reason)" }
                lines.append(line)
            }
        }
        lines.append("expectations:")
        if expectations.isEmpty { lines.append("  none declared") }
        for e in expectations {
            lines.append("  \(e.passed ? "✓" : "✗") \(e.expectation)\(e.line > 0 ? " (line \(e.line))" : ""): \(e.detail)")
        }
        let failed = failedCount
        lines.append(failed == 0 ? "PASSED — \(expectations.count) expectation\(expectations.count == 1 ? "" : "s") held" : "FAILED — \(failed) of \(expectations.count) expectations did not hold")
        return lines.joined(separator: "\n")
    }

    /// `12:05`: drill time in milliseconds as minutes and seconds.
    static func clock(_ ms: Int64) -> String {
        let seconds = ms / 1000
        let m = seconds / 60, s = seconds % 60
        return (m < 10 ? "0" : "") + "\(m):" + (s < 10 ? "0" : "") + "\(s)"
    }
}
