import SluiceCore

extension ConsoleState {
    /// Ticks between live refreshes of an open DLQ (about every two seconds).
    static let browserRefreshTicks = 4

    /// Applies one event in place and returns the effects it asks for.
    public mutating func apply(_ event: ConsoleEvent) -> [ConsoleEffect] {
        switch event {
        case .key(let key):
            return handle(key)
        case .resize(let newSize):
            size = newSize
            return []
        case .tick(let time):
            return tick(time)
        case .queuesLoaded(let list):
            queues = list
            dashboard.selected = min(dashboard.selected, max(0, list.count - 1))
            return []
        case .statsLoaded(let newReport):
            return receive(newReport)
        case .facetsLoaded(let queue, let generation, let counts):
            guard var b = browser, b.queue == queue, b.generation == generation else { return [] }
            b.facets = counts
            b.problem = nil
            b.facetCursor = min(b.facetCursor, max(0, b.facetRows.count - 1))
            browser = b
            return []
        case .pageLoaded(let queue, let generation, let page, let messages, let nextCursor):
            guard var b = browser, b.queue == queue, b.generation == generation else { return [] }
            let effects = b.receive(page: page, messages: messages, nextCursor: nextCursor)
            browser = b
            return effects
        case .messageLoaded(let queue, let id, let message):
            guard var d = detail, d.queue == queue, d.id == id else { return [] }
            d.load(message)
            detail = d
            return []
        case .journalLoaded(let entries):
            journal.entries = entries.reversed()
            journal.isLoading = false
            journal.cursor = min(journal.cursor, max(0, journal.visible.count - 1))
            return []
        case .runbooksLoaded(let dlq, let choices):
            receiveRunbooks(dlq: dlq, choices)
            return []
        case .planMade(let generation, let plan):
            return receivePlan(generation: generation, plan)
        case .redrive(let jobId, let event):
            receive(jobId: jobId, event)
            return []
        case .redriveFailed(let jobId, let error):
            receiveFailure(jobId: jobId, error)
            return []
        case .simulationLoaded(let status):
            simulation = status
            simulationInFlight = false
            return []
        case .failed(let effect, let error):
            return fail(effect, error)
        case .terminate(let signal):
            isQuitting = true
            log("received signal \(signal): leaving", alert: true)
            return [.quit]
        }
    }

    private mutating func tick(_ time: Timestamp) -> [ConsoleEffect] {
        now = max(now, time)
        ticks += 1
        if var n = notice {
            n.ticksLeft -= 1
            notice = n.ticksLeft > 0 ? n : nil
        }
        var effects: [ConsoleEffect] = []
        if !statsInFlight {
            statsInFlight = true
            effects.append(.loadStats)
        }
        if ticks % 20 == 0 { effects.append(.loadQueues) }
        if hasSimulation, !simulationInFlight {
            simulationInFlight = true
            effects.append(.loadSimulation)
        }
        if screen == .browser, ticks % ConsoleState.browserRefreshTicks == 0, var b = browser {
            effects += b.refresh()
            browser = b
        }
        return effects
    }

    private mutating func receive(_ newReport: MonitorReport) -> [ConsoleEffect] {
        statsInFlight = false
        now = max(now, newReport.at)
        let previous = report
        report = newReport
        for t in newReport.transitions {
            log("alarm \(t.name): \(t.from) → \(t.to) — \(t.reason)", alert: t.to == .alarm)
        }
        // DLQ growth is the story of an incident: log it, aggregated per poll.
        if let previous {
            for r in newReport.readouts where queue(r.stats.queue)?.isDeadLetterQueue == true {
                guard let old = previous.readouts.first(where: { $0.stats.queue == r.stats.queue }) else { continue }
                let grew = r.stats.depth - old.stats.depth
                if grew > 0 { log("\(r.stats.queue) +\(grew) (depth \(r.stats.depth))") }
            }
        }
        if newReport.readouts.count != queues.count { return [.loadQueues] }
        return []
    }

    private mutating func fail(_ effect: ConsoleEffect, _ error: SluiceError) -> [ConsoleEffect] {
        let text = "\(effect.summary) failed: \(error.description)"
        notice = Notice(text, level: .error, ticks: 16)
        switch effect {
        case .loadStats:
            statsInFlight = false
        case .loadPage(let queue, _, _, let page, _, let generation):
            if var b = browser, b.queue == queue, b.generation == generation {
                b.loading.remove(page)
                b.problem = error.description
                browser = b
            }
        case .loadFacets(let queue, _, _):
            if var b = browser, b.queue == queue {
                b.problem = error.description
                browser = b
            }
        case .loadMessage(let queue, let id):
            if var d = detail, d.queue == queue, d.id == id { d.isMissing = true; detail = d }
        case .loadJournal:
            journal.isLoading = false
        case .loadRunbooks(let dlq):
            if var d = redriveDialog, d.dlq == dlq {
                d.step = .choose
                d.problem = error.description
                redriveDialog = d
            }
        case .planRedrive(_, _, _, _, let generation):
            if var d = redriveDialog, d.generation == generation {
                d.step = .choose
                d.problem = error.description
                redriveDialog = d
            }
        case .startRedrive(let plan, _):
            receiveFailure(jobId: plan.jobId, error)
            return []
        case .loadSimulation, .simulation:
            simulationInFlight = false
        default:
            break
        }
        log(text, alert: true)
        return []
    }

    /// Shows a notice in the status line.
    mutating func say(_ text: String, _ level: Notice.Level = .info) {
        notice = Notice(text, level: level, ticks: level == .info ? 8 : 14)
    }

    /// Opens `screen`, remembering the current one for `esc`.
    mutating func push(_ target: Screen) {
        guard target != screen else { return }
        history.append(screen)
        if history.count > 16 { history.removeFirst() }
        screen = target
    }

    /// Goes back one screen; the dashboard is the bottom.
    mutating func back() {
        screen = history.popLast() ?? .dashboard
    }
}
