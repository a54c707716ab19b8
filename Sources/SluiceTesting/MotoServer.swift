import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `moto_server` (a local fake of AWS, SQS included) on a free loopback port, for tests.
///
/// Started through a tiny shell watchdog that holds the server as its child: it kills the
/// server on ``shutdown()`` and, by polling this process's pid, when this process dies however
/// it dies (even of SIGKILL), so no test run leaves a moto behind.
public final class MotoServer: Sendable {
    /// The port it listens on (127.0.0.1).
    public let port: Int
    /// Where its output goes, for a failing test to read.
    public let logPath: String
    private let state: Mutex<(process: Process, stdin: FileHandle)?>

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The command that runs moto's server, nil when moto is not installed: `moto_server` on
    /// `PATH`, else `python3 -m moto.server` when python can import it.
    public static let command: [String]? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/moto_server"
            if FileManager.default.isExecutableFile(atPath: candidate), runQuietly([candidate, "--help"]) { return [candidate] }
        }
        return python3(importing: "moto.server").map { [$0, "-m", "moto.server"] }
    }()

    /// The first `python3` on `PATH` that can import `module` (`boto3`, say), nil when none can.
    public static func python3(importing module: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let python = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: python), runQuietly([python, "-c", "import \(module)"]) { return python }
        }
        return nil
    }

    /// Whether moto can be started here.
    public static var isAvailable: Bool { command != nil }

    /// Why moto tests are skipped, for `.enabled(if:)` comments.
    public static let unavailableReason = "moto is not installed: pip install 'moto[server]' (.ci/run installs it)"

    private static func runQuietly(_ argv: [String]) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    private init(port: Int, logPath: String, process: Process, stdin: FileHandle) {
        self.port = port
        self.logPath = logPath
        self.state = Mutex((process, stdin))
    }

    /// Starts a server and waits until it answers HTTP.
    /// - Throws: when moto is absent, exits early, or does not answer within `timeout` seconds.
    public static func start(timeout: Double = 60) async throws -> MotoServer {
        guard let command else { throw LoopbackSocket.Failure(description: unavailableReason) }
        let port = try LoopbackSocket.freePort()
        let logPath = NSTemporaryDirectory() + "sluice-moto-\(port)-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        // The test process passes a signal mask that blocks SIGTERM to its children, so the
        // server is stopped with SIGKILL. A poller kills it when this process is gone, however it
        // died; `read` returns when ``shutdown()`` writes a line (or the pipe closes).
        let script = #"""
            "$@" </dev/null >>"$MOTO_LOG" 2>&1 &
            child=$!
            ( while kill -0 "$SLUICE_PARENT_PID" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
              kill -9 "$child" $$ 2>/dev/null ) </dev/null >/dev/null 2>&1 &
            read _
            kill -9 "$child" 2>/dev/null
            wait "$child" 2>/dev/null
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh"] + command + ["-H", "127.0.0.1", "-p", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["MOTO_LOG"] = logPath
        environment["SLUICE_PARENT_PID"] = String(getpid())
        process.environment = environment
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(port: port, logPath: logPath, process: process, stdin: pipe.fileHandleForWriting)

        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning {
                throw LoopbackSocket.Failure(description: "moto_server exited early: \(server.logTail())")
            }
            if server.answers() { return server }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        server.shutdown()
        throw LoopbackSocket.Failure(description: "moto_server did not answer on port \(port) within \(Int(timeout)) s: \(server.logTail())")
    }

    private static let sharedServer = Mutex<Task<MotoServer, any Error>?>(nil)

    /// One server for the whole test process, started on first use (queues of different tests
    /// must have different names). It stops when the process exits.
    public static func shared() async throws -> MotoServer {
        let task = sharedServer.withLock { current -> Task<MotoServer, any Error> in
            if let current { return current }
            let task = Task { try await MotoServer.start() }
            current = task
            return task
        }
        return try await task.value
    }

    /// Whether the server answers a plain HTTP request now.
    public func answers() -> Bool {
        guard let fd = try? LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 2) else { return false }
        defer { close(fd) }
        guard LoopbackSocket.writeAll(fd, Array("GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)) else { return false }
        return String(decoding: LoopbackSocket.readSome(fd).prefix(12), as: UTF8.self).hasPrefix("HTTP/1.")
    }

    /// Removes every queue and message (moto's reset API).
    public func reset() throws {
        let fd = try LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 10)
        defer { close(fd) }
        LoopbackSocket.writeAll(fd, Array("POST /moto-api/reset HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n".utf8))
        _ = LoopbackSocket.readToEnd(fd)
    }

    /// The last lines of the server's output.
    public func logTail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// Stops the server (idempotent).
    public func shutdown() {
        guard let (process, stdin) = state.withLock({ s -> (Process, FileHandle)? in defer { s = nil }; return s }) else { return }
        try? stdin.write(contentsOf: Array("stop\n".utf8))
        try? stdin.close()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
    }

    deinit { shutdown() }
}
