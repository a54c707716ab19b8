import SluiceConsole
import SluiceCore
import Testing

/// Applies keys one by one and collects every effect.
func press(_ state: inout ConsoleState, _ keys: [Key]) -> [ConsoleEffect] {
    keys.flatMap { state.apply(.key($0)) }
}

@Suite("update: key sequences and results into state")
struct UpdateTests {
    @Test("a fresh console asks for queues and stats, then polls on ticks but never twice at once")
    func polling() {
        #expect(ConsoleState.startEffects == [.loadQueues, .loadStats])
        var state = ConsoleState(backendLabel: "x", now: Fixtures.now, size: .comfortable)
        #expect(state.apply(.tick(Fixtures.now)) == [.loadStats])
        #expect(state.apply(.tick(Fixtures.now + .milliseconds(500))) == [])
        _ = state.apply(.statsLoaded(Fixtures.report()))
        #expect(state.apply(.tick(Fixtures.now + .seconds(1))) == [.loadStats])
        _ = state.apply(.failed(.loadStats, SluiceError(.remote, "timed out")))
        #expect(state.apply(.tick(Fixtures.now + .seconds(2))).contains(.loadStats))
        #expect(state.notice?.level == .error)
        #expect(state.notice?.text.contains("loading the stats failed: timed out") == true)
    }

    @Test("j/k move over queues and stop at the ends")
    func dashboardCursor() {
        var state = Fixtures.dashboard()
        _ = press(&state, [.char("k"), .char("j"), .char("j"), .down])
        #expect(state.dashboard.selected == 3)
        _ = press(&state, [.char("G"), .char("j")])
        #expect(state.dashboard.selected == 4)
        _ = press(&state, [.char("g")])
        #expect(state.dashboard.selected == 0)
    }

