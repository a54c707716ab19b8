import SluiceCore

extension ConsoleState {
    /// Routes a key: the open field first, then quit confirmation, help, global keys, the screen.
    mutating func handle(_ key: Key) -> [ConsoleEffect] {
        if editor != nil { return edit(key) }
        if confirmingAbort != nil { return abortAnswer(key) }
        if screen == .redrive, redriveDialog?.field != nil { return redriveKey(key) }
        if confirmingQuit {
            switch key {
            case .char("y"), .char("Y"), .char("q"), .enter:
                confirmingQuit = false
                isQuitting = true
                return [.quit]
            default:
                confirmingQuit = false
                say("still here — the redrive keeps running")
                return []
            }
        }
        if showsHelp {
            switch key {
            case .char("q"), .ctrl("c"): return quit()
            default:
                showsHelp = false
                return []
            }
        }
        switch key {
        case .char("q"), .ctrl("c"): return quit()
        case .char("?"), .function(1):
            showsHelp = true
            return []
        case .ctrl("l"): return [.redraw]
        case .char("J"): return openJournal()
        case .char("w"): return openProgress()
        case .char("D"):
            history.removeAll()
            screen = .dashboard
            return []
        case .escape where screen != .redrive:
            back()
            return []
        case .char("P"), .char("."), .char("<"), .char(">"):
            if hasSimulation { return simulationKey(key) }
        default:
            break
        }
        switch screen {
        case .dashboard: return dashboardKey(key)
        case .browser: return browserKey(key)
        case .message: return detailKey(key)
        case .journal: return journalKey(key)
        case .redrive: return redriveKey(key)
        case .progress: return progressKey(key)
        }
    }

    private mutating func quit() -> [ConsoleEffect] {
        if runningJobs > 0 {
            confirmingQuit = true
            return []
        }
        isQuitting = true
        return [.quit]
    }

    /// The rows a list page key (`pgdn`) moves: the visible rows of a list at this size.
    var pageRows: Int { max(1, size.height - 10) }

    // MARK: Dashboard

    private mutating func dashboardKey(_ key: Key) -> [ConsoleEffect] {
        let count = queues.count
        switch key {
        case .char("j"), .down: dashboard.selected = min(max(0, count - 1), dashboard.selected + 1)
        case .char("k"), .up: dashboard.selected = max(0, dashboard.selected - 1)
        case .char("g"), .home: dashboard.selected = 0
        case .char("G"), .end: dashboard.selected = max(0, count - 1)
        case .enter, .char("l"), .right: return openSelectedDLQ()
        case .char("r"):
            say("refreshing")
            statsInFlight = true
            return [.loadQueues, .loadStats]
        case .char("R"):
            guard let target = selectedDLQ() else { return [] }
            let filter = browser?.queue == target ? browser!.filter : .all
            return openRedrive(dlq: target, filter: filter, selection: [])
        default: break
        }
        return []
    }

    private mutating func openSelectedDLQ() -> [ConsoleEffect] {
        guard let target = selectedDLQ() else { return [] }
        return openBrowser(target)
    }

    /// The dashboard row's DLQ: the row itself, or the queue's dead-letter queue.
    private mutating func selectedDLQ() -> String? {
        guard dashboard.selected < queues.count else {
            say("no queues yet — create one with 'sluice queue create NAME' or run 'sluice demo'", .warning)
            return nil
        }
        let q = queues[dashboard.selected]
        if q.isDeadLetterQueue { return q.name }
        if let dlq = q.spec.redrivePolicy?.deadLetterQueue { return dlq }
        say("\(q.name) is not a dead-letter queue and has none", .warning)
        return nil
    }

    /// Opens the DLQ browser on `name`, keeping the filter when it was already open on it.
    mutating func openBrowser(_ name: String) -> [ConsoleEffect] {
        let info = queue(name)
        push(.browser)
        if var b = browser, b.queue == name {
            let effects = b.refresh() + b.ensureLoaded()
            browser = b
            return effects
        }
        var b = BrowserState(queue: name, retention: info?.spec.retention ?? QueueSpec.defaultRetention, sources: info?.deadLetterSources ?? [])
        let effects = b.reload()
        browser = b
        return effects
    }

    // MARK: DLQ browser

