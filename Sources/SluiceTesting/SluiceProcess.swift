import Foundation

/// Runs the built `sluice` executable as a real process, for end-to-end tests.
public enum SluiceProcess {
    /// The result of one run.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Whether the process was killed by a signal.
        public var signalled: Bool
    }

    /// The `sluice` binary next to the running test bundle (the build's products folder).
    public static var executablePath: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On Linux the test runner is `<products>/SluicePackageTests.xctest`; elsewhere it may sit deeper.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("sluice").path
    }

    /// Starts `sluice` with arguments; the caller waits or kills.
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
        let outData = ReadAll(out.fileHandleForReading)
        let errData = ReadAll(err.fileHandleForReading)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(5_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: outData.wait(), stderr: errData.wait(),
                      signalled: p.terminationReason == .uncaughtSignal)
    }
}

/// Drains a pipe on a background thread so a chatty child never blocks on a full pipe.
final class ReadAll: @unchecked Sendable {
    // @unchecked: `data` is written only by the reader thread before `done` is signalled, and read after.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Reads a child's output as it comes, so a test can act when a line appears (kill a redrive
/// once its job is saved, say) instead of guessing a delay that a loaded machine overruns.
public final class OutputWatcher: @unchecked Sendable {
    // @unchecked: `text` and `ended` are guarded by `lock`.
    private let lock = NSCondition()
    private var text = ""
    private var ended = false
    private var triggers: [(needle: String, times: Int, action: @Sendable () -> Void)] = []

    public init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                lock.lock()
                if chunk.isEmpty { ended = true } else { text += String(decoding: chunk, as: UTF8.self) }
                let due = takeDueTriggers()
                lock.broadcast()
                lock.unlock()
                for action in due { action() }
                if chunk.isEmpty { return }
            }
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

    /// Removes and returns the triggers whose needle appeared often enough; the caller holds `lock`.
    private func takeDueTriggers() -> [@Sendable () -> Void] {
        var due: [@Sendable () -> Void] = []
        triggers.removeAll { t in
            guard text.components(separatedBy: t.needle).count - 1 >= t.times else { return false }
            due.append(t.action)
            return true
        }
        return due
    }

    /// Waits until the output contains `needle` `times` times (true), or it ended or `timeout` passed (false).
    /// Polls every 20 ms rather than blocking a thread of Swift's small cooperative pool.
    public func appears(_ needle: String, times: Int = 1, timeout: TimeInterval) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let (found, over) = state(containing: needle, times: times)
            if found { return true }
            if over { return false }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return state(containing: needle, times: times).found
    }

    private func state(containing needle: String, times: Int) -> (found: Bool, ended: Bool) {
        lock.lock()
        defer { lock.unlock() }
        return (text.components(separatedBy: needle).count - 1 >= times, ended)
    }

    /// Everything read so far.
    public var output: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }
}
