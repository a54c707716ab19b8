import Foundation

/// Runs the built `sluice` executable as a real process, for end-to-end tests.
public enum SluiceProcess {
    /// The result of one run.
    public struct Result: Sendable {
        /// The exit status, or the signal number when ``signalled``.
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Whether a signal ended it (a SIGKILL, or a crash).
        public var signalled: Bool
        /// Wall time from start to exit.
        public var seconds: Double
    }

    /// The `sluice` executable: `SLUICE_BINARY`, else the one next to the running program (the
    /// build's products folder, where test bundles and `sluice-harness` live).
    public static let executablePath: String = {
        if let given = ProcessInfo.processInfo.environment["SLUICE_BINARY"], !given.isEmpty { return given }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On Linux the test runner is `<products>/SluicePackageTests.xctest`; elsewhere it may sit deeper.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("sluice").path
    }()

    /// Starts `sluice` with arguments (without `SLUICE_STORE`, with `environment` merged in, stdin
    /// from `stdin` or else `/dev/null`); the caller waits or kills.
    public static func start(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executablePath)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SLUICE_STORE")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        if let stdin {
            let input = Pipe()
            p.standardInput = input
            try p.run()
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            p.standardInput = FileHandle.nullDevice
            try p.run()
        }
        return (p, out, err)
    }

    /// Runs `sluice` to the end (at most `timeout` seconds, then it is killed) and collects its output.
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, timeout: TimeInterval = 60) throws -> Result {
        let (p, out, err) = try start(arguments, environment: environment, stdin: stdin)
        let started = Date()
        return wait(p, stdout: ReadAll(out.fileHandleForReading), stderr: ReadAll(err.fileHandleForReading), started: started, timeout: timeout)
    }

    /// Waits for `process` to exit (SIGKILL after `timeout` seconds) and collects what the readers
    /// of its stdout and stderr drained; `seconds` counts from `started`.
    public static func wait(_ process: Process, stdout: ReadAll, stderr: ReadAll, started: Date, timeout: TimeInterval) -> Result {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        forceKill(process)
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        return Result(status: process.terminationStatus, stdout: stdout.wait(), stderr: stderr.wait(),
                      signalled: process.terminationReason == .uncaughtSignal, seconds: seconds)
    }

    /// Sends SIGKILL to `process` (a no-op when it has already exited).
    public static func forceKill(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Drains a pipe on a background thread as the data comes, so a chatty child never blocks on a
/// full pipe. A caller can wait for a piece of text (``waitFor(_:timeout:)``) or have an action
/// run the moment it appears (``on(_:times:_:)``: kill a redrive once its job is saved, say,
/// instead of guessing a delay that a loaded machine overruns).
public final class ReadAll: @unchecked Sendable {
    // @unchecked: `data`, `ended` and `triggers` are guarded by `lock`.
    private let lock = NSCondition()
    private var data = Data()
    private var ended = false
    private var triggers: [(needle: String, times: Int, action: @Sendable () -> Void)] = []

    public init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while case let chunk = handle.availableData, !chunk.isEmpty {
                lock.lock()
                data.append(chunk)
                let due = takeDueTriggers()
                lock.broadcast()
                lock.unlock()
                for action in due { action() }
            }
            lock.lock()
            ended = true
            lock.broadcast()
            lock.unlock()
        }
    }

    /// Runs `action` on the reading thread as soon as `needle` has appeared `times` times, so
    /// acting on a line (a SIGKILL, say) does not wait for a busy Swift concurrency pool.
    public func on(_ needle: String, times: Int = 1, _ action: @escaping @Sendable () -> Void) {
        lock.lock()
        triggers.append((needle, times, action))
        let due = takeDueTriggers()
        lock.unlock()
        for action in due { action() }
    }

    /// Removes and returns the triggers whose needle appeared often enough; `lock` is held.
    private func takeDueTriggers() -> [@Sendable () -> Void] {
        guard !triggers.isEmpty else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        var due: [@Sendable () -> Void] = []
        triggers.removeAll { t in
            guard text.components(separatedBy: t.needle).count - 1 >= t.times else { return false }
            due.append(t.action)
            return true
        }
        return due
    }

    /// Waits for the end of the stream (the child closed it, usually by exiting) and returns everything read.
    public func wait() -> String {
        lock.lock()
        defer { lock.unlock() }
        while !ended { lock.wait() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits until the output contains `text` (true), or the stream ends or `timeout` seconds pass (false).
    public func waitFor(_ text: String, timeout: TimeInterval) -> Bool {
        let needle = Data(text.utf8)
        guard !needle.isEmpty else { return true }
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        var searched = 0 // bytes already known not to hold the start of `needle`
        while true {
            if data.count >= needle.count {
                if data.range(of: needle, in: searched..<data.count) != nil { return true }
                searched = data.count - needle.count + 1
            }
            if ended || !lock.wait(until: deadline) { return false }
        }
    }
}
