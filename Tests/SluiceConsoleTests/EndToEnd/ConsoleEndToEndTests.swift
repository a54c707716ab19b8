import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// The built `sluice console` in a real terminal (tmux): keys, screens, resizes, signals, and a
/// redrive whose result is checked with the command line afterwards.
@Suite("end to end: sluice console in tmux", .serialized,
       .enabled(if: Tmux.path != nil, "tmux is not installed: the console's end-to-end tests need it (apt-get install tmux)"))
struct ConsoleEndToEndTests {
    /// A store in a temporary folder on the real clock (the console process opens it too),
    /// with a runbook folder beside it.
    final class World: Sendable {
        let directory: String
        let store: Store

        init(dlqMessages: Int, liveMessages: Int = 5, runbook: String = World.runbook) throws {
            directory = NSTemporaryDirectory() + "sluice-e2e-" + UUID().uuidString.prefix(8).lowercased()
            try FileManager.default.createDirectory(atPath: directory + "/runbooks", withIntermediateDirectories: true)
            try runbook.write(toFile: directory + "/runbooks/requeue.md", atomically: true, encoding: .utf8)
            store = try Store(path: directory + "/store.sluice")
            for name in ["orders", "payments"] {
                try store.createQueue(QueueSpec(name: name + "-dlq"))
                try store.createQueue(QueueSpec(name: name, redrivePolicy: RedrivePolicy(deadLetterQueue: name + "-dlq", maxReceiveCount: 3)))
            }
            try send(dlqMessages, to: "orders-dlq") { $0 % 3 == 0 ? "Timeout" : "ValidationError" }
            try send(liveMessages, to: "orders") { _ in nil }
        }

        var storePath: String { directory + "/store.sluice" }

        func send(_ count: Int, to queue: String, type: (Int) -> String?) throws {
            var sent = 0
            while sent < count {
                let entries = (0..<min(10, count - sent)).map { i in
                    let n = sent + i
                    return SendEntry(entryId: String(i), body: Array("{\"orderId\":\"ord-\(n)\",\"amount\":\(n)}".utf8),
                                     attributes: type(n).map { ["errorType": .string($0)] } ?? [:])
                }
                _ = try store.send(to: queue, entries: entries)
                sent += entries.count
            }
        }

        /// The shell command that runs the console here.
        func console(term: String = "screen", extra: String = "") -> String {
            "cd '\(directory)' && env -u SLUICE_STORE LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=\(term) '\(SluiceProcess.executablePath)' console --store '\(storePath)' --runbooks '\(directory)/runbooks' \(extra)"
        }

        /// Runs the command line on this store.
        func cli(_ arguments: [String]) throws -> SluiceProcess.Result {
            try SluiceProcess.run(arguments + ["--store", storePath], timeout: 60)
        }

