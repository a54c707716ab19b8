import SluiceConsole
import SluiceCore
import Testing

/// Every screen at 80x24 and 200x50 against golden files in `Snapshots/`.
@Suite("view: golden snapshots")
struct ViewSnapshotTests {
    static let sizes: [Size] = [.comfortable, Size(width: 200, height: 50)]

    static func name(_ base: String, _ size: Size) -> String { "\(base)-\(size.width)x\(size.height)" }

    @Test("dashboard", arguments: sizes)
    func dashboard(size: Size) {
        Snapshot.check(Console.view(Fixtures.dashboard(size: size), size: size), Self.name("dashboard", size))
    }

    @Test("dashboard before any data", arguments: sizes)
    func emptyDashboard(size: Size) {
        let state = ConsoleState(backendLabel: "embedded /tmp/empty.sluice", now: Fixtures.now, size: size)
        Snapshot.check(Console.view(state, size: size), Self.name("dashboard-empty", size))
    }

    @Test("DLQ browser", arguments: sizes)
    func browser(size: Size) {
        var state = Fixtures.browser(size: size)
        _ = press(&state, [.char(" "), .char("j")])
        Snapshot.check(Console.view(state, size: size), Self.name("browser", size))
    }

    @Test("DLQ browser editing a filter, facets focused", arguments: sizes)
    func browserFilter(size: Size) {
        var state = Fixtures.browser(size: size)
        _ = press(&state, [.tab, .char("j"), .char(" ")])
        _ = state.apply(.facetsLoaded(queue: "orders-dlq", generation: state.browser!.generation, Fixtures.facets))
        _ = state.apply(.pageLoaded(queue: "orders-dlq", generation: state.browser!.generation, page: 0,
                                    messages: (0..<3).map { Fixtures.summary($0 * 5 + 1) }, nextCursor: nil))
        _ = press(&state, [.char("/"), .end] + Key.typing(" >5m"))
        Snapshot.check(Console.view(state, size: size), Self.name("browser-filter", size))
    }

    @Test("DLQ browser with nothing matching", arguments: sizes)
    func browserEmpty(size: Size) {
        var state = Fixtures.browser(size: size)
        _ = press(&state, [.char("/")] + Key.typing("Nope") + [.enter])
        _ = state.apply(.pageLoaded(queue: "orders-dlq", generation: state.browser!.generation, page: 0, messages: [], nextCursor: nil))
        Snapshot.check(Console.view(state, size: size), Self.name("browser-empty", size))
    }

    @Test("message detail with a JSON body", arguments: sizes)
    func detailJSON(size: Size) {
        Snapshot.check(Console.view(Fixtures.detail(body: Fixtures.orderBody, size: size), size: size), Self.name("message-json", size))
    }

    @Test("message detail with a binary body", arguments: sizes)
    func detailBinary(size: Size) {
        Snapshot.check(Console.view(Fixtures.detail(body: Fixtures.binaryBody, size: size), size: size), Self.name("message-binary", size))
    }

    @Test("message detail with a hostile text body", arguments: sizes)
    func detailHostile(size: Size) {
        let body = Array("注文 ok\u{1B}]0;pwned\u{07} \u{202E}evil\u{202C} 🔥\ttab\r\nnext line".utf8) + [0xC3]
        Snapshot.check(Console.view(Fixtures.detail(body: body, size: size), size: size), Self.name("message-hostile", size))
    }

    @Test("journal", arguments: sizes)
    func journal(size: Size) {
        Snapshot.check(Console.view(Fixtures.journalScreen(size: size), size: size), Self.name("journal", size))
    }

    @Test("help on the DLQ browser", arguments: sizes)
    func help(size: Size) {
        var state = Fixtures.browser(size: size)
        _ = press(&state, [.char("?")])
        Snapshot.check(Console.view(state, size: size), Self.name("help-browser", size))
    }

