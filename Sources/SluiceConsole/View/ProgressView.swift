import SluiceCore

/// A redrive job's live progress: the bar, the counts, the current batch and the countdown to
/// the next one, the bounce-back, the guards, and the other jobs of this console.
enum ProgressView {
    static func draw(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        guard let job = state.shownJob else {
            let inner = Box.draw(into: &frame, rect, title: "Redrive progress")
            if inner.height > 0 { frame.put("no redrive jobs in this console", in: inner.row(0), style: .muted) }
            return
        }
        let guardRows = max(job.guards?.verdicts.count ?? 0, job.guardTexts.count)
        let jobsHeight = state.jobs.count > 1 ? min(state.jobs.count + 3, max(4, rect.height / 4)) : 0
        let (upper, jobsRect) = rect.splitBottom(jobsHeight)
        // A header row when evaluated, else one line per guard.
        let guardsHeight = min(max(3, guardRows + (job.guards == nil ? 2 : 3)), max(3, upper.height - 9))
        let (top, guardsRect) = upper.splitBottom(guardsHeight)
        // The numbers take what they need; the job's own events fill the rest.
        let (mainRect, eventsRect) = top.height > 14 ? top.splitTop(10) : (top, Rect(x: top.x, y: top.maxY, width: top.width, height: 0))
        drawMain(job, now: state.now, into: &frame, mainRect)
        if eventsRect.height >= 3 { drawEvents(state, job: job, into: &frame, eventsRect) }
        drawGuards(job, into: &frame, guardsRect)
        if jobsHeight > 0 { drawJobs(state, into: &frame, jobsRect) }
    }

    /// The state in capitals, which reads without colour; paused and stopped states stand out.
    static func stateCell(_ job: JobPanel) -> (String, Style) {
        let s = job.progress.state
        switch s {
        case .completed: return ("COMPLETED", .ok)
        case .running: return ("RUNNING", .title)
        case .planned: return ("STARTING", .title)
        case .paused: return ("PAUSED", .warning)
        case .interrupted: return ("INTERRUPTED", .alarm)
        case .aborted, .cancelled: return (s.rawValue.uppercased(), .alarm)
        }
    }

    static func drawMain(_ job: JobPanel, now: Timestamp, into frame: inout Frame, _ rect: Rect) {
        let (label, labelStyle) = stateCell(job)
        let inner = Box.draw(into: &frame, rect, title: "Redrive \(job.jobId) — \(job.dlq) → \(job.destination) (\(job.runbookId))", focused: true)
        guard inner.height > 0, inner.width > 4 else { return }
        let p = job.progress
        var y = inner.y
        func line(_ text: String, _ style: Style = .plain) {
            guard y < inner.maxY else { return }
            frame.put(text, in: inner.row(y - inner.y), style: style)
            y += 1
        }
        // Row 1: state and bar.
        let stateText = " \(label) "
        let x = inner.x + frame.put(stateText, x: inner.x, y: y, style: labelStyle.adding(.bold))
        frame.put(" " + ProgressBar.render(p.fraction, width: max(0, inner.maxX - x - 1)), x: x, y: y, maxWidth: inner.maxX - x)
        y += 1
        line("\(Format.count(p.done)) of \(Format.count(p.total)) handled", .title)
        line("moved \(Format.count(p.moved))   discarded \(Format.count(p.discarded))   skipped \(Format.count(p.skipped))   gone \(Format.count(p.gone))   failed \(Format.count(p.failed))",
             p.failed > 0 ? .warning : .plain)
        var batch = "batch \(p.batches) of \(job.batchCount) (size \(job.batchSize))"
        if let last = job.lastBatch { batch += ", last took \(Format.age(last.endedAt - last.startedAt))" }
        if job.isActive, let next = job.nextBatchAt {
            let left = next - now
            batch += "   next batch in \(left.millis > 0 ? Format.seconds(left) : "now")"
            if let jitter = job.jitter { batch += " (jitter \(Format.seconds(jitter)))" }
        } else if p.state == .paused {
            batch += "   waiting: p resumes"
        }
        line(batch)
        let ratio = p.moved == 0 ? "-" : Format.oneDecimal(p.returnedRatio * 100) + "%"
        line("returned to the DLQ: \(Format.count(p.returned)) (\(ratio) of moved)", p.returnedRatio > 0.1 ? .warning : .plain)
        // "started"/"resumed" say nothing the state does not; why it stopped or waits does.
        if let reason = p.reason, [.paused, .interrupted, .aborted, .cancelled].contains(p.state) {
            line("reason: " + reason, p.state == .paused ? .warning : .muted)
        }
        if let failure = job.failure { line("stopped: " + failure, .error) }
        if !job.isActive, p.state.isResumable {
            line("resume it from a shell: sluice redrive --resume \(job.jobId)", .key)
        }
    }

