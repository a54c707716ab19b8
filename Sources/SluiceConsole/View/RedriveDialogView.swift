import SluiceCore

/// The redrive dialog: the runbooks that apply on the left with the resolved plan below them,
/// the highlighted runbook's prose on the right, and the acknowledgement or count field when
/// the operator confirms.
enum RedriveDialogView {
    typealias Line = (text: String, style: Style)

    static func draw(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        guard let d = state.redriveDialog else { return }
        let (infoRect, rest) = rect.splitTop(1)
        frame.put(" " + info(d), in: infoRect, style: .title)
        let leftWidth = rest.width >= 140 ? rest.width * 11 / 20 : max(44, rest.width / 2 + 4)
        let (left, proseRect) = rest.splitLeft(min(rest.width, leftWidth))
        let fieldHeight = d.field != nil ? 4 : 0
        let (upper, fieldRect) = left.splitBottom(fieldHeight)
        let listCount = max(1, d.choices?.applicable.count ?? 1) + (d.choices?.rejected.isEmpty == false ? 1 : 0)
        let (listRect, planRect) = upper.splitTop(min(listCount + 2, max(3, upper.height / 3)))
        drawRunbooks(d, into: &frame, listRect)
        drawPlan(d, now: state.now, into: &frame, planRect)
        if fieldHeight > 0 { drawField(d, into: &frame, fieldRect) }
        drawProse(d, into: &frame, proseRect)
    }

    static func info(_ d: RedriveDialogState) -> String {
        var parts = ["Redrive \(d.dlq)"]
        let filter = FilterQuery.format(d.filter)
        parts.append("filter: " + (filter.isEmpty ? "none" : filter))
        if !d.selection.isEmpty { parts.append("only the \(d.selection.count) marked message\(d.selection.count == 1 ? "" : "s")") }
        return parts.joined(separator: "   ")
    }

    static func drawRunbooks(_ d: RedriveDialogState, into frame: inout Frame, _ rect: Rect) {
        let count = d.choices?.applicable.count
        let inner = Box.draw(into: &frame, rect, title: "Runbooks for \(d.dlq)" + (count.map { " (\($0))" } ?? ""),
                             focused: d.step == .choose || d.step == .review)
        guard inner.height > 0 else { return }
        guard let choices = d.choices else {
            frame.put(d.step == .loadingRunbooks ? "reading runbooks…" : "no runbooks read", in: inner.row(0), style: .muted)
            return
        }
        if choices.applicable.isEmpty {
            frame.put("none applies — see below", in: inner.row(0), style: .warning)
        } else {
            let listHeight = inner.height - (choices.rejected.isEmpty ? 0 : 1)
            let top = Table.scrollTop(selected: d.cursor, visibleRows: listHeight, rowCount: choices.applicable.count)
            for (i, runbook) in choices.applicable.enumerated().dropFirst(top).prefix(max(0, listHeight)) {
                let row = inner.row(i - top)
                let selected = i == d.cursor
                var x = row.x + frame.put(selected ? "› " : "  ", x: row.x, y: row.y, style: .title)
                x += frame.put(runbook.id + "  ", x: x, y: row.y, style: .title, maxWidth: row.maxX - x)
                frame.put(runbook.title, x: x, y: row.y, style: .muted, maxWidth: max(0, row.maxX - x))
                if selected { frame.restyle(row) { $0.attributes.insert(.reverse) } }
            }
        }
        if !choices.rejected.isEmpty, inner.height > choices.applicable.count {
            let text = "\(choices.rejected.count) runbook file\(choices.rejected.count == 1 ? "" : "s") refused (see the plan panel)"
            frame.put(text, in: inner.row(inner.height - 1), style: .warning)
        }
    }

