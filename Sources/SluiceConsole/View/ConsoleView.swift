import SluiceCore

/// Draws a ``ConsoleState`` into a ``Frame``: header, the screen, the status line, and overlays.
/// Pure: the same state and size always give the same frame.
public enum ConsoleView {
    /// The frame for `state` at `size`.
    public static func render(_ state: ConsoleState, size: Size) -> Frame {
        var frame = Frame(size: size)
        guard size.width > 0, size.height > 0 else { return frame }
        guard size.fits(.comfortable) else {
            TooSmallView.draw(state, into: &frame)
            return frame
        }
        let all = Rect(size)
        let (header, rest) = all.splitTop(1)
        let (body, status) = rest.splitBottom(1)
        drawHeader(state, into: &frame, header)
        switch state.screen {
        case .dashboard: DashboardView.draw(state, into: &frame, body)
        case .browser: BrowserView.draw(state, into: &frame, body)
        case .message: MessageView.draw(state, into: &frame, body)
        case .journal: JournalView.draw(state, into: &frame, body)
        case .redrive: RedriveDialogView.draw(state, into: &frame, body)
        case .progress: ProgressView.draw(state, into: &frame, body)
        }
        if state.showsHelp { HelpView.draw(state, into: &frame, body) }
        drawStatus(state, into: &frame, status)
        return frame
    }

    /// The screen's name in the header.
    static func title(_ state: ConsoleState) -> String {
        switch state.screen {
        case .dashboard: return "Dashboard"
        case .browser: return "DLQ " + (state.browser?.queue ?? "")
        case .message: return "Message " + (state.detail?.id ?? "")
        case .journal: return "Journal"
        case .redrive: return "Redrive " + (state.redriveDialog?.dlq ?? "")
        case .progress: return "Progress " + (state.shownJob?.jobId ?? "")
        }
    }

    static func drawHeader(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        frame.fill(rect, style: .header)
        var x = rect.x
        x += frame.put(" Sluice ", x: x, y: rect.y, style: Style.header.adding(.bold))
        x += frame.put("│ " + title(state) + " ", x: x, y: rect.y, style: Style.header.adding(.bold), maxWidth: rect.width / 2)
        let clock = " " + Format.dateTime(state.now) + " "
        var right = clock
        if let sim = state.simulation {
            // A simulation's own time matters more than the date: drop the date when both do not fit.
            let text = " " + simulationText(sim) + " "
            right = x + DisplayWidth.of(text + "│" + clock) <= rect.maxX ? text + "│" + clock : text
        }
        if state.isReadOnly { right = " READ-ONLY │" + right }
        right = TextLayout.truncate(right, width: max(0, rect.maxX - x))
        let rightWidth = DisplayWidth.of(right)
        let labelRoom = rect.maxX - rightWidth - x - 1
        if labelRoom > 6 {
            frame.put("│ " + TextLayout.truncate(state.backendLabel, width: labelRoom - 2), x: x, y: rect.y, style: .header, maxWidth: labelRoom)
        }
        frame.put(right, x: rect.maxX - rightWidth, y: rect.y, style: state.isReadOnly ? Style.header.adding(.bold) : .header)
    }

    /// `drill downstream-outage live 12m/1h 10x PAUSED`: what the header says of a simulation.
    static func simulationText(_ sim: SimulationStatus) -> String {
        var parts = [sim.mode == "replay" ? "replay" : "drill", sim.name, sim.mode]
        // Whole seconds: milliseconds of virtual time would flicker and say nothing.
        func shown(_ span: TimeSpan) -> String { span.millis < 1000 ? "0s" : TimeSpan(millis: span.millis / 1000 * 1000).compact }
        parts.append(shown(sim.elapsed) + (sim.duration.map { "/" + shown($0) } ?? ""))
        parts.append("\(sim.speed)x")
        if sim.isFinished {
            parts.append("FINISHED")
        } else if sim.isPaused {
            parts.append("PAUSED")
        }
        return parts.joined(separator: " ")
    }

    static func drawStatus(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        if let editor = state.editor {
            drawEditor(editor, into: &frame, rect)
            return
        }
        if let job = state.confirmingAbort {
            frame.fill(rect)
            frame.put(" Abort redrive \(job)? It stops for good before its next batch; what moved stays moved. (y/n) ", x: rect.x, y: rect.y, style: .alarm, maxWidth: rect.width)
            return
        }
        if state.confirmingQuit {
            frame.fill(rect)
            frame.put(" A redrive is running. Quit anyway? It stops before its next batch and can be resumed. (y/n) ", x: rect.x, y: rect.y, style: .alarm, maxWidth: rect.width)
            return
        }
        let style: Style
        switch state.notice?.level {
        case .error: style = .error
        case .warning: style = .warning
        default: style = .plain
        }
        StatusLine.draw(into: &frame, rect, hints: KeyMap.hints(for: state.screen), notice: state.notice?.text, noticeStyle: style)
    }

    static func drawEditor(_ editor: LineEditor, into frame: inout Frame, _ rect: Rect) {
        frame.fill(rect)
        let prompt: String
        switch editor.purpose {
        case .dlqFilter: prompt = "filter (types, >min <max age): "
        case .journalFilter: prompt = "journal filter: "
        case .redriveAck: prompt = "what was fixed: "
        case .redriveCount: prompt = "count: "
        }
        let x = rect.x + frame.put(prompt, x: rect.x, y: rect.y, style: .key)
        TextField.draw(editor, into: &frame, x: x, y: rect.y, maxX: rect.maxX)
        if let problem = editor.problem, rect.y > 0 {
            let line = Rect(x: rect.x, y: rect.y - 1, width: rect.width, height: 1)
            frame.put(" " + problem, in: line, style: .error)
        }
    }
}