    @Test("read-only dashboard with a refusal", arguments: sizes)
    func readOnly(size: Size) {
        var state = Fixtures.dashboard(size: size, readOnly: true)
        _ = press(&state, [.char("R")])
        Snapshot.check(Console.view(state, size: size), Self.name("dashboard-readonly", size))
    }

    @Test("redrive dialog: runbooks, the plan beside the runbook's prose", arguments: sizes)
    func redriveDialog(size: Size) {
        Snapshot.check(Console.view(Fixtures.dialog(size: size), size: size), Self.name("redrive-plan", size))
    }

    @Test("redrive dialog: typing the move count after the acknowledgement", arguments: sizes)
    func redriveConfirm(size: Size) {
        var state = Fixtures.dialog(size: size)
        _ = press(&state, [.enter] + Key.typing("payments API restored at 10:42\n5"))
        Snapshot.check(Console.view(state, size: size), Self.name("redrive-confirm", size))
    }

    @Test("redrive progress: bar, counts, countdown, guards", arguments: sizes)
    func redriveProgress(size: Size) {
        Snapshot.check(Console.view(Fixtures.progress(size: size), size: size), Self.name("redrive-progress", size))
    }

    @Test("dashboard with a running redrive job", arguments: sizes)
    func dashboardWithJob(size: Size) {
        var state = Fixtures.progress(size: size)
        _ = press(&state, [.char("D")])
        Snapshot.check(Console.view(state, size: size), Self.name("dashboard-job", size))
    }

    @Test("too small: the most important panel and a warning", arguments: [Size(width: 60, height: 20), Size(width: 20, height: 8)])
    func tooSmall(size: Size) {
        Snapshot.check(Console.view(Fixtures.dashboard(size: size), size: size), Self.name("too-small-dashboard", size))
        Snapshot.check(Console.view(Fixtures.browser(size: size), size: size), Self.name("too-small-browser", size))
    }

    @Test("every screen draws at every small size without crashing")
    func tinySizes() {
        let states = [Fixtures.dashboard(), Fixtures.browser(), Fixtures.detail(body: Fixtures.orderBody), Fixtures.journalScreen(),
                      { var s = Fixtures.browser(); _ = press(&s, [.char("?")]); return s }(),
                      { var s = Fixtures.browser(); _ = press(&s, [.char("/")]); return s }(),
                      Fixtures.dialog(), Fixtures.progress(),
                      { var s = Fixtures.dialog(); _ = press(&s, [.enter]); return s }(),
                      { var s = Fixtures.progress(); _ = press(&s, [.char("a")]); return s }()]
        for state in states {
            for width in [0, 1, 2, 5, 9, 10, 19, 20, 40, 79, 80, 81] {
                for height in [0, 1, 2, 3, 7, 8, 23, 24, 25] {
                    let frame = Console.view(state, size: Size(width: width, height: height))
                    #expect(frame.size == Size(width: width, height: height))
                    if width >= 20 && height >= 1 && (width < 80 || height < 24) {
                        #expect(frame.lines()[0].hasPrefix("terminal too small"))
                    }
                }
            }
        }
    }

    @Test("the view is pure: the same state draws the same frame")
    func pure() {
        let state = Fixtures.browser()
        #expect(Console.view(state, size: .comfortable) == Console.view(state, size: .comfortable))
    }

    @Test("states read without colour: ALARM is bold and reversed, the selection reversed")
    func monochrome() {
        let frame = Console.view(Fixtures.dashboard(), size: .comfortable)
        var alarms = 0
        for y in 0..<frame.size.height {
            for x in 0..<(frame.size.width - 5) {
                let word = (0..<5).map { frame[x + $0, y].symbol }.joined()
                if word == "ALARM" && frame[x, y].style.attributes.isSuperset(of: [.bold, .reverse]) { alarms += 1 }
            }
        }
        #expect(alarms == 2)
        let selectedRow = frame.lines().firstIndex { $0.contains("› notifications") }
        #expect(selectedRow != nil)
        if let y = selectedRow { #expect(frame[3, y].style.attributes.contains(.reverse)) }
    }
}