    static func drawPlan(_ d: RedriveDialogState, now: Timestamp, into frame: inout Frame, _ rect: Rect) {
        let plan = d.currentPlan
        let inner = Box.draw(into: &frame, rect, title: plan.map { "Plan \($0.jobId)" } ?? "Plan")
        guard inner.height > 0 else { return }
        var lines: [Line] = []
        if let problem = d.problem { lines.append((problem, .error)) }
        switch d.step {
        case .loadingRunbooks: lines.append(("reading runbooks…", .muted))
        case .planning: lines.append(("planning: reading the DLQ (nothing changes)…", .muted))
        default: break
        }
        if let plan {
            lines += planLines(plan)
            lines.append(("", .plain))
            lines.append((nextStepHint(d, plan), .key))
        } else if d.step == .choose, let runbook = d.runbook {
            lines.append(("enter: plan with \(runbook.id) (nothing changes until you confirm)", .key))
        }
        if let choices = d.choices, !choices.rejected.isEmpty {
            lines.append(("", .plain))
            lines.append(("Refused runbook files:", .warning))
            for diagnostic in choices.rejected { lines.append((diagnostic.description, .muted)) }
        }
        var y = inner.y
        for line in lines {
            for piece in TextLayout.wrap(line.text, width: inner.width) where y < inner.maxY {
                frame.put(piece, x: inner.x, y: y, style: line.style, maxWidth: inner.width)
                y += 1
            }
        }
    }

    static func nextStepHint(_ d: RedriveDialogState, _ plan: RedrivePlan) -> String {
        if plan.items.isEmpty { return "esc: back (nothing to do)   j/k: another runbook" }
        switch d.step {
        case .review: return "enter: confirm" + (plan.requiresRootCauseAck ? " (acknowledge, then type the counts)" : " (type the counts)") + "   esc: cancel"
        case .acknowledge, .confirmMoves, .confirmDiscards: return "type below; esc goes back to the plan"
        default: return ""
        }
    }

    /// The resolved plan as text lines: counts, totals, ages, pacing, guards, notes.
    static func planLines(_ plan: RedrivePlan) -> [Line] {
        var lines: [Line] = []
        lines.append(("\(plan.dlq) → \(plan.destination)   runbook \(plan.runbookId)", .title))
        let filter = FilterQuery.format(plan.effectiveFilter)
        lines.append(("filter: " + (filter.isEmpty ? "everything" : filter), .plain))
        lines.append(("ERROR TYPE".padding(to: 18) + "STRATEGY".padding(to: 12) + "COUNT", .columnHeader))
        for c in plan.counts {
            let strategyStyle: Style = c.strategy == .discard ? .warning : (c.strategy == .skip ? .muted : .plain)
            lines.append((SafeText.clean(c.errorType).padding(to: 18) + c.strategy.rawValue.padding(to: 12) + Format.count(c.count), strategyStyle))
        }
        if plan.counts.isEmpty { lines.append(("no message matches", .muted)) }
        var totals = "move \(Format.count(plan.moveCount)) · discard \(Format.count(plan.discardCount)) · stay \(Format.count(plan.skipCount))"
        if plan.overLimit > 0 { totals += " · over the limit, left for later \(Format.count(plan.overLimit))" }
        lines.append((totals, plan.discardCount > 0 ? .warning : .title))
        let ages = plan.ageHistogram.filter { $0.count > 0 }.map { "\($0.label) \(Format.count($0.count))" }
        lines.append(("ages: " + (ages.isEmpty ? "-" : ages.joined(separator: " · ")), .plain))
        let l = plan.limits
        lines.append(("batches of \(l.batchSize) · jitter \(l.jitter.lowerBound.compact)..\(l.jitter.upperBound.compact) · at most \(RunbookBatch.formatRate(l.maxRate))", .plain))
        lines.append(("\(plan.batchCount) batch\(plan.batchCount == 1 ? "" : "es") · ETA about \(plan.estimatedDuration.compact)", .plain))
        if !plan.guards.isEmpty {
            lines.append(("guards: " + plan.guards.map(\.description).joined(separator: "; "), .muted))
        }
        if plan.requiresRootCauseAck { lines.append(("this runbook requires a root-cause acknowledgement", .muted)) }
        for note in plan.notes { lines.append(("note: " + note, .muted)) }
        return lines
    }

