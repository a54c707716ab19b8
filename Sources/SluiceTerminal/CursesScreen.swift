import CNcursesw
import SluiceConsole
import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The curses screen itself. Every method runs on the one curses thread owned by
/// ``CursesTerminal``: curses is not thread-safe, so nothing else ever calls it.
final class CursesScreen {
    private(set) var size = Size(width: 0, height: 0)
    private var shown: Frame?
    private var usesColor = false
    private var isUTF8 = true
    private var pairs: [Int: Int16] = [:]
    private var isOpen = false
    private var handle: OpaquePointer?

    /// Starts curses: locale first, then the terminal, raw keys, colours when allowed.
    /// - Throws: ``SluiceError`` when standard input/output is not a usable terminal.
    func open(environment: [String: String]) throws {
        // Curses needs the locale before it starts, or wide characters come out as bytes.
        setlocale(LC_ALL, "")
        if sluice_locale_is_utf8() == 0 && ["LC_ALL", "LC_CTYPE", "LANG"].allSatisfy({ (environment[$0] ?? "").isEmpty }) {
            // No locale configured at all (containers, CI): assume the UTF-8 almost every
            // terminal speaks rather than drawing boxes as '?'.
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        isUTF8 = sluice_locale_is_utf8() != 0
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw SluiceError.badInput("the console needs a terminal, but standard input or output is not one", fix: "run it in a terminal, or use 'sluice status' / 'sluice dlq list' in scripts")
        }
        TerminalSignals.saveTerminalModes()
        handle = sluice_newterm()
        guard handle != nil else {
            let term = environment["TERM"] ?? "(unset)"
            throw SluiceError.badInput("cannot open the terminal: TERM=\(term) is unknown to curses", fix: "set TERM to one your system knows, e.g. TERM=xterm-256color or TERM=vt100")
        }
        isOpen = true
        raw()
        noecho()
        nonl()
        keypad(sluice_stdscr(), true)
        nodelay(sluice_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if !noColor && sluice_has_colors() != 0 {
            start_color()
            use_default_colors()
            usesColor = sluice_colors() >= 8 && sluice_color_pairs() > 16
        }
        var leave: [UInt8] = []
        for cap in ["sgr0", "cnorm", "rmcup"] {
            if let s = sluice_tigetstr(cap) { leave += Array(String(cString: s).utf8) }
        }
        leave += Array("\r\n".utf8)
        TerminalSignals.setRestoreSequence(leave)
        size = currentSize()
    }

    /// Leaves curses and gives the terminal back as it was.
    func close() {
        guard isOpen else { return }
        isOpen = false
        curs_set(1)
        endwin()
        if let handle { delscreen(handle) }
        handle = nil
    }

    /// The size curses works with.
    private func currentSize() -> Size {
        var rows: Int32 = 0, cols: Int32 = 0
        sluice_getmaxyx(sluice_stdscr(), &rows, &cols)
        return Size(width: Int(cols), height: Int(rows))
    }

    /// Follows the kernel's idea of the terminal size; returns the new size when it changed.
    func syncSize() -> Size? {
        var rows: Int32 = 0, cols: Int32 = 0
        guard sluice_tty_size(STDOUT_FILENO, &rows, &cols) == 0 else { return nil }
        let kernel = Size(width: Int(cols), height: Int(rows))
        guard kernel != size else { return nil }
        resizeterm(rows, cols)
        size = currentSize()
        shown = nil
        return size
    }

    /// Reads every key waiting, without blocking.
    func readKeys() -> [Key] {
        var keys: [Key] = []
        var ch: wint_t = 0
        while true {
            let rc = sluice_get_wch(&ch)
            if rc == sluice_err() { break }
            if rc == sluice_key_code_yes() {
                if let key = CursesKeys.key(code: Int32(ch)) { keys.append(key) }
            } else if let key = CursesKeys.key(character: UInt32(ch)) {
                keys.append(key)
            }
            if keys.count > 256 { break }
        }
        return keys
    }

    /// Writes what changed since the last frame (everything when `full`).
    func draw(_ frame: Frame, full: Bool) {
        let diff = FrameDiff.between(full ? nil : shown, frame)
        if diff.isFull {
            werase(sluice_stdscr())
            if full { clearok(sluice_curscr(), true) }
        }
        for run in diff.runs {
            for (offset, cell) in run.cells.enumerated() where !cell.isContinuation {
                put(cell, x: run.x + offset, y: run.y)
            }
        }
        wnoutrefresh(sluice_stdscr())
        doupdate()
        shown = frame
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        guard x < size.width, y < size.height else { return }
        let (attrs, pair) = attributes(cell.style)
        var chars: [wchar_t] = []
        if isUTF8 {
            let scalars = Array(cell.symbol.unicodeScalars)
            let first = scalars.first ?? " "
            let width = sluice_wcwidth(wchar_t(bitPattern: first.value))
            if width < 1 || (width == 2) != cell.isWide {
                // Curses and this terminal disagree with the frame: draw something of the
                // width the frame planned so the rest of the row stays aligned.
                chars = cell.isWide ? [wchar_t(63), wchar_t(32)] : [wchar_t(63)]
            } else {
                chars.append(wchar_t(bitPattern: first.value))
                // Only zero-width followers (accents, variation selectors) join the cell.
                for s in scalars.dropFirst() where sluice_wcwidth(wchar_t(bitPattern: s.value)) == 0 {
                    chars.append(wchar_t(bitPattern: s.value))
                }
            }
        } else {
            let ascii = GlyphFallback.ascii(cell.symbol)
            chars = [wchar_t(ascii.asciiValue ?? 63)]
            if cell.isWide { chars.append(wchar_t(32)) }
        }
        chars.withUnsafeBufferPointer { buffer in
            _ = sluice_put(Int32(y), Int32(x), buffer.baseAddress, Int32(buffer.count), attrs, pair)
        }
    }

    private func attributes(_ style: Style) -> (attr_t, Int16) {
        var attrs = sluice_a_normal()
        if style.attributes.contains(.bold) { attrs |= sluice_a_bold() }
        if style.attributes.contains(.dim) { attrs |= sluice_a_dim() }
        if style.attributes.contains(.reverse) { attrs |= sluice_a_reverse() }
        if style.attributes.contains(.underline) { attrs |= sluice_a_underline() }
        guard usesColor, style.foreground != nil || style.background != nil else { return (attrs, 0) }
        return (attrs, pair(style.foreground, style.background))
    }

    /// The colour pair for a combination, created on first use.
    private func pair(_ fg: ConsoleColor?, _ bg: ConsoleColor?) -> Int16 {
        let key = Int(fg.map { $0.rawValue + 1 } ?? 0) * 16 + Int(bg.map { $0.rawValue + 1 } ?? 0)
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < sluice_color_pairs() else { return 0 }
        init_pair(number, fg.map(color) ?? -1, bg.map(color) ?? -1)
        pairs[key] = number
        return number
    }

    private func color(_ c: ConsoleColor) -> Int16 {
        switch c {
        case .black: sluice_color_black()
        case .red: sluice_color_red()
        case .green: sluice_color_green()
        case .yellow: sluice_color_yellow()
        case .blue: sluice_color_blue()
        case .magenta: sluice_color_magenta()
        case .cyan: sluice_color_cyan()
        case .white: sluice_color_white()
        }
    }
}
