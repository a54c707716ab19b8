import SluiceCore

extension ConsoleState {
    // MARK: Opening the dialog

    /// Opens the redrive dialog on `dlq` for `filter` (and only `selection` when not empty).
    mutating func openRedrive(dlq: String, filter: MessageFilter, selection: Set<String>) -> [ConsoleEffect] {
        if isReadOnly { return refuseChange("redrive") }
        if let dialog = redriveDialog, dialog.dlq == dlq, dialog.filter == filter, dialog.selection == selection, dialog.step != .starting {
            push(.redrive)
            return []
        }
        var effects = closeDialogEffects()
        redriveDialog = RedriveDialogState(dlq: dlq, filter: filter, selection: selection)
        push(.redrive)
        effects.append(.loadRunbooks(dlq: dlq))
        return effects
    }

    /// What dropping the open dialog needs: releasing an unconfirmed plan.
    mutating func closeDialogEffects() -> [ConsoleEffect] {
        guard let dialog = redriveDialog else { return [] }
        redriveDialog = nil
        if let plan = dialog.plan, dialog.step != .starting { return [.releasePlan(jobId: plan.jobId)] }
        return []
    }

    // MARK: Dialog keys

    mutating func redriveKey(_ key: Key) -> [ConsoleEffect] {
        guard var d = redriveDialog else { back(); return [] }
        if d.field != nil { return fieldKey(key, &d) }
        defer { if redriveDialog != nil { redriveDialog = d } }
        switch key {
        case .escape:
            let effects = closeDialogEffects()
            back()
            if screen == .redrive { back() }
            return effects
        case .char("j"), .down, .char("k"), .up:
            let count = d.choices?.applicable.count ?? 0
            guard count > 0, d.step == .choose || d.step == .review else { return [] }
            let delta = (key == .char("j") || key == .down) ? 1 : -1
            let next = max(0, min(count - 1, d.cursor + delta))
            guard next != d.cursor else { return [] }
            d.cursor = next
            d.proseScroll = 0
            d.problem = nil
            d.step = .choose
            return d.dropPlan()
        case .pageDown, .char(" "), .ctrl("d"):
            d.proseScroll += max(1, pageRows / 2)
            return []
        case .pageUp, .ctrl("u"):
            d.proseScroll = max(0, d.proseScroll - max(1, pageRows / 2))
            return []
        case .char("r"):
            guard d.step == .choose || d.step == .review else { return [] }
            let released = d.dropPlan()
            d.choices = nil
            d.problem = nil
            d.step = .loadingRunbooks
            return released + [.loadRunbooks(dlq: d.dlq)]
        case .enter:
            switch d.step {
            case .choose:
                guard let runbook = d.runbook else {
                    d.problem = d.problem ?? "no runbook to plan with: add one for \(d.dlq) to \(d.choices?.directory ?? "the runbook folder"), then press r"
                    return []
                }
                d.generation += 1
                d.step = .planning
                d.problem = nil
                return [.planRedrive(dlq: d.dlq, runbookId: runbook.id, filter: d.filter, selection: d.selection, generation: d.generation)]
            case .review:
                guard let plan = d.currentPlan else { d.step = .choose; return [] }
                guard !plan.items.isEmpty else {
                    d.problem = "nothing to redrive: no selected message has a move or discard strategy in \(plan.runbookId)"
                    return []
                }
                advance(&d, after: .review)
                return []
            default:
                return []
            }
        default:
            return []
        }
    }

    /// Moves the dialog to the step after `step`, opening its field, or starts the job.
    private mutating func advance(_ d: inout RedriveDialogState, after step: RedriveDialogState.Step) {
        guard let plan = d.currentPlan else { return }
        let order: [RedriveDialogState.Step] = [.review, .acknowledge, .confirmMoves, .confirmDiscards]
        var index = (order.firstIndex(of: step) ?? 0) + 1
        while index < order.count {
            let candidate = order[index]
            let needed: Bool
            switch candidate {
            case .acknowledge: needed = plan.requiresRootCauseAck
            case .confirmMoves: needed = plan.moveCount > 0
            case .confirmDiscards: needed = plan.discardCount > 0
            default: needed = false
            }
            if needed {
                d.step = candidate
                d.field = LineEditor(purpose: candidate == .acknowledge ? .redriveAck : .redriveCount)
                d.problem = nil
                return
            }
            index += 1
        }
        d.step = .starting
        d.field = nil
    }

    private mutating func fieldKey(_ key: Key, _ d: inout RedriveDialogState) -> [ConsoleEffect] {
        guard var field = d.field else { return [] }
        defer { redriveDialog = d }
        switch field.handle(key) {
        case .editing:
            d.field = field
            return []
        case .cancelled:
            d.field = nil
            d.ack = nil
            d.step = .review
            d.problem = "not confirmed: nothing changed"
            return []
        case .submitted(let raw):
            guard let plan = d.currentPlan else { d.field = nil; d.step = .choose; return [] }
            let text = raw.trimmingSpaces()
            switch d.step {
            case .acknowledge:
                guard text.count >= RedriveDialogState.minimumAckLength else {
                    field.problem = "say what was fixed in a few words (at least \(RedriveDialogState.minimumAckLength) characters), e.g. payment API restored at 10:42"
                    d.field = field
                    return []
                }
                d.ack = text
                advance(&d, after: .acknowledge)
            case .confirmMoves, .confirmDiscards:
                let expected = d.step == .confirmMoves ? plan.moveCount : plan.discardCount
                guard Int(text) == expected else {
                    field = LineEditor(purpose: .redriveCount)
                    field.problem = "'\(text)' does not match \(expected): type the count shown, or esc to go back"
                    d.field = field
                    return []
                }
                advance(&d, after: d.step)
            default:
                d.field = nil
            }
            guard d.step == .starting else { return [] }
            return start(plan, ack: d.ack)
        }
    }

