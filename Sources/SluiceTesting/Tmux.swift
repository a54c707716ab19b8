import Foundation

/// A private tmux server for end-to-end tests and the console benchmark: one session running
/// one command in a real terminal, keys sent with `send-keys`, the screen read with
/// `capture-pane`, and the server killed when the test is done.
public final class Tmux: Sendable {
    /// Whether tmux is installed (the end-to-end tests are skipped, with a message, when not).
    public static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    public let socket: String
    public let session = "e2e"

    /// Starts a detached session of `width`x`height` running `command` through `sh -c`.
    /// After the command exits, the pane prints `exit=STATUS` and the terminal modes, then
    /// waits, so a test can see the terminal it left behind. The status bar is off, so the
    /// pane has all `height` rows.
    public init(width: Int, height: Int, command: String) throws {
        socket = "sluice-e2e-" + UUID().uuidString.prefix(8).lowercased()
        let script = command + #"; echo "exit=$?"; stty -a | tr ' ;' '\n\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\n' ' '; echo modes; exec sleep 3600"#
        try run(["-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height), "-s", session, "sh", "-c", script])
        _ = try? run(["set-option", "-t", session, "status", "off"])
    }

    /// Runs a tmux command on this server and returns its standard output.
    ///
    /// Spawned with posix_spawn and reaped with waitpid rather than Foundation's `Process`,
    /// whose exit monitoring was seen to hang while other suites block the shared thread pool.
    @discardableResult
    public func run(_ arguments: [String]) throws -> String {
        let argv = [Tmux.path ?? "/usr/bin/tmux", "-u", "-L", socket] + arguments
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = "C.UTF-8"
        env.removeValue(forKey: "TMUX")
        let envp = env.map { "\($0.key)=\($0.value)" }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TmuxError(message: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = envp.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        // A test's threads block most signals and posix_spawn passes the mask on: a tmux server
        // started with SIGTERM and SIGHUP blocked never exits on `kill-server` (nor its panes on
        // hang-up). Start it with nothing blocked and the usual dispositions.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        Glibc.close(fds[1])
        guard spawned == 0 else {
            Glibc.close(fds[0])
            throw TmuxError(message: "cannot start tmux (errno \(spawned))")
        }
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n > 0 { output += buffer[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        Glibc.close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw TmuxError(message: "tmux \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Types keys: names such as `Enter`, `Escape`, `Space` are tmux key names; `literal` sends text.
    public func keys(_ names: String...) {
        _ = try? run(["send-keys", "-t", session] + names)
    }

    /// Types text literally.
    public func type(_ text: String) {
        _ = try? run(["send-keys", "-t", session, "-l", text])
    }

    /// The screen as text, one line per row.
    public func screen() -> String {
        (try? run(["capture-pane", "-p", "-t", session])) ?? ""
    }

    /// A pane property, e.g. `alternate_on`, `pane_pid`.
    public func property(_ name: String) -> String {
        ((try? run(["display-message", "-p", "-t", session, "#{\(name)}"])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Resizes the window (sends SIGWINCH to the program).
    public func resize(width: Int, height: Int) {
        _ = try? run(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// The program's process id: the child of the pane's shell.
    public func programPID() -> Int32? {
        guard let shell = Int32(property("pane_pid")) else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }.first
    }

    /// Polls the screen until `condition` holds; returns whether it did within `timeout`.
    /// Sleeps between polls without holding a thread, so parallel suites keep running.
    public func waitFor(timeout: TimeInterval = 60, _ condition: (String) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(screen()) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(screen())
    }

    /// Polls for text on the screen.
    public func waitFor(_ text: String, timeout: TimeInterval = 60) async -> Bool {
        await waitFor(timeout: timeout) { $0.contains(text) }
    }

    /// Stops the server and everything in it.
    public func close() {
        _ = try? run(["kill-server"])
    }

    deinit { close() }
}

/// A tmux command that could not run or failed.
public struct TmuxError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
