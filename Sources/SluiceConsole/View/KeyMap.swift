/// The keys of each screen, for the hint line and the help overlay.
enum KeyMap {
    static let global: [KeyHint] = [
        KeyHint("?", "help"), KeyHint("q", "quit"), KeyHint("esc", "back"), KeyHint("D", "dashboard"),
        KeyHint("J", "journal"), KeyHint("w", "redrive progress"), KeyHint("ctrl-l", "redraw"),
    ]

    /// Keys of a simulation's virtual time (shown when one runs).
    static let simulation: [KeyHint] = [
        KeyHint("P", "pause/resume simulated time"), KeyHint(".", "step while paused"),
        KeyHint("< >", "slower/faster (1x, 10x, 60x)"),
    ]

    /// Every key of `screen`, for help.
    static func keys(for screen: Screen) -> [KeyHint] {
        switch screen {
        case .dashboard:
            return [KeyHint("j/k ↑/↓", "select a queue"), KeyHint("g/G", "first/last queue"),
                    KeyHint("enter", "open the DLQ (or the queue's DLQ)"), KeyHint("r", "refresh now"),
                    KeyHint("R", "redrive the queue's DLQ")]
        case .browser:
            return [KeyHint("tab h/l", "switch facets/messages"), KeyHint("j/k ↑/↓", "move"),
                    KeyHint("pgup/pgdn", "page"), KeyHint("g/G", "first/last"),
                    KeyHint("space", "facets: toggle type; messages: mark"), KeyHint("enter", "facets: toggle type; messages: open"),
                    KeyHint("/", "filter: Timeout >5m <3d"), KeyHint("c", "clear the filter"), KeyHint("u", "unmark all"),
                    KeyHint("r", "refresh now"), KeyHint("R", "redrive (the marked messages, else the filter)")]
        case .message:
            return [KeyHint("j/k ↑/↓", "scroll"), KeyHint("pgup/pgdn space", "page"), KeyHint("g/G", "top/bottom"),
                    KeyHint("x", "body as hex / text"), KeyHint("r", "reload"), KeyHint("h ←", "back to the list"),
                    KeyHint("R", "redrive this message")]
        case .journal:
            return [KeyHint("j/k ↑/↓", "move"), KeyHint("pgup/pgdn", "page"), KeyHint("g/G", "newest/oldest"),
                    KeyHint("/", "filter by text"), KeyHint("r", "reload")]
        case .redrive:
            return [KeyHint("j/k ↑/↓", "choose a runbook"), KeyHint("enter", "plan, then confirm"),
                    KeyHint("pgup/pgdn space", "scroll the runbook"), KeyHint("r", "re-read the runbooks"),
                    KeyHint("esc", "cancel (nothing changes before the counts are typed)")]
        case .progress:
            return [KeyHint("p", "pause / resume"), KeyHint("a", "abort (asks first)"), KeyHint("tab n/N", "next/previous job"),
                    KeyHint("esc", "back (the job keeps running)")]
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
        case .redrive:
            return [KeyHint("enter", "plan/confirm"), KeyHint("j/k", "runbook"), KeyHint("pgdn", "scroll"), KeyHint("esc", "cancel"), KeyHint("?", "help")]
        case .progress:
            return [KeyHint("p", "pause/resume"), KeyHint("a", "abort"), KeyHint("tab", "next job"), KeyHint("esc", "back"), KeyHint("?", "help"), KeyHint("q", "quit")]
        }
    }
}