        func json(_ arguments: [String]) throws -> [String: Any] {
            let result = try cli(arguments + ["--json"])
            let line = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
            return (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
        }

        /// Visible messages per queue, from `sluice status --json`.
        func visible() throws -> [String: Int] {
            let queues = try json(["status"])["queues"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: queues.compactMap { q in (q["name"] as? String).map { ($0, q["visible"] as? Int ?? -1) } })
        }

        static let runbook = """
        ---
        id: requeue-timeouts
        title: Requeue timeouts after the outage
        dlq: orders-dlq
        batch:
          size: 5
          jitter: 100ms..200ms
          max_rate: 100/s
        strategy:
          Timeout: requeue
        require:
          root_cause_ack: true
        ---
        # Requeue timeouts after the outage
        The downstream service is healthy again; timeouts are safe to retry.
        """

        static let slowRunbook = """
        ---
        id: requeue-slowly
        dlq: orders-dlq
        batch:
          size: 1
          jitter: 700ms..800ms
          max_rate: 2/s
        strategy:
          Timeout: requeue
        ---
        # Requeue slowly
        One message at a time.
        """

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    static func line(_ screen: String, containing text: String) -> String {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
    }

    @Test("dashboard numbers move; open a DLQ, filter, open a message; redrive exactly the filtered messages")
    func journey() async throws {
        let world = try World(dlqMessages: 30)
        let tmux = try Tmux(width: 100, height: 30, command: world.console())
        defer { tmux.close() }
        #expect(await tmux.waitFor { $0.contains("Queues (4)") && Self.line($0, containing: "DLQ of orders").contains(" 30 ") }, "\(tmux.screen())")
        #expect(Self.line(tmux.screen(), containing: "› orders").contains(" 5 "))
        // Live numbers: traffic arriving while the console runs shows up without a key.
        try world.send(7, to: "orders") { _ in nil }
        #expect(await tmux.waitFor { Self.line($0, containing: "› orders").contains(" 12 ") }, "\(tmux.screen())")

        tmux.keys("Enter")
        #expect(await tmux.waitFor("30 messages"), "\(tmux.screen())")
        tmux.type("/Timeout")
        tmux.keys("Enter")
        #expect(await tmux.waitFor("10 of 30 match"), "\(tmux.screen())")
        tmux.keys("Enter")
        #expect(await tmux.waitFor { $0.contains("Body (") && $0.contains("\"orderId\": \"ord-0\"") }, "\(tmux.screen())")
        tmux.keys("Escape")
        #expect(await tmux.waitFor("10 of 30 match"))

        tmux.type("R")
        #expect(await tmux.waitFor("› requeue-timeouts"), "\(tmux.screen())")
        tmux.keys("Enter")
        #expect(await tmux.waitFor("move 10 · discard 0"), "\(tmux.screen())")
        tmux.keys("Enter")
        #expect(await tmux.waitFor("What was fixed?"), "\(tmux.screen())")
        tmux.type("payments API restored")
        tmux.keys("Enter")
        #expect(await tmux.waitFor("Type 10 to move 10 messages to orders"), "\(tmux.screen())")
        tmux.type("10")
        tmux.keys("Enter")
        #expect(await tmux.waitFor { $0.contains("COMPLETED") && $0.contains("100%") && $0.contains("moved 10") }, "\(tmux.screen())")
        tmux.type("q")
        #expect(await tmux.waitFor("exit=0"), "\(tmux.screen())")
        #expect(tmux.property("alternate_on") == "0")

        let dlq = try world.json(["dlq", "list", "orders-dlq"])
        #expect(dlq["total"] as? Int == 20)
        #expect((dlq["facets"] as? [String: Int])?["Timeout"] == nil)
        #expect((dlq["facets"] as? [String: Int])?["ValidationError"] == 20)
        let visible = try world.visible()
        #expect(visible["orders"] == 22)
        #expect(visible["orders-dlq"] == 20)
    }

    @Test("a resize storm, then the screen is right; 20x8 says it is too small; TERM=vt100 at 20x8 never crashes")
    func resizesAndTinyTerminals() async throws {
        let world = try World(dlqMessages: 12)
        let tmux = try Tmux(width: 100, height: 30, command: world.console())
        defer { tmux.close() }
        #expect(await tmux.waitFor("Queues (4)"), "\(tmux.screen())")
        var rng = SplitMix64(seed: 7)
        for _ in 0..<40 {
            tmux.resize(width: 5 + Int(rng.next() % 200), height: 2 + Int(rng.next() % 60))
        }
        tmux.resize(width: 100, height: 30)
        #expect(await tmux.waitFor { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return screen.contains("Queues (4)") && screen.contains("Recent events") && lines.first?.hasPrefix(" Sluice") == true
                && lines.contains { $0.contains("q quit") } && lines.allSatisfy { $0.count <= 100 }
        }, "\(tmux.screen())")
        tmux.resize(width: 20, height: 8)
        #expect(await tmux.waitFor("terminal too small"), "\(tmux.screen())")
        tmux.resize(width: 100, height: 30)
        #expect(await tmux.waitFor("Recent events"))
        tmux.type("q")
        #expect(await tmux.waitFor("exit=0"), "\(tmux.screen())")