    static func drawEvents(_ state: ConsoleState, job: JobPanel, into frame: inout Frame, _ rect: Rect) {
        let inner = Box.draw(into: &frame, rect, title: "Events of \(job.jobId)")
        guard inner.height > 0 else { return }
        let lines = state.events.filter { $0.text.contains(job.jobId) }.suffix(inner.height)
        guard !lines.isEmpty else {
            frame.put("nothing yet", in: inner.row(0), style: .muted)
            return
        }
        for (i, e) in lines.enumerated() {
            let row = inner.row(i)
            let x = row.x + frame.put(Format.timeOfDay(e.at) + "  ", x: row.x, y: row.y, style: .muted)
            frame.put(TextLayout.truncate(e.text, width: row.maxX - x), x: x, y: row.y, style: e.isAlert ? .title : .plain)
        }
    }

    static func drawGuards(_ job: JobPanel, into frame: inout Frame, _ rect: Rect) {
        let title = job.guards.map { "Guards — \($0.decision.rawValue)" } ?? "Guards"
        let inner = Box.draw(into: &frame, rect, title: title)
        guard inner.height > 0 else { return }
        if let report = job.guards, !report.verdicts.isEmpty {
            let columns = [
                TableColumn("STATE", width: 7),
                TableColumn("GUARD", width: 24, flexible: true),
                TableColumn("NOW", width: 20, flexible: true, dropOrder: 1),
            ]
            let rows: [[TableCell]] = report.verdicts.map { v in
                let cell: TableCell
                switch v.state {
                case .tripped: cell = .text("TRIPPED", .alarm)
                case .clear: cell = .text("clear", .ok)
                case .unknown: cell = .text("unknown", .muted)
                }
                return [cell, .plain(v.runbookGuard.description), .text(v.reason, .muted)]
            }
            Table(columns: columns, rows: rows, showsMarker: false).draw(into: &frame, inner)
        } else if job.guardTexts.isEmpty {
            frame.put("this runbook has no guards", in: inner.row(0), style: .muted)
        } else {
            for (i, text) in job.guardTexts.prefix(inner.height).enumerated() {
                frame.put("not checked yet  " + text, in: inner.row(i), style: .muted)
            }
        }
    }

    static func drawJobs(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let inner = Box.draw(into: &frame, rect, title: "Jobs in this console (\(state.jobs.count)) — tab: next")
        guard inner.height > 0 else { return }
        let shown = state.shownJob?.jobId
        let rows = state.jobs.map(JobRow.cells)
        Table(columns: JobRow.columns, rows: rows, selected: state.jobs.firstIndex { $0.jobId == shown }).draw(into: &frame, inner)
    }
}

/// A job as one table row (the dashboard's "Redrive jobs" panel and the progress screen).
enum JobRow {
    static let columns = [
        TableColumn("JOB", width: 15),
        TableColumn("STATE", width: 11),
        TableColumn("DLQ", width: 12, flexible: true, dropOrder: 2),
        TableColumn("PROGRESS", width: 14, flexible: true),
        TableColumn("MOVED", width: 7, alignment: .right, dropOrder: 1),
    ]

    static func cells(_ job: JobPanel) -> [TableCell] {
        let (label, style) = ProgressView.stateCell(job)
        return [.plain(job.jobId), .text(label, style), .plain(job.dlq), .progress(job.progress.fraction), .plain(Format.count(job.progress.moved))]
    }
}
