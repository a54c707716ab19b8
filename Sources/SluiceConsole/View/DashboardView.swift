import SluiceCore

/// The dashboard: every queue's numbers and depth sparkline, the alarms, redrive jobs, and a
/// tail of recent events.
enum DashboardView {
    static func draw(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let queueRows = max(1, state.queues.count)
        let queuesHeight = min(queueRows + 3, max(6, rect.height / 2))
        let (queuesRect, rest) = rect.splitTop(queuesHeight)
        drawQueues(state, into: &frame, queuesRect)

        let alarms = state.report?.alarms ?? []
        if rest.width >= 140 {
            // Wide terminals: alarms and jobs on the left, events on the right.
            let (left, right) = rest.splitLeft(rest.width * 3 / 5)
            let (alarmsRect, jobsRect) = left.splitBottom(state.jobs.isEmpty ? 4 : min(state.jobs.count + 3, 7))
            drawAlarms(alarms, state: state, into: &frame, alarmsRect)
            drawJobs(state, into: &frame, jobsRect)
            drawEvents(state, into: &frame, right)
        } else {
            let alarmsHeight = min(max(3, alarms.count + 3), max(3, rest.height / 2))
            let (alarmsRect, afterAlarms) = rest.splitTop(alarmsHeight)
            let (jobsRect, eventsRect) = afterAlarms.splitTop(state.jobs.isEmpty ? 3 : min(state.jobs.count + 3, 5))
            drawAlarms(alarms, state: state, into: &frame, alarmsRect)
            drawJobs(state, into: &frame, jobsRect)
            drawEvents(state, into: &frame, eventsRect)
        }
    }

    static let queueColumns = [
        TableColumn("QUEUE", width: 14, flexible: true),
        TableColumn("VISIBLE", width: 7, alignment: .right),
        TableColumn("IN-FLT", width: 6, alignment: .right),
        TableColumn("DELAY", width: 5, alignment: .right, dropOrder: 3),
        TableColumn("OLDEST", width: 7, alignment: .right),
        TableColumn("IN/s", width: 6, alignment: .right, dropOrder: 2),
        TableColumn("OUT/s", width: 6, alignment: .right, dropOrder: 2),
        TableColumn("DEPTH", width: 10, flexible: true, dropOrder: 1),
        TableColumn("REDRIVE", width: 18, flexible: true, dropOrder: 4),
    ]

    static func drawQueues(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let inner = Box.draw(into: &frame, rect, title: "Queues (\(state.queues.count))", focused: true)
        guard !state.queues.isEmpty else {
            frame.put("no queues — create one with 'sluice queue create NAME', or run 'sluice demo'", in: inner.row(0), style: .muted)
            return
        }
        let alarming = Set(state.report?.alarms.filter { $0.status.state == .alarm }.map(\.queue) ?? [])
        let rows: [[TableCell]] = state.queues.map { q in
            let relation: String
            if let policy = q.spec.redrivePolicy {
                relation = "→ \(policy.deadLetterQueue) after \(policy.maxReceiveCount)"
            } else if q.isDeadLetterQueue {
                relation = "DLQ of \(q.deadLetterSources.joined(separator: ", "))"
            } else {
                relation = ""
            }
            let name = q.name + (alarming.contains(q.name) ? " !" : "")
            guard let r = state.readout(q.name) else {
                return [.plain(name), .plain("-"), .plain("-"), .plain("-"), .plain("-"), .plain("-"), .plain("-"), .plain(""), .text(relation, .muted)]
            }
            let s = r.stats
            let dlqWithMessages = q.isDeadLetterQueue && s.depth > 0
            let oldest = s.oldestAge.map { Format.age($0) + (s.oldestAgeIsFromScan ? "*" : "") } ?? "-"
            return [
                .text(name, dlqWithMessages ? .warning : .plain),
                .text(Format.count(s.visible), dlqWithMessages ? .warning : .plain),
                .plain(Format.count(s.inFlight)),
                .plain(Format.count(s.delayed)),
                .plain(oldest),
                .plain(Format.rate(r.inRate)),
                .plain(Format.rate(r.outRate)),
                .sparkline(r.depthHistory, q.isDeadLetterQueue ? .warning : .ok),
                .text(relation, .muted),
            ]
        }
        Table(columns: queueColumns, rows: rows, selected: state.dashboard.selected).draw(into: &frame, inner)
    }

