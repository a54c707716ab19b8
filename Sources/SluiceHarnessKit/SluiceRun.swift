import Foundation
import SluiceTesting
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the real `sluice` binary with its output in files rather than pipes, so a process the
/// harness kills never blocks on a full pipe and its last words can still be read afterwards.
public struct SluiceRun: Sendable {
    /// How one run ended.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when ``signalled``.
        public var status: Int32
        /// Whether a signal ended it (our SIGKILL, or a crash).
        public var signalled: Bool
        public var stdout: String
        public var stderr: String
        /// Wall time from start to exit.
        public var seconds: Double
    }

    /// The `sluice` executable: `SLUICE_BINARY`, else the one next to this program (the build's products folder).
    public static var executable: String {
        if let given = ProcessInfo.processInfo.environment["SLUICE_BINARY"], !given.isEmpty { return given }
        return SluiceProcess.executablePath
    }

    /// Where stdout and stderr go.
    public let stdoutPath: String
    public let stderrPath: String
    let process: Process
    let started: Date

    /// Starts `sluice` with `arguments`, its output in `directory/<tag>.out|.err`.
    public static func start(_ arguments: [String], directory: String, tag: String, environment: [String: String] = [:]) throws -> SluiceRun {
        let out = "\(directory)/\(tag).out", err = "\(directory)/\(tag).err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SLUICE_STORE")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try p.run()
        return SluiceRun(stdoutPath: out, stderrPath: err, process: p, started: Date())
    }

    /// Runs `sluice` to its end (killed after `timeout` seconds).
    public static func run(_ arguments: [String], directory: String, tag: String, environment: [String: String] = [:], timeout: Double = 60) throws -> Outcome {
        let run = try start(arguments, directory: directory, tag: tag, environment: environment)
        return run.wait(timeout: timeout)
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Whether it is still running.
    public var isRunning: Bool { process.isRunning }

    /// Waits until stdout contains `text` (true) or the process exits or `timeout` passes (false).
    public func waitForOutput(_ text: String, timeout: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let out = try? String(contentsOfFile: stdoutPath, encoding: .utf8), out.contains(text) { return true }
            if !process.isRunning { return false }
            usleep(2_000)
        }
        return false
    }

    /// The line `redrive --json` prints when a job starts moving messages.
    public static let startedLine = "\"event\":\"started\""

    /// Sends SIGKILL (a no-op when it has already exited).
    public func kill() {
        if process.isRunning { sendSignal(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the exit (SIGKILL after `timeout` seconds) and reads the output files.
    public func wait(timeout: Double = 60) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning { kill() }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       stdout: read(stdoutPath), stderr: read(stderrPath), seconds: seconds)
    }
}

/// `kill(2)`, named apart from ``SluiceRun/kill()``.
func sendSignal(_ pid: Int32, _ signal: Int32) {
    #if canImport(Glibc)
    _ = Glibc.kill(pid, signal)
    #else
    _ = Darwin.kill(pid, signal)
    #endif
}
