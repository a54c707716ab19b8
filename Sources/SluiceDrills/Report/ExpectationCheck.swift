import SluiceCore

/// Checks one expectation against a finished drill's report.
enum ExpectationCheck {
    static func check(_ e: DrillExpectation, in report: DrillReport, latencies: [String: [Int64]]) -> ExpectationResult {
        let (passed, detail) = evaluate(e.kind, report, latencies)
        return ExpectationResult(expectation: e.description, line: e.line, passed: passed, detail: detail)
    }

    private static func at(_ ms: Int64) -> String { TimeSpan(millis: ms).description }

    private static func evaluate(_ kind: DrillExpectation.Kind, _ r: DrillReport, _ latencies: [String: [Int64]]) -> (Bool, String) {
        switch kind {
        case let .alarmFires(alarm, within, after, clearsWithin):
            let changes = r.alarms.filter { $0.name == alarm }
            guard let fired = changes.first(where: { $0.to == AlarmState.alarm.rawValue && $0.atMs >= after.millis }) else {
                let end = r.finalAlarmStates[alarm] ?? "unknown"
                return (false, "never fired\(after > .zero ? " after \(after)" : "") (\(end) at the end)")
            }
            let deadline = (after + within).millis
            guard fired.atMs <= deadline else {
                return (false, "fired at \(at(fired.atMs)), later than \(at(deadline))")
            }
            guard let clearsWithin else { return (true, "fired at \(at(fired.atMs))") }
            guard let cleared = changes.first(where: { $0.atMs > fired.atMs && $0.from == AlarmState.alarm.rawValue }) else {
                return (false, "fired at \(at(fired.atMs)) and was still ALARM at the end")
            }
            let took = cleared.atMs - fired.atMs
            return (took <= clearsWithin.millis,
                    "fired at \(at(fired.atMs)), cleared (\(cleared.to)) at \(at(cleared.atMs)) after \(at(took))")
        case let .alarmNever(alarm):
            if let fired = r.alarms.first(where: { $0.name == alarm && $0.to == AlarmState.alarm.rawValue }) {
                return (false, "fired at \(at(fired.atMs)): \(fired.reason)")
            }
            return (true, "stayed out of ALARM (\(r.finalAlarmStates[alarm] ?? "unknown") at the end)")
        case let .counter(counter, min, max):
            let value = r.count(counter)
            let ok = (min.map { value >= $0 } ?? true) && (max.map { value <= $0 } ?? true)
            var detail = "\(counter.name) = \(value)"
            if counter == .lost, value > 0, !r.lostKeys.isEmpty { detail += " (\(r.lostKeys.prefix(5).joined(separator: ", "))\(value > 5 ? ", …" : ""))" }
            return (ok, detail)
        case let .dlqOnly(queue, types):
            let held = r.dlqContents[queue] ?? [:]
            let extra = held.filter { !types.contains($0.key) && $0.value > 0 }.sorted { $0.key < $1.key }
            let holding = held.isEmpty ? "nothing" : held.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            if extra.isEmpty { return (true, "\(queue) holds \(holding)") }
            return (false, "\(queue) also holds \(extra.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        case let .guardPaused(runbook):
            let runs = r.redrives.filter { $0.runbook == runbook }
            guard !runs.isEmpty else { return (false, "no redrive used \(runbook)") }
            let pauses = runs.reduce(0) { $0 + $1.guardPauses }
            return (pauses > 0, pauses > 0 ? "guards paused it \(pauses) time\(pauses == 1 ? "" : "s")" : "no guard ever paused it")
        case let .redriveEnds(runbook, state):
            guard let run = r.redrives.last(where: { $0.runbook == runbook }) else { return (false, "no redrive used \(runbook)") }
            let reason = run.state == RedriveJobState.completed.rawValue ? nil : run.reason
            let detail = "ended \(run.state) (moved \(run.moved), discarded \(run.discarded))" + (reason.map { ": \($0)" } ?? "")
            return (run.state == state.rawValue, detail)
        case let .latency(glob, percentile, below):
            let values = latencies.filter { QueueGlob.matches(glob, $0.key) }.flatMap(\.value).sorted()
            guard !values.isEmpty else { return (false, "no message sent to \(glob) was processed") }
            let p = LatencySummary.percentile(values, percentile)
            return (p <= below.millis, "p\(Int(percentile)) = \(at(p)) over \(values.count) messages")
        }
    }
}
