import Foundation
import SluiceTesting

/// A real `sluice` process the harness can wait on, watch and kill: ``SluiceProcess/start(_:environment:stdin:)``
/// with both pipes drained as the output comes (``ReadAll``), so a process the harness kills never
/// blocks on a full pipe and its last words can still be read afterwards.
public struct SluiceRun: Sendable {
    let process: Process
    let stdout: ReadAll
    let stderr: ReadAll
    let started: Date

    /// Starts `sluice` (``SluiceProcess/executablePath``: `SLUICE_BINARY`, else the one next to this program) with `arguments`.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> SluiceRun {
        let (p, out, err) = try SluiceProcess.start(arguments, environment: environment)
        let started = Date()
        return SluiceRun(process: p, stdout: ReadAll(out.fileHandleForReading), stderr: ReadAll(err.fileHandleForReading), started: started)
    }

    /// Runs `sluice` to its end (killed after `timeout` seconds).
    public static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) throws -> SluiceProcess.Result {
        try start(arguments, environment: environment).wait(timeout: timeout)
    }

    /// Whether it is still running.
    public var isRunning: Bool { process.isRunning }

    /// Waits until stdout contains `text` (true) or the process exits or `timeout` passes (false).
    public func waitForOutput(_ text: String, timeout: Double = 60) -> Bool {
        stdout.waitFor(text, timeout: timeout)
    }

    /// The line `redrive --json` prints when a job starts moving messages.
    public static let startedLine = "\"event\":\"started\""

    /// Sends SIGKILL (a no-op when it has already exited).
    public func kill() {
        SluiceProcess.forceKill(process)
    }

    /// Waits for the exit (SIGKILL after `timeout` seconds) and collects the output; `seconds`
    /// is the wall time from start to exit.
    public func wait(timeout: Double = 60) -> SluiceProcess.Result {
        SluiceProcess.wait(process, stdout: stdout, stderr: stderr, started: started, timeout: timeout)
    }
}
