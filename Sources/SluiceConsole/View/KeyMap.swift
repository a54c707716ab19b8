/// The keys of each screen, for the hint line and the help overlay.
enum KeyMap {
    static let global: [KeyHint] = [
        KeyHint("?", "help"), KeyHint("q", "quit"), KeyHint("esc", "back"), KeyHint("D", "dashboard"),
        KeyHint("J", "journal"), KeyHint("ctrl-l", "redraw"),
    ]

    /// Every key of `screen`, for help.
    static func keys(for screen: Screen) -> [KeyHint] {
        switch screen {
        case .dashboard:
            return [KeyHint("j/k ↑/↓", "select a queue"), KeyHint("g/G", "first/last queue"),
                    KeyHint("enter", "open the DLQ (or the queue's DLQ)"), KeyHint("r", "refresh now"),
                    KeyHint("R", "redrive (not in this build)")]
        case .browser:
            return [KeyHint("tab h/l", "switch facets/messages"), KeyHint("j/k ↑/↓", "move"),
                    KeyHint("pgup/pgdn", "page"), KeyHint("g/G", "first/last"),
                    KeyHint("space", "facets: toggle type; messages: mark"), KeyHint("enter", "facets: toggle type; messages: open"),
                    KeyHint("/", "filter: Timeout >5m <3d"), KeyHint("c", "clear the filter"), KeyHint("u", "unmark all"),
                    KeyHint("r", "refresh now"), KeyHint("R", "redrive (not in this build)")]
        case .message:
            return [KeyHint("j/k ↑/↓", "scroll"), KeyHint("pgup/pgdn space", "page"), KeyHint("g/G", "top/bottom"),
                    KeyHint("x", "body as hex / text"), KeyHint("r", "reload"), KeyHint("h ←", "back to the list")]
        case .journal:
            return [KeyHint("j/k ↑/↓", "move"), KeyHint("pgup/pgdn", "page"), KeyHint("g/G", "newest/oldest"),
                    KeyHint("/", "filter by text"), KeyHint("r", "reload")]
        }
    }

    /// The short hints of the status line.
    static func hints(for screen: Screen) -> [KeyHint] {
        switch screen {
        case .dashboard:
            return [KeyHint("enter", "open DLQ"), KeyHint("j/k", "move"), KeyHint("J", "journal"), KeyHint("?", "help"), KeyHint("q", "quit")]
        case .browser:
            return [KeyHint("/", "filter"), KeyHint("tab", "facets"), KeyHint("enter", "open"), KeyHint("space", "mark"),
                    KeyHint("esc", "back"), KeyHint("?", "help"), KeyHint("q", "quit")]
        case .message:
            return [KeyHint("j/k", "scroll"), KeyHint("x", "hex"), KeyHint("esc", "back"), KeyHint("?", "help"), KeyHint("q", "quit")]
        case .journal:
            return [KeyHint("/", "filter"), KeyHint("j/k", "move"), KeyHint("esc", "back"), KeyHint("?", "help"), KeyHint("q", "quit")]
        }
    }
}