    private mutating func browserKey(_ key: Key) -> [ConsoleEffect] {
        guard var b = browser else { back(); return [] }
        defer { browser = b }
        switch key {
        case .tab, .backTab, .char("h"), .char("l"), .left, .right:
            if key == .char("l") || key == .right { b.focus = .messages } else if key == .char("h") || key == .left { b.focus = .facets } else {
                b.focus = b.focus == .facets ? .messages : .facets
            }
            return []
        case .char("/"):
            editor = LineEditor(purpose: .dlqFilter, text: FilterQuery.format(b.filter))
            return []
        case .char("c"):
            guard b.filter != .all else { return [] }
            b.filter = .all
            say("filter cleared")
            return b.reload()
        case .char("r"):
            return b.refresh()
        case .char("R"):
            return openRedrive(dlq: b.queue, filter: b.filter, selection: b.marked)
        default:
            break
        }
        if b.focus == .facets {
            switch key {
            case .char("j"), .down: b.moveFacet(by: 1)
            case .char("k"), .up: b.moveFacet(by: -1)
            case .char("g"), .home: b.facetCursor = 0
            case .char("G"), .end: b.moveFacet(by: Int.max / 2)
            case .char(" "), .enter:
                let rows = b.facetRows
                guard b.facetCursor < rows.count else { return [] }
                return b.toggle(errorType: rows[b.facetCursor].errorType)
            default: break
            }
            return []
        }
        switch key {
        case .char("j"), .down: return b.move(by: 1)
        case .char("k"), .up: return b.move(by: -1)
        case .pageDown, .ctrl("d"), .ctrl("f"): return b.move(by: pageRows)
        case .pageUp, .ctrl("u"), .ctrl("b"): return b.move(by: -pageRows)
        case .char("g"), .home: return b.move(by: -b.cursor)
        case .char("G"), .end: return b.move(by: b.reachableRows)
        case .char(" "):
            guard let row = b.current else { return [] }
            if b.marked.contains(row.id) { b.marked.remove(row.id) } else { b.marked.insert(row.id) }
            return b.move(by: 1)
        case .char("u"):
            b.marked.removeAll()
            return []
        case .enter:
            guard let row = b.current else { return [] }
            return openDetail(queue: b.queue, summary: row, retention: b.retention)
        default:
            return []
        }
    }

    private mutating func openDetail(queue: String, summary: MessageSummary, retention: TimeSpan) -> [ConsoleEffect] {
        detail = DetailState(queue: queue, id: summary.id, retention: retention, summary: summary)
        push(.message)
        return [.loadMessage(queue: queue, id: summary.id)]
    }

    // MARK: Message detail

    private mutating func detailKey(_ key: Key) -> [ConsoleEffect] {
        guard var d = detail else { back(); return [] }
        defer { detail = d }
        switch key {
        case .char("j"), .down: d.scroll += 1
        case .char("k"), .up: d.scroll -= 1
        case .pageDown, .ctrl("d"), .ctrl("f"), .char(" "): d.scroll += pageRows
        case .pageUp, .ctrl("u"), .ctrl("b"): d.scroll -= pageRows
        case .char("g"), .home: d.scroll = 0
        case .char("G"), .end: d.scroll = Int.max / 2
        case .char("x"):
            d.showsHex.toggle()
            d.layoutBody()
            say(d.showsHex ? "body as hex" : "body as text")
        case .char("r"):
            return [.loadMessage(queue: d.queue, id: d.id)]
        case .char("h"), .left:
            back()
        case .char("R"):
            return openRedrive(dlq: d.queue, filter: .all, selection: [d.id])
        default: break
        }
        d.scroll = max(0, d.scroll)
        return []
    }

    // MARK: Journal

    private mutating func openJournal() -> [ConsoleEffect] {
        push(.journal)
        journal.isLoading = true
        return [.loadJournal(limit: JournalState.limit)]
    }

    private mutating func journalKey(_ key: Key) -> [ConsoleEffect] {
        let count = journal.visible.count
        switch key {
        case .char("j"), .down: journal.cursor = min(max(0, count - 1), journal.cursor + 1)
        case .char("k"), .up: journal.cursor = max(0, journal.cursor - 1)
        case .pageDown, .ctrl("d"): journal.cursor = min(max(0, count - 1), journal.cursor + pageRows)
        case .pageUp, .ctrl("u"): journal.cursor = max(0, journal.cursor - pageRows)
        case .char("g"), .home: journal.cursor = 0
        case .char("G"), .end: journal.cursor = max(0, count - 1)
        case .char("/"): editor = LineEditor(purpose: .journalFilter, text: journal.filterText)
        case .char("r"):
            journal.isLoading = true
            return [.loadJournal(limit: JournalState.limit)]
        default: break
        }
        return []
    }

    // MARK: Editing

    private mutating func edit(_ key: Key) -> [ConsoleEffect] {
        guard var field = editor else { return [] }
        switch field.handle(key) {
        case .editing:
            editor = field
            return []
        case .cancelled:
            editor = nil
            return []
        case .submitted(let text):
            switch field.purpose {
            case .redriveAck, .redriveCount:
                // The dialog owns these fields; one here is stale.
                editor = nil
                return []
            case .journalFilter:
                editor = nil
                journal.filterText = text.trimmingSpaces()
                journal.cursor = 0
                return []
            case .dlqFilter:
                guard var b = browser else { editor = nil; return [] }
                do {
                    let filter = try FilterQuery.parse(text, knownTypes: b.facetRows.map(\.errorType))
                    editor = nil
                    guard filter != b.filter else { return [] }
                    b.filter = filter
                    let effects = b.reload()
                    browser = b
                    say(filter == .all ? "filter cleared" : "filter: \(FilterQuery.format(filter))")
                    return effects
                } catch let error as SluiceError {
                    field.problem = error.description
                    editor = field
                    return []
                } catch {
                    field.problem = "\(error)"
                    editor = field
                    return []
                }
            }
        }
    }

    /// Refuses a change with a visible reason: read-only consoles refuse everything.
    mutating func refuseChange(_ what: String) -> [ConsoleEffect] {
        say("read-only console: \(what) refused — restart without --read-only to make changes", .warning)
        return []
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