    static func drawField(_ d: RedriveDialogState, into frame: inout Frame, _ rect: Rect) {
        guard let field = d.field, let plan = d.currentPlan else { return }
        let inner = Box.draw(into: &frame, rect, title: "Confirm", focused: true)
        guard inner.height > 0 else { return }
        let question: String
        switch d.step {
        case .acknowledge: question = "What was fixed? (goes into the journal with the plan)"
        case .confirmMoves: question = "Type \(plan.moveCount) to move \(plan.moveCount) message\(plan.moveCount == 1 ? "" : "s") to \(plan.destination):"
        case .confirmDiscards: question = "Type \(plan.discardCount) to DISCARD \(plan.discardCount) message\(plan.discardCount == 1 ? "" : "s") for good:"
        default: question = ""
        }
        frame.put(question, in: inner.row(0), style: d.step == .confirmDiscards ? .warning : .title)
        guard inner.height > 1 else { return }
        let row = inner.row(1)
        let x = row.x + frame.put("> ", x: row.x, y: row.y, style: .key)
        TextField.draw(field, into: &frame, x: x, y: row.y, maxX: row.maxX)
        if let problem = field.problem {
            let line = Rect(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, height: 1)
            frame.put(" " + TextLayout.truncate(problem, width: line.width - 2) + " ", in: line, style: .error)
        }
    }

    /// Markdown paragraphs and list items joined into one line each, so they wrap to the
    /// panel instead of keeping the file's hard line breaks.
    static func reflow(_ prose: String) -> [String] {
        var out: [String] = []
        var canContinue = false
        for raw in prose.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.trimmingSpaces()
            let startsItem = trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("> ")
                || (trimmed.first?.isNumber == true && trimmed.contains(". ") && trimmed.prefix { $0.isNumber }.count == trimmed.prefix(while: { $0 != "." }).count)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("```") || startsItem || !canContinue {
                out.append(trimmed.isEmpty ? "" : line)
                canContinue = !(trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("```"))
            } else {
                out[out.count - 1] += " " + trimmed
            }
        }
        return out
    }

    static func drawProse(_ d: RedriveDialogState, into frame: inout Frame, _ rect: Rect) {
        guard let runbook = d.runbook else {
            let inner = Box.draw(into: &frame, rect, title: "Runbook")
            if inner.height > 0 {
                frame.put("Runbooks are Markdown files with YAML front matter in the runbook folder; one applies when its 'dlq' globs match this DLQ.",
                          in: inner.row(0), style: .muted)
            }
            return
        }
        let inner = Box.draw(into: &frame, rect, title: runbook.title)
        guard inner.height > 0, inner.width > 2 else { return }
        var lines: [Line] = [(runbook.sourcePath, .muted)]
        for warning in runbook.warnings { lines.append(("warning: " + warning.description, .warning)) }
        for text in reflow(runbook.prose) {
            lines.append((text, text.hasPrefix("#") ? .title : .plain))
        }
        var wrapped: [Line] = []
        for line in lines {
            for piece in TextLayout.wrap(line.text, width: inner.width) { wrapped.append((piece, line.style)) }
        }
        let start = min(d.proseScroll, max(0, wrapped.count - inner.height))
        for (i, line) in wrapped.dropFirst(start).prefix(inner.height).enumerated() {
            frame.put(line.text, x: inner.x, y: inner.y + i, style: line.style, maxWidth: inner.width)
        }
        if wrapped.count > inner.height {
            let marker = " \(start + 1)-\(min(wrapped.count, start + inner.height))/\(wrapped.count) pgdn "
            frame.put(marker, x: max(rect.x, rect.maxX - DisplayWidth.of(marker) - 2), y: rect.maxY - 1, style: .muted)
        }
    }
}