    @Test("enter on a source queue opens its DLQ and asks for facets and the first page")
    func openDLQ() {
        var state = Fixtures.dashboard()
        let effects = press(&state, [.char("j"), .enter])
        #expect(state.screen == .browser)
        #expect(state.browser?.queue == "orders-dlq")
        #expect(state.browser?.sources == ["orders"])
        #expect(effects == [
            .loadFacets(queue: "orders-dlq", filter: .all, generation: 1),
            .loadPage(queue: "orders-dlq", filter: .all, cursor: nil, page: 0, limit: 100, generation: 1),
        ])
    }

    @Test("enter on a queue without a DLQ says so and stays")
    func openNonDLQ() {
        var state = Fixtures.dashboard()
        #expect(press(&state, [.enter]).isEmpty)
        #expect(state.screen == .dashboard)
        #expect(state.notice?.text == "notifications is not a dead-letter queue and has none")
    }

    @Test("/ edits the filter: typed text becomes types and ages, and the list reloads")
    func filterEditing() {
        var state = Fixtures.browser()
        _ = press(&state, [.char("/")])
        #expect(state.editor?.purpose == .dlqFilter)
        let effects = press(&state, Key.typing("timeout >5m") + [.enter])
        #expect(state.editor == nil)
        let expected = MessageFilter(errorTypes: ["Timeout"], minAge: .minutes(5))
        #expect(state.browser?.filter == expected)
        #expect(state.browser?.pages.isEmpty == true)
        #expect(effects == [
            .loadFacets(queue: "orders-dlq", filter: MessageFilter(minAge: .minutes(5)), generation: 2),
            .loadPage(queue: "orders-dlq", filter: expected, cursor: nil, page: 0, limit: 100, generation: 2),
        ])
        #expect(state.notice?.text == "filter: Timeout >5m")
    }

    @Test("a bad filter stays in the editor with the reason; esc leaves the old filter")
    func badFilterStays() {
        var state = Fixtures.browser()
        let effects = press(&state, [.char("/")] + Key.typing(">5 parsecs") + [.enter])
        #expect(effects.isEmpty)
        #expect(state.editor?.problem?.contains("'5' is not a duration") == true)
        _ = press(&state, [.escape])
        #expect(state.editor == nil)
        #expect(state.browser?.filter == .all)
        #expect(state.screen == .browser)
    }

    @Test("line editing: backspace, cursor moves, ctrl-u and ctrl-w")
    func lineEditor() {
        var field = LineEditor(purpose: .dlqFilter, text: "Timeout")
        for key in [Key.backspace, .left, .left, .char("X"), .home, .char(">"), .end, .char("!")] { _ = field.handle(key) }
        #expect(field.text == ">TimeXou!")
        _ = field.handle(.ctrl("w"))
        #expect(field.text == "")
        field = LineEditor(purpose: .dlqFilter, text: "a b c")
        _ = field.handle(.ctrl("w"))
        #expect(field.text == "a b ")
        _ = field.handle(.ctrl("u"))
        #expect(field.text.isEmpty && field.cursor == 0)
        #expect(field.handle(.enter) == .submitted(""))
    }

    @Test("tab to facets, space toggles an error type into the filter")
    func facetToggle() {
        var state = Fixtures.browser()
        _ = press(&state, [.tab])
        #expect(state.browser?.focus == .facets)
        let effects = press(&state, [.char("j"), .char(" ")])
        #expect(state.browser?.filter.errorTypes == ["ValidationError"])
        #expect(effects.count == 2)
        _ = press(&state, [.enter])
        #expect(state.browser?.filter.errorTypes.isEmpty == true)
    }

    @Test("space marks messages and moves down; u unmarks all")
    func marking() {
        var state = Fixtures.browser()
        _ = press(&state, [.char(" "), .char(" "), .char("k"), .char(" ")])
        #expect(state.browser?.marked == [Fixtures.summary(0).id])
        #expect(state.browser?.cursor == 2)
        _ = press(&state, [.char("u")])
        #expect(state.browser?.marked.isEmpty == true)
    }

    @Test("enter opens the message, esc goes back to the list with the cursor kept")
    func openMessage() {
        var state = Fixtures.browser()
        let effects = press(&state, [.char("j"), .char("j"), .enter])
        #expect(state.screen == .message)
        #expect(effects == [.loadMessage(queue: "orders-dlq", id: Fixtures.summary(2).id)])
        _ = state.apply(.messageLoaded(queue: "orders-dlq", id: Fixtures.summary(2).id, Fixtures.message(body: Fixtures.orderBody)))
        #expect(state.detail?.bodyKind == "JSON")
        _ = press(&state, [.char("x")])
        #expect(state.detail?.bodyKind == "hex")
        _ = press(&state, [.escape])
        #expect(state.screen == .browser)
        #expect(state.browser?.cursor == 2)
        _ = press(&state, [.escape])
        #expect(state.screen == .dashboard)
    }

    @Test("a message that is gone is shown as gone")
    func missingMessage() {
        var state = Fixtures.browser()
        _ = press(&state, [.enter])
        _ = state.apply(.messageLoaded(queue: "orders-dlq", id: Fixtures.summary(0).id, nil))
        #expect(state.detail?.isMissing == true)
    }

    @Test("answers for an old filter are dropped")
    func staleAnswers() {
        var state = Fixtures.browser()
        _ = press(&state, [.char("/")] + Key.typing("Timeout") + [.enter])
        _ = state.apply(.pageLoaded(queue: "orders-dlq", generation: 1, page: 0, messages: [Fixtures.summary(0, type: "Unknown")], nextCursor: nil))
        _ = state.apply(.facetsLoaded(queue: "orders-dlq", generation: 1, FacetCounts(counts: ["Unknown": 1])))
        #expect(state.browser?.pages.isEmpty == true)
        #expect(state.browser?.facets == Fixtures.facets)
    }

    @Test("scrolling pages in only what is near the cursor and forgets far pages")
    func paging() {
        var state = Fixtures.browser()
        var b = state.browser!
        #expect(b.reachableRows == 200)
        // Near the end of page 0 the next page is requested once.
        var effects = b.move(by: 85)
        #expect(effects == [.loadPage(queue: "orders-dlq", filter: .all, cursor: "c100", page: 1, limit: 100, generation: 1)])
        #expect(b.move(by: 1).isEmpty)
        for page in 1...6 {
            _ = b.receive(page: page, messages: (0..<100).map { Fixtures.summary(page * 100 + $0) }, nextCursor: "c\((page + 1) * 100)")
            effects = b.move(by: 100)
        }
        #expect(b.cursor == 686)
        #expect(b.pages.keys.sorted() == [4, 5, 6])
        #expect(b.row(686)?.id == Fixtures.summary(686).id)
        // Back to the top: page 0 is reloaded from its remembered start.
        effects = b.move(by: -1000)
        #expect(b.cursor == 0)
        #expect(effects == [.loadPage(queue: "orders-dlq", filter: .all, cursor: nil, page: 0, limit: 100, generation: 1)])
        // The last page tells the real count.
        _ = b.receive(page: 7, messages: (0..<30).map { Fixtures.summary(700 + $0) }, nextCursor: nil)
        #expect(b.endRowCount == 730)
        _ = b.move(by: 10_000)
        #expect(b.cursor == 729)
        state.browser = b
    }

    @Test("q quits at once, or asks first while a redrive runs")
    func quit() {
        var state = Fixtures.dashboard()
        #expect(press(&state, [.char("q")]) == [.quit])
        var busy = Fixtures.progress()
        #expect(busy.runningJobs == 1)
        #expect(press(&busy, [.char("q")]).isEmpty)
        #expect(busy.confirmingQuit)
        #expect(press(&busy, [.char("n")]).isEmpty)
        #expect(!busy.confirmingQuit)
        #expect(press(&busy, [.char("q"), .char("y")]) == [.quit])
    }

    @Test("q in a text field types q")
    func qInEditor() {
        var state = Fixtures.browser()
        #expect(press(&state, [.char("/"), .char("q")]).isEmpty)
        #expect(state.editor?.text == "q")
    }

    @Test("? opens help on every screen and any key closes it", arguments: [Screen.dashboard, .browser, .message, .journal, .redrive, .progress])
    func help(screen: Screen) {
        var state: ConsoleState
        switch screen {
        case .dashboard: state = Fixtures.dashboard()
        case .browser: state = Fixtures.browser()
        case .message: state = Fixtures.detail(body: Fixtures.orderBody)
        case .journal: state = Fixtures.journalScreen()
        case .redrive: state = Fixtures.dialog()
        case .progress: state = Fixtures.progress()
        }
        #expect(state.screen == screen)
        _ = press(&state, [.char("?")])
        #expect(state.showsHelp)
        #expect(Console.view(state, size: .comfortable).text.contains("Help"))
        _ = press(&state, [.char("j")])
        #expect(!state.showsHelp)
        #expect(state.screen == screen)
    }

    @Test("read-only refuses a redrive with a visible reason")
    func readOnly() {
        var state = Fixtures.dashboard(readOnly: true)
        _ = press(&state, [.char("j"), .enter, .char("R")])
        #expect(state.notice?.text.contains("read-only console: redrive refused") == true)
        #expect(state.redriveDialog == nil && state.screen == .browser)
        #expect(Console.view(state, size: .comfortable).text.contains("READ-ONLY"))
    }

    @Test("a termination signal quits")
    func terminate() {
        var state = Fixtures.dashboard()
        #expect(state.apply(.terminate(signal: 15)) == [.quit])
        #expect(state.isQuitting)
    }

    @Test("alarm transitions and DLQ growth land in recent events")
    func events() {
        var state = Fixtures.dashboard()
        #expect(state.events.last?.text.hasPrefix("alarm orders-dlq-not-empty: INSUFFICIENT_DATA → ALARM") == true)
        var grown = Fixtures.report(at: Fixtures.now + .seconds(1))
        grown.readouts[2].stats.visible += 5
        _ = state.apply(.statsLoaded(grown))
        #expect(state.events.last?.text == "orders-dlq +5 (depth 1245)")
    }

    @Test("J opens the journal newest first; / narrows it")
    func journal() {
        var state = Fixtures.dashboard()
        #expect(press(&state, [.char("J")]) == [.loadJournal(limit: JournalState.limit)])
        _ = state.apply(.journalLoaded(Fixtures.journal))
        #expect(state.journal.entries.first?.seq == 4)
        _ = press(&state, [.char("/")] + Key.typing("queue.create") + [.enter])
        #expect(state.journal.visible.map(\.seq) == [2, 1])
    }

    @Test("resize changes the size the view uses")
    func resize() {
        var state = Fixtures.dashboard()
        _ = state.apply(.resize(Size(width: 120, height: 40)))
        #expect(state.size == Size(width: 120, height: 40))
    }
}
