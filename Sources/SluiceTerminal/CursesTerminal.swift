import CNcursesw
import Foundation
import SluiceConsole
import SluiceCore
import Synchronization

/// The real terminal: a ``TerminalDevice`` backed by ncurses.
///
/// One dedicated thread owns curses from `newterm` to `endwin`: it waits in `poll` on standard
/// input and a wake pipe (no spinning), reads keys, follows resizes, and draws the latest
/// presented frame. Other threads only leave frames in a mailbox and write a byte to the pipe,
/// so a burst of frames collapses into the newest one.
public final class CursesTerminal: TerminalDevice {
    private struct Mailbox {
        var frame: Frame?
        var fullRepaint = false
        var stopRequested = false
        var size = Size(width: 0, height: 0)
    }

    private let mailbox = Mutex(Mailbox())
    private let continuation: AsyncStream<TerminalInput>.Continuation
    public let inputs: AsyncStream<TerminalInput>
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = DispatchSemaphore(value: 0)
    private let isClosed = Mutex(false)

    private init(wakeRead: Int32, wakeWrite: Int32) {
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        (inputs, continuation) = AsyncStream.makeStream(of: TerminalInput.self, bufferingPolicy: .unbounded)
    }

    /// Takes over the terminal: starts the curses thread and returns once curses is up.
    /// - Throws: ``SluiceError`` when there is no usable terminal (not a tty, unknown TERM).
    public static func open(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CursesTerminal {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw SluiceError(.internalError, "cannot create a pipe for the terminal driver (errno \(errno))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        let terminal = CursesTerminal(wakeRead: fds[0], wakeWrite: fds[1])
        let started = DispatchSemaphore(value: 0)
        let startError = StartError()
        let thread = Thread { [terminal] in
            terminal.main(environment: environment, started: started, startError: startError)
        }
        thread.name = "sluice-curses"
        thread.start()
        started.wait()
        if let error = startError.value.withLock({ $0 }) {
            terminal.finished.wait()
            Foundation.close(fds[0])
            Foundation.close(fds[1])
            throw error
        }
        atexit { TerminalSignals.emergencyRestore() }
        return terminal
    }

    public var size: Size { mailbox.withLock { $0.size } }

    public func present(_ frame: Frame, fullRepaint: Bool) {
        mailbox.withLock { box in
            box.frame = frame
            box.fullRepaint = box.fullRepaint || fullRepaint
        }
        wake()
    }

    /// Restores the terminal (`endwin`) and stops the curses thread; safe to call twice.
    public func close() {
        let already = isClosed.withLock { closed -> Bool in
            defer { closed = true }
            return closed
        }
        guard !already else { return }
        mailbox.withLock { $0.stopRequested = true }
        wake()
        finished.wait()
        Foundation.close(wakeRead)
        Foundation.close(wakeWrite)
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: The curses thread

    private func main(environment: [String: String], started: DispatchSemaphore, startError: StartError) {
        let screen = CursesScreen()
        do {
            try screen.open(environment: environment)
        } catch {
            startError.value.withLock { $0 = error as? SluiceError ?? SluiceError(.internalError, "\(error)") }
            started.signal()
            finished.signal()
            return
        }
        mailbox.withLock { $0.size = screen.size }
        TerminalSignals.install(wakeFD: wakeWrite)
        started.signal()
        defer {
            TerminalSignals.uninstall()
            screen.close()
            continuation.finish()
            finished.signal()
        }
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        var drain = [UInt8](repeating: 0, count: 64)
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            // Wake at least once a second to catch a resize whose signal went elsewhere.
            let ready = poll(&fds, 2, 1000)
            if ready > 0, fds[1].revents & Int16(POLLIN) != 0 {
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            if let signal = TerminalSignals.takePendingSignal() {
                continuation.yield(.signal(signal))
            }
            if TerminalSignals.takeResize() || ready == 0 {
                if let newSize = screen.syncSize() {
                    mailbox.withLock { $0.size = newSize }
                    continuation.yield(.resize(newSize))
                }
            }
            if ready > 0, fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 && fds[0].revents & Int16(POLLIN) == 0 {
                    // The terminal went away (window closed): behave as on SIGHUP.
                    continuation.yield(.signal(SIGHUP))
                    fds[0].events = 0
                } else {
                    for key in screen.readKeys() { continuation.yield(.key(key)) }
                }
            }
            let (frame, full, stop) = mailbox.withLock { box -> (Frame?, Bool, Bool) in
                defer {
                    box.frame = nil
                    box.fullRepaint = false
                }
                return (box.frame, box.fullRepaint, box.stopRequested)
            }
            if stop { return }
            if let frame { screen.draw(frame, full: full) }
        }
    }
}

/// Why the curses thread could not start, handed back to ``CursesTerminal/open(environment:)``.
private final class StartError: Sendable {
    let value = Mutex<SluiceError?>(nil)
}