        let tiny = try Tmux(width: 20, height: 8, command: world.console(term: "vt100"))
        defer { tiny.close() }
        #expect(await tiny.waitFor("terminal too small"), "\(tiny.screen())")
        for key in ["Enter", "?", "Escape", "/", "x", "Escape", "R", "Escape", "j", "J", "Escape", "D", "w"] {
            tiny.keys(key)
        }
        tiny.resize(width: 80, height: 24)
        #expect(await tiny.waitFor("Queues (4)"), "\(tiny.screen())")
        tiny.resize(width: 20, height: 8)
        #expect(await tiny.waitFor("terminal too small"))
        tiny.type("q")
        #expect(await tiny.waitFor("exit=0"), "\(tiny.screen())")
        #expect(await tiny.waitFor { $0.contains("modes") && Self.line($0, containing: "modes").split(separator: " ").contains("echo") && Self.line($0, containing: "modes").split(separator: " ").contains("icanon") }, "\(tiny.screen())")
    }

    @Test("SIGTERM restores the terminal: the pane is back at the shell with echo and canonical mode")
    func sigterm() async throws {
        let world = try World(dlqMessages: 3)
        let tmux = try Tmux(width: 100, height: 30, command: world.console())
        defer { tmux.close() }
        #expect(await tmux.waitFor("Queues (4)"), "\(tmux.screen())")
        #expect(tmux.property("alternate_on") == "1")
        let pid = try #require(tmux.programPID())
        kill(pid, SIGTERM)
        #expect(await tmux.waitFor("exit=143"), "\(tmux.screen())")
        #expect(await tmux.waitFor { $0.contains("modes") && Self.line($0, containing: "modes").split(separator: " ").contains("echo") && Self.line($0, containing: "modes").split(separator: " ").contains("icanon") }, "\(tmux.screen())")
        #expect(tmux.property("alternate_on") == "0")
        #expect(!tmux.screen().contains("Queues (4)"))
    }

    @Test("SIGHUP mid-redrive restores the terminal and leaves the job resumable; --resume finishes it")
    func sighupMidRedrive() async throws {
        let world = try World(dlqMessages: 18, liveMessages: 0, runbook: World.slowRunbook)
        let tmux = try Tmux(width: 100, height: 30, command: world.console())
        defer { tmux.close() }
        #expect(await tmux.waitFor("Queues (4)"), "\(tmux.screen())")
        tmux.keys("Enter")
        #expect(await tmux.waitFor("18 messages"), "\(tmux.screen())")
        tmux.type("R")
        #expect(await tmux.waitFor("› requeue-slowly"), "\(tmux.screen())")
        tmux.keys("Enter")
        #expect(await tmux.waitFor("move 6 · discard 0"), "\(tmux.screen())")
        tmux.keys("Enter")
        #expect(await tmux.waitFor("Type 6 to move"), "\(tmux.screen())")
        tmux.type("6")
        tmux.keys("Enter")
        #expect(await tmux.waitFor { $0.contains("RUNNING") && $0.contains("moved ") && !$0.contains("moved 0 ") }, "\(tmux.screen())")
        let pid = try #require(tmux.programPID())
        kill(pid, SIGHUP)
        #expect(await tmux.waitFor("exit=129"), "\(tmux.screen())")
        #expect(tmux.screen().contains("resumable: sluice redrive --resume rd-"))
        #expect(tmux.property("alternate_on") == "0")

        let job = try world.json(["redrive", "--list"])
        let jobId = try #require(job["jobId"] as? String)
        #expect(job["state"] as? String == "interrupted")
        #expect(job["reason"] as? String == "stopped by SIGHUP")
        let moved = job["moved"] as? Int ?? 0
        #expect(moved >= 1 && moved < 6)
        let resumed = try world.cli(["redrive", "--resume", jobId])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try world.visible()["orders"] == 6)
        #expect(try world.json(["redrive", "--list"])["state"] as? String == "completed")
    }
}
