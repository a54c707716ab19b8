#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signal handling for a console that owns the terminal.
///
/// Termination signals (SIGINT, SIGTERM, SIGHUP) are turned into input so the console leaves
/// cleanly through the curses thread (`endwin`); a second one restores the terminal at once and
/// dies. Crash signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) cannot wait: the
/// handler writes the terminal's "leave" sequences and restores the saved termios with
/// async-signal-safe calls only, then hands the signal to whoever handled it before (the Swift
/// runtime's backtracer or the default action). SIGWINCH only wakes the curses thread.
enum TerminalSignals {
    static let termination: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let crashes: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Everything the handlers touch, allocated once and never freed, so a handler never
    /// allocates, locks or calls into the Swift runtime.
    struct Shared {
        var wakeFD: Int32 = -1
        var pendingSignal: Int32 = 0
        var resizePending: Int32 = 0
        var active: Int32 = 0
        var restoreBytes: UnsafeMutablePointer<UInt8>? = nil
        var restoreCount: Int = 0
        var savedTermios = termios()
        var hasTermios: Int32 = 0
        var previous: UnsafeMutablePointer<sigaction>? = nil
    }

    /// The handlers' state. Written only while no handler is installed; read by handlers.
    nonisolated(unsafe) static let shared: UnsafeMutablePointer<Shared> = {
        let p = UnsafeMutablePointer<Shared>.allocate(capacity: 1)
        p.initialize(to: Shared())
        p.pointee.previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        p.pointee.previous!.initialize(repeating: sigaction(), count: 65)
        return p
    }()

    /// Saves the terminal modes before curses changes them.
    static func saveTerminalModes() {
        let s = shared
        if tcgetattr(STDIN_FILENO, &s.pointee.savedTermios) == 0 { s.pointee.hasTermios = 1 }
    }

    /// Records the bytes that take the terminal out of curses mode (leave the alternate screen,
    /// show the cursor, reset attributes), for the crash path.
    static func setRestoreSequence(_ bytes: [UInt8]) {
        let s = shared
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        buffer.initialize(from: bytes, count: bytes.count)
        s.pointee.restoreBytes = buffer
        s.pointee.restoreCount = bytes.count
    }

    /// Installs the handlers; `wakeFD` is the write end of the curses thread's wake pipe.
    static func install(wakeFD: Int32) {
        let s = shared
        s.pointee.wakeFD = wakeFD
        s.pointee.pendingSignal = 0
        s.pointee.active = 1
        for sig in termination + crashes + [SIGWINCH] {
            var existing = sigaction()
            sigaction(sig, nil, &existing)
            if termination.contains(sig) && isIgnored(existing) {
                // Respect `nohup` and friends: an ignored termination signal stays ignored.
                (s.pointee.previous! + Int(sig)).pointee = existing
                continue
            }
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = terminalSignalHandler
            #else
            action.__sigaction_u.__sa_handler = terminalSignalHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, s.pointee.previous! + Int(sig))
        }
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        #if canImport(Glibc)
        let handler = action.__sigaction_handler.sa_handler
        #else
        let handler = action.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == 1
    }

    /// Puts back the handlers that were there before.
    static func uninstall() {
        let s = shared
        s.pointee.active = 0
        for sig in termination + crashes + [SIGWINCH] {
            sigaction(sig, s.pointee.previous! + Int(sig), nil)
        }
    }

    /// Takes the pending termination signal, if any.
    static func takePendingSignal() -> Int32? {
        let s = shared
        let sig = s.pointee.pendingSignal
        guard sig != 0 else { return nil }
        s.pointee.pendingSignal = -1
        return sig
    }

    /// Takes the pending resize flag.
    static func takeResize() -> Bool {
        let s = shared
        guard s.pointee.resizePending != 0 else { return false }
        s.pointee.resizePending = 0
        return true
    }

    /// Leaves curses mode with async-signal-safe calls only.
    static func emergencyRestore() {
        let s = shared
        guard s.pointee.active != 0 else { return }
        s.pointee.active = 0
        if let bytes = s.pointee.restoreBytes, s.pointee.restoreCount > 0 {
            _ = write(STDOUT_FILENO, bytes, s.pointee.restoreCount)
        }
        if s.pointee.hasTermios != 0 {
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &s.pointee.savedTermios)
        }
    }
}

/// The one handler for every signal the console takes: a plain function so it converts to a C
/// function pointer, touching only ``TerminalSignals/shared``.
private func terminalSignalHandler(_ sig: Int32) {
    let s = TerminalSignals.shared
    var wake: UInt8 = 1
    if sig == SIGWINCH {
        s.pointee.resizePending = 1
        _ = write(s.pointee.wakeFD, &wake, 1)
        return
    }
    if sig == SIGINT || sig == SIGTERM || sig == SIGHUP {
        if s.pointee.pendingSignal == 0 && s.pointee.active != 0 {
            // First time: let the console stop cleanly on its own thread.
            s.pointee.pendingSignal = sig
            _ = write(s.pointee.wakeFD, &wake, 1)
            return
        }
    }
    // A crash, or a second termination signal: restore now, then let the previous handler
    // (or the default action) finish the process.
    TerminalSignals.emergencyRestore()
    sigaction(sig, s.pointee.previous! + Int(sig), nil)
    raise(sig)
}
