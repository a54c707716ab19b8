import SluiceCore

/// What the console shows below 80x24: a line saying so, then the most important panel of the
/// screen in a compact form (never garbage, never a crash, down to 1x1).
enum TooSmallView {
    static func draw(_ state: ConsoleState, into frame: inout Frame) {
        let size = frame.size
        let warning = "terminal too small: \(size) — need \(Size.comfortable)"
        frame.put(TextLayout.truncate(warning, width: size.width), x: 0, y: 0, style: .warning)
        guard size.height > 2, size.width >= 10 else { return }
        let body = Rect(x: 0, y: 1, width: size.width, height: size.height - 2)
        switch state.screen {
        case .dashboard, .journal:
            compactQueues(state, into: &frame, body)
        case .redrive, .progress:
            compactRedrive(state, into: &frame, body)
        case .browser:
            compactMessages(state, into: &frame, body)
        case .message:
            compactMessage(state, into: &frame, body)
        }
        let hint: String
        if state.editor != nil || state.redriveDialog?.field != nil {
            hint = "editing: enter applies, esc cancels"
        } else if let job = state.confirmingAbort {
            hint = "abort \(job)? y/n"
        } else if state.confirmingQuit {
            hint = "quit? the redrive stops resumably. y/n"
        } else {
            hint = "q quit  esc back  ? help"
        }
        frame.put(TextLayout.truncate(hint, width: size.width), x: 0, y: size.height - 1, style: .muted)
    }

    /// Queue name, depth and whether an alarm fires on it.
    static func compactQueues(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let alarming = Set(state.report?.alarms.filter { $0.status.state == .alarm }.map(\.queue) ?? [])
        let columns = [
            TableColumn("QUEUE", width: 8, flexible: true),
            TableColumn("DEPTH", width: 6, alignment: .right),
            TableColumn("ALARM", width: 5, dropOrder: 1),
        ]
        let rows: [[TableCell]] = state.queues.map { q in
            let depth = state.readout(q.name).map { Format.count($0.stats.depth) } ?? "-"
            return [.plain(q.name), .plain(depth), alarming.contains(q.name) ? .text("ALARM", .alarm) : .plain("")]
        }
        Table(columns: columns, rows: rows, selected: state.dashboard.selected).draw(into: &frame, rect)
    }

    static func compactMessages(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        guard let b = state.browser else { return }
        let columns = [
            TableColumn("TYPE", width: 10, flexible: true),
            TableColumn("AGE", width: 6, alignment: .right, dropOrder: 1),
        ]
        let visible = max(0, rect.height - 1)
        let top = Table.scrollTop(selected: b.cursor, visibleRows: visible, rowCount: b.reachableRows)
        var rows: [[TableCell]] = []
        for i in top..<(top + visible) {
            guard i < b.reachableRows else { break }
            if let m = b.row(i) {
                rows.append([.plain(m.errorType), .plain(Format.age(state.now - m.sentAt))])
            } else {
                rows.append([.text("loading…", .muted), .plain("")])
            }
        }
        Table(columns: columns, rows: rows, selected: b.cursor - top).draw(into: &frame, rect)
    }

    static func compactMessage(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        guard let d = state.detail else { return }
        var lines = [d.message?.errorType ?? d.summary?.errorType ?? ""]
        lines += d.bodyLines
        var y = rect.y
        for line in lines.dropFirst(min(d.scroll, max(0, lines.count - 1))) {
            guard y < rect.maxY else { break }
            frame.put(line, x: rect.x, y: y, maxWidth: rect.width)
            y += 1
        }
    }

    /// The dialog's step or the job's numbers: what the operator must not lose sight of.
    static func compactRedrive(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        var lines: [String] = []
        if state.screen == .redrive, let d = state.redriveDialog {
            lines.append("redrive \(d.dlq)")
            if let plan = d.currentPlan { lines.append("move \(plan.moveCount) discard \(plan.discardCount)") }
            if let field = d.field { lines.append("> " + field.text) }
            if let problem = d.problem { lines.append(problem) }
        } else if let job = state.shownJob {
            let p = job.progress
            lines.append("\(job.jobId) \(ProgressView.stateCell(job).0)")
            lines.append(ProgressBar.render(p.fraction, width: rect.width))
            lines.append("moved \(p.moved)/\(p.total)")
        }
        for (i, line) in lines.prefix(rect.height).enumerated() {
            frame.put(TextLayout.truncate(SafeText.clean(line), width: rect.width), x: rect.x, y: rect.y + i)
        }
    }
}