    static func drawAlarms(_ alarms: [AlarmRow], state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let firing = alarms.filter { $0.status.state == .alarm }.count
        let inner = Box.draw(into: &frame, rect, title: firing > 0 ? "Alarms — \(firing) in ALARM" : "Alarms")
        guard !alarms.isEmpty else {
            frame.put(state.report == nil ? "waiting for the first numbers…" : "no alarms defined", in: inner.row(0), style: .muted)
            return
        }
        // Firing alarms first: they are why someone looks.
        let ordered = alarms.enumerated().sorted { a, b in
            let ra = rank(a.element.status.state), rb = rank(b.element.status.state)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        let columns = [
            TableColumn("STATE", width: 17),
            TableColumn("ALARM", width: 18, flexible: true),
            TableColumn("SINCE", width: 7, alignment: .right),
            TableColumn("REASON", width: 20, flexible: true, dropOrder: 1),
        ]
        let rows: [[TableCell]] = ordered.map { a in
            [stateCell(a.status.state), .plain(a.name), .plain(Format.age(state.now - a.status.since)), .text(a.status.reason, .muted)]
        }
        Table(columns: columns, rows: rows, showsMarker: false).draw(into: &frame, inner)
    }

    static func rank(_ s: AlarmState) -> Int {
        switch s {
        case .alarm: 0
        case .insufficientData: 1
        case .ok: 2
        }
    }

    /// An alarm state that reads without colour: ALARM bold and reversed.
    static func stateCell(_ s: AlarmState) -> TableCell {
        switch s {
        case .alarm: .text("ALARM", .alarm)
        case .ok: .text("OK", .ok)
        case .insufficientData: .text("INSUFFICIENT_DATA", .muted)
        }
    }

    static func drawJobs(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let title = state.jobs.isEmpty ? "Redrive jobs" : "Redrive jobs — \(state.runningJobs) running, w: progress"
        let inner = Box.draw(into: &frame, rect, title: title)
        guard inner.height > 0 else { return }
        guard !state.jobs.isEmpty else {
            frame.put("no redrive jobs — R on a DLQ starts one", in: inner.row(0), style: .muted)
            return
        }
        if inner.height == 1 {
            // One row: the newest job, compactly.
            let job = state.jobs.last!
            let (label, style) = ProgressView.stateCell(job)
            var x = inner.x + frame.put(job.jobId + " ", x: inner.x, y: inner.y)
            x += frame.put(label + " ", x: x, y: inner.y, style: style)
            frame.put(ProgressBar.render(job.progress.fraction, width: max(0, min(30, inner.maxX - x))), x: x, y: inner.y)
            return
        }
        let rows = state.jobs.suffix(inner.height - 1).map(JobRow.cells)
        Table(columns: JobRow.columns, rows: Array(rows), showsMarker: false).draw(into: &frame, inner)
    }

    static func drawEvents(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let inner = Box.draw(into: &frame, rect, title: "Recent events")
        guard inner.height > 0 else { return }
        guard !state.events.isEmpty else {
            frame.put("nothing yet", in: inner.row(0), style: .muted)
            return
        }
        let shown = state.events.suffix(inner.height)
        for (i, e) in shown.enumerated() {
            let row = inner.row(i)
            let x = row.x + frame.put(Format.timeOfDay(e.at) + "  ", x: row.x, y: row.y, style: .muted)
            frame.put(TextLayout.truncate(e.text, width: row.maxX - x), x: x, y: row.y, style: e.isAlert ? .title : .plain)
        }
    }
}