    /// Hands the confirmed plan to the runner and shows its progress.
    private mutating func start(_ plan: RedrivePlan, ack: String?) -> [ConsoleEffect] {
        jobs.append(JobPanel(plan: plan, at: now))
        if jobs.count > 20, let drop = jobs.firstIndex(where: { !$0.isActive }) { jobs.remove(at: drop) }
        progressJob = plan.jobId
        if var b = browser, b.queue == plan.dlq {
            b.marked.removeAll()
            browser = b
        }
        log("redrive \(plan.jobId) confirmed: \(plan.moveCount) to move, \(plan.discardCount) to discard (\(plan.runbookId))")
        if screen == .redrive { screen = .progress } else { push(.progress) }
        return [.startRedrive(plan, ack: ack)]
    }

    // MARK: Dialog events

    mutating func receiveRunbooks(dlq: String, _ choices: RunbookChoices) {
        guard var d = redriveDialog, d.dlq == dlq, d.step == .loadingRunbooks else { return }
        d.choices = choices
        d.cursor = 0
        d.step = .choose
        if let problem = choices.problem {
            d.problem = problem
        } else if choices.applicable.isEmpty {
            d.problem = "no runbook in \(choices.directory) applies to \(dlq)" + (choices.otherCount > 0 ? " (\(choices.otherCount) cover other DLQs)" : "")
                + ": write one (see runbooks/README.md), then press r"
        }
        redriveDialog = d
    }

    mutating func receivePlan(generation: Int, _ plan: RedrivePlan) -> [ConsoleEffect] {
        guard var d = redriveDialog, d.generation == generation, d.step == .planning else {
            return [.releasePlan(jobId: plan.jobId)]
        }
        d.plan = plan
        d.step = .review
        d.problem = plan.items.isEmpty ? "nothing to redrive: no selected message has a move or discard strategy" : nil
        redriveDialog = d
        return []
    }

    // MARK: Progress

    /// Opens the progress screen on the newest job (or says there is none).
    mutating func openProgress() -> [ConsoleEffect] {
        guard let job = jobs.last(where: \.isActive) ?? jobs.last else {
            say("no redrive jobs yet — press R in a DLQ to start one", .warning)
            return []
        }
        if progressJob == nil || !jobs.contains(where: { $0.jobId == progressJob }) { progressJob = job.jobId }
        push(.progress)
        return []
    }

    /// The job the progress screen shows.
    public var shownJob: JobPanel? {
        jobs.first { $0.jobId == progressJob } ?? jobs.last
    }

    mutating func progressKey(_ key: Key) -> [ConsoleEffect] {
        guard let job = shownJob else { back(); return [] }
        switch key {
        case .char("p"):
            guard job.isActive else {
                say("job \(job.jobId) is \(job.progress.state.rawValue): nothing to pause", .warning)
                return []
            }
            if isReadOnly { return refuseChange("pausing a redrive") }
            let resume = job.progress.state == .paused
            say(resume ? "resuming \(job.jobId)" : "pausing \(job.jobId) before its next batch")
            return [.controlRedrive(jobId: job.jobId, resume ? .resume : .pause)]
        case .char("a"):
            guard job.isActive else {
                say("job \(job.jobId) is \(job.progress.state.rawValue): nothing to abort", .warning)
                return []
            }
            confirmingAbort = job.jobId
            return []
        case .tab, .char("n"), .char("j"), .down:
            cycleJob(by: 1)
        case .backTab, .char("N"), .char("k"), .up:
            cycleJob(by: -1)
        case .char("h"), .left:
            back()
        default:
            break
        }
        return []
    }

    private mutating func cycleJob(by delta: Int) {
        guard !jobs.isEmpty else { return }
        let index = jobs.firstIndex { $0.jobId == shownJob?.jobId } ?? 0
        progressJob = jobs[(index + delta + jobs.count) % jobs.count].jobId
    }

    /// The answer to "abort job X? (y/n)".
    mutating func abortAnswer(_ key: Key) -> [ConsoleEffect] {
        guard let id = confirmingAbort else { return [] }
        confirmingAbort = nil
        guard key == .char("y") || key == .char("Y") else {
            say("not aborted: \(id) carries on")
            return []
        }
        say("aborting \(id) before its next batch")
        return [.controlRedrive(jobId: id, .abort(reason: "aborted by the operator in the console"))]
    }

    // MARK: Job events

    mutating func receive(jobId: String, _ event: RedriveEvent) {
        guard let index = jobs.firstIndex(where: { $0.jobId == jobId }) else { return }
        jobs[index].apply(event)
        let p = jobs[index].progress
        switch event {
        case .started: log("redrive \(jobId) started: \(p.toGo)")
        case .paused: log("redrive \(jobId) paused: \(p.reason ?? "")", alert: true)
        case .resumed: log("redrive \(jobId) resumed")
        case .finished:
            log("redrive \(jobId) \(p.state.rawValue): \(p.outcomeSummary)", alert: p.state != .completed)
        case .waiting, .batch, .guardReport: break
        }
    }

    mutating func receiveFailure(jobId: String, _ error: SluiceError) {
        guard let index = jobs.firstIndex(where: { $0.jobId == jobId }) else { return }
        jobs[index].failure = error.description
        jobs[index].nextBatchAt = nil
        if !jobs[index].progress.state.isFinal { jobs[index].progress.state = .interrupted }
        log("redrive \(jobId) stopped: \(error.description) — resume with 'sluice redrive --resume \(jobId)'", alert: true)
        notice = Notice("redrive \(jobId) stopped: \(error.message)", level: .error, ticks: 16)
    }
}
