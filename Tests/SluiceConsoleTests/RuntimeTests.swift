import SluiceConsole
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// The console loop against a real embedded store and an in-memory terminal.
@Suite("runtime: the loop, the effect runner, paging", .serialized)
struct RuntimeTests {
    static func makeStore(dlqMessages: Int = 0) throws -> TemporaryStore {
        let temp = try TemporaryStore()
        try temp.store.createQueue(QueueSpec(name: "orders-dlq"))
        try temp.store.createQueue(QueueSpec(name: "orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)))
        var sent = 0
        while sent < dlqMessages {
            let n = min(10, dlqMessages - sent)
            let entries = (0..<n).map { i in
                SendEntry(entryId: String(i), body: Array("{\"n\":\(sent + i)}".utf8),
                          attributes: ["errorType": .string((sent + i) % 3 == 0 ? "Timeout" : "ValidationError")])
            }
            _ = try temp.store.send(to: "orders-dlq", entries: entries)
            temp.clock.advance(by: .seconds(1))
            sent += n
        }
        return temp
    }

    /// Long enough for a loaded 2-core machine running the whole suite; every wait returns as
    /// soon as its condition holds.
    static let patience = Duration.seconds(90)

    static func startApp(_ temp: TemporaryStore, terminal: InMemoryTerminal, redrive: RedriveServices? = nil,
                         simulation: (any SimulationControl)? = nil) -> (ConsoleApp, Task<ConsoleApp.Exit, Never>) {
        let backend = LocalBackend(store: temp.store)
        let state = ConsoleState(backendLabel: backend.label, now: temp.clock.now(), size: terminal.size)
        let app = ConsoleApp(state: state, device: terminal, backend: backend,
                             journal: { limit in Array(try temp.store.journal().suffix(limit)) },
                             redrive: redrive, simulation: simulation,
                             options: .init(tickInterval: .milliseconds(100)))
        return (app, Task { await app.run() })
    }

    /// Polls the app's state until `condition` holds or ``patience`` runs out.
    static func waitFor(_ app: ConsoleApp, _ condition: @Sendable (ConsoleState) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        while clock.now < deadline {
            if condition(await app.currentState) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(await app.currentState)
    }

    @Test("keys drive the console end to end: dashboard, DLQ, filter, message, journal, quit")
    func endToEndInMemory() async throws {
        let temp = try Self.makeStore(dlqMessages: 30)
        // Wide enough for the REDRIVE column, which narrower terminals drop first.
        let terminal = InMemoryTerminal(size: Size(width: 160, height: 40))
        let (_, run) = Self.startApp(temp, terminal: terminal)
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("orders-dlq") && $0.contains("DLQ of orders") })
        terminal.send([.char("j"), .enter])
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("[ ] Timeout") && $0.contains("30 messages") })
        terminal.send([.char("/")] + Key.typing("Timeout") + [.enter])
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("10 of 30 match") && $0.contains("1/10") && $0.contains("{\"n\":") && !$0.contains("loading…") })
        // Message rows show the body preview; none of them may be a ValidationError now.
        // The list is the panel right of the facets (which still name every type).
        let rows = terminal.text.split(separator: "\n").compactMap { $0.split(separator: "││").last }.filter { $0.contains("{\"n\":") }
        #expect(rows.count == 10, "\(terminal.text)")
        #expect(rows.allSatisfy { $0.contains("Timeout") && !$0.contains("ValidationE") }, "\(rows.joined(separator: "\n"))")
        terminal.send([.enter])
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("\"n\": 0") && $0.contains("Timeout") })
        terminal.send([.char("J")])
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("queue.create") })
        terminal.send([.char("q")])
        #expect(await run.value == .quit)
    }

    @Test("a resize storm ends with a correct frame at the final size")
    func resizeStorm() async throws {
        let temp = try Self.makeStore(dlqMessages: 5)
        let terminal = InMemoryTerminal(size: .comfortable)
        let (_, run) = Self.startApp(temp, terminal: terminal)
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("orders-dlq") })
        var rng = SplitMix64(seed: 9)
        for _ in 0..<60 {
            terminal.send(.resize(Size(width: Int(rng.next() % 220), height: Int(rng.next() % 70))))
        }
        terminal.send(.resize(Size(width: 100, height: 30)))
        #expect(await terminal.waitUntil(timeout: Self.patience) { _ in terminal.current?.size == Size(width: 100, height: 30) })
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("Queues (2)") && $0.contains("Recent events") })
        let lines = terminal.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 30)
        #expect(lines.last?.contains("q quit") == true)
        terminal.send(.signal(15))
        #expect(await run.value == .signal(15))
    }

    @Test("frames are capped and identical frames skipped: an idle console draws rarely")
    func frameCap() async throws {
        let temp = try Self.makeStore()
        let terminal = InMemoryTerminal(size: .comfortable)
        let (app, run) = Self.startApp(temp, terminal: terminal)
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("orders-dlq") })
        #expect(await Self.waitFor(app) { $0.report != nil && !$0.queues.isEmpty })
        // A burst of 501 keys that change the selection: drawn at most 20 times a second, so in
        // far fewer frames than keys however slowly the machine works through them.
        let before = terminal.presentedFrames
        let started = ContinuousClock.now
        terminal.send(Array(repeating: [Key.char("j"), .char("k")], count: 250).flatMap { $0 } + [.char("j")])
        #expect(await Self.waitFor(app) { $0.dashboard.selected == 1 })
        #expect(await terminal.waitUntil(timeout: Self.patience) { $0.contains("› orders-dlq") })
        let elapsed = ContinuousClock.now - started
        let burst = terminal.presentedFrames - before
        let allowed = Int((elapsed / .seconds(1)) * 20) + 3
        #expect(burst <= allowed, "\(burst) frames in \(elapsed) (cap 20/s)")
        #expect(burst < 100)
        // Idle on a virtual clock nothing changes: ten ticks (each polling stats) draw at most
        // a frame or two, because identical frames are skipped.
        let idleStart = terminal.presentedFrames
        let ticks = await app.currentState.ticks
        #expect(await Self.waitFor(app) { $0.ticks >= ticks + 10 })
        #expect(terminal.presentedFrames - idleStart <= 2)
        #expect(await app.framesDrawn == terminal.presentedFrames)
        terminal.send([.char("q")])
        #expect(await run.value == .quit)
    }

    @Test("the effect runner pages a large DLQ a hundred at a time")
    func pagedLoading() async throws {
        let temp = try Self.makeStore(dlqMessages: 1_050)
        let runner = EffectRunner(backend: LocalBackend(store: temp.store), journal: nil, post: { _ in })
        let event = try await runner.run(.loadPage(queue: "orders-dlq", filter: .all, cursor: nil, page: 0, limit: BrowserState.pageSize, generation: 1))
        guard case .pageLoaded(_, _, _, let messages, let next)? = event else {
            Issue.record("expected a page, got \(String(describing: event))")
            return
        }
        #expect(messages.count == 100)
        #expect(next != nil)
        var state = ConsoleState(backendLabel: "x", now: temp.clock.now(), size: .comfortable)
        _ = state.apply(.queuesLoaded(try temp.store.listQueues()))
        _ = state.apply(.key(.enter))
        _ = state.apply(event!)
        var loadedPages = 1
        // Walk to the very end: every effect is one page, and memory holds at most five.
        while state.browser!.endRowCount == nil {
            for effect in state.apply(.key(.pageDown)) {
                guard case .loadPage = effect else { continue }
                let result = try await runner.run(effect)!
                loadedPages += 1
                _ = state.apply(result)
            }
            #expect(state.browser!.pages.count <= 5)
        }
        #expect(state.browser!.endRowCount == 1_050)
        #expect(loadedPages == 11)
    }

    @Test("stats go through the monitor: rates, sparkline history and default alarms")
    func statsReport() async throws {
        let temp = try Self.makeStore(dlqMessages: 10)
        let runner = EffectRunner(backend: LocalBackend(store: temp.store), journal: nil, post: { _ in })
        guard case .queuesLoaded(let queues)? = try await runner.run(.loadQueues) else { Issue.record("no queues"); return }
        #expect(queues.count == 2)
        var last: MonitorReport?
        for second in 0..<5 {
            _ = try temp.store.send(to: "orders", entries: (0..<10).map { SendEntry(entryId: String($0), body: Array("x\(second)".utf8)) })
            temp.clock.advance(by: .seconds(1))
            if case .statsLoaded(let report)? = try await runner.run(.loadStats) { last = report }
        }
        let report = try #require(last)
        let orders = try #require(report.readouts.first { $0.stats.queue == "orders" })
        #expect(orders.stats.visible == 50)
        #expect((orders.inRate ?? 0) > 5)
        #expect(orders.depthHistory.contains { $0 > 0 })
        #expect(report.alarms.map(\.name).contains("orders-dlq-not-empty"))
    }

    @Test("a failing backend call becomes a visible error, not a crash")
    func failures() async throws {
        let temp = try Self.makeStore()
        let runner = EffectRunner(backend: LocalBackend(store: temp.store), journal: nil, post: { _ in })
        await #expect(throws: SluiceError.self) {
            _ = try await runner.run(.loadFacets(queue: "missing-dlq", filter: .all, generation: 1))
        }
        await #expect(throws: SluiceError.self) {
            _ = try await runner.run(.loadJournal(limit: 10))
        }
    }
}
