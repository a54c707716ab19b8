import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// The command line as a user drives it, against the real binary and a temporary store.
@Suite(.serialized) struct CLIEndToEndTests {
    @Test func aWorkerLoopFillsTheDLQAndStatusAndDLQListShowIt() throws {
        let f = try CLIFixture()
        try f.ok(["queue", "create", "orders-dlq"])
        try f.ok(["queue", "create", "orders", "--dlq", "orders-dlq", "--max-receive-count", "2", "--visibility-timeout", "30s"])
        for i in 0..<3 { try f.ok(["send", "orders", "{\"order\":\(i)}", "--attr", "tenant=acme"]) }
        for _ in 0..<2 {
            let received = try #require(try f.json(["receive", "orders", "--max", "10", "--json"]) as? [[String: Any]])
            #expect(received.count == 3)
            for m in received {
                try f.ok(["fail", "orders", m["receiptHandle"] as! String, "--error-type", "Timeout", "--error-message", "payment API"])
            }
        }
        #expect(try f.ok(["receive", "orders"]).contains("no messages"))
        let status = try #require(try f.json(["status", "--json"]) as? [String: Any])
        let queues = try #require(status["queues"] as? [[String: Any]])
        let dlq = try #require(queues.first { $0["name"] as? String == "orders-dlq" })
        #expect(dlq["visible"] as? Int == 3)
        #expect(dlq["deadLetterSources"] as? [String] == ["orders"])
        let list = try #require(try f.json(["dlq", "list", "orders-dlq", "--error-type", "Timeout", "--json"]) as? [String: Any])
        #expect(list["total"] as? Int == 3)
        #expect((list["facets"] as? [String: Int]) == ["Timeout": 3])
        let first = try #require((list["messages"] as? [[String: Any]])?.first)
        #expect(first["errorMessage"] as? String == "payment API")
        #expect((first["attributes"] as? [String: Any])?["tenant"] != nil)
        let text = try f.ok(["dlq", "list", "orders-dlq"])
        #expect(text.contains("3 matching messages"))
        #expect(text.contains("Timeout"))
    }

    @Test func aFilteredRedriveMovesExactlyThePlanAndTheJournalSaysWhy() throws {
        let f = try CLIFixture()
        try f.seedDLQ(["Timeout": 23, "Poison": 4, "ValidationError": 5])
        let runbook = try f.writeRunbook("fast.md", CLIFixture.fastRunbook)
        let dry = try f.ok(["redrive", "orders-dlq", "--runbook", runbook, "--dry-run"])
        #expect(dry.contains("move 23 · discard 4 · stay 5"))
        #expect(try f.sluice(["redrive", "orders-dlq", "--runbook", runbook, "--yes"]).status == 2, "discards need their own confirmation")
        let typed = try f.sluice(["redrive", "orders-dlq", "--runbook", runbook], stdin: "22\n")
        #expect(typed.status == 2, "a wrong typed count changes nothing")
        let run = try f.sluice(["redrive", "orders-dlq", "--runbook", runbook, "--error-type", "Timeout", "--error-type", "Poison",
                                "--yes", "--confirm-discards", "4", "--ack", "fixed the payment timeout", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.first?["event"] as? String == "plan")
        #expect(lines.last?["event"] as? String == "finished")
        let status = try #require(try f.json(["status", "--json"]) as? [String: Any])
        let byName = Dictionary(uniqueKeysWithValues: (status["queues"] as! [[String: Any]]).map { ($0["name"] as! String, $0) })
        #expect(byName["orders"]?["visible"] as? Int == 23)
        #expect(byName["orders-dlq"]?["visible"] as? Int == 5)
        let audit = try f.ok(["audit", "--json"]).split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let plan = try #require(audit.first { $0["action"] as? String == "redrive.plan" })
        #expect((plan["details"] as? [String: String])?["root_cause"] == "fixed the payment timeout")
        #expect(audit.contains { $0["action"] as? String == "redrive.completed" })
    }

    @Test func badInputGetsOneClearLineAndExitCodeTwo() throws {
        let f = try CLIFixture()
        try f.ok(["queue", "create", "orders"])
        let cases: [([String], String)] = [
            (["send", "nope", "x"], "queue 'nope' does not exist"),
            (["queue", "create", "orders"], "already exists"),
            (["dlq", "list", "orders", "--min-age", "5x"], "--min-age: '5x' is not a duration"),
            (["dlq", "list", "orders", "--min-age", "2h", "--max-age", "1h"], "greater than --max-age"),
            (["receive", "orders", "--max", "11"], "out of range"),
            (["ack", "orders", "rh-000000-1-1-1"], "not one this store issued"),
            (["queue", "create", "x", "--dlq", "ghost", "--max-receive-count", "3"], "does not exist"),
            (["redrive", "orders", "--runbook", f.dir + "/missing.md"], "missing.md"),
        ]
        for (args, message) in cases {
            let r = try f.sluice(args)
            #expect(r.status == 2, "\(args) → \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("sluice: error: "), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count <= 3, "one clear message, not a dump: \(r.stderr)")
        }
        let big = f.dir + "/big.bin"
        try Data(repeating: 0x41, count: 1_048_577).write(to: URL(fileURLWithPath: big))
        let tooBig = try f.sluice(["send", "orders", "--body-file", big])
        #expect(tooBig.status == 2)
        #expect(tooBig.stderr.contains("1 MiB"))
        #expect(try f.json(["status", "--json"]) is [String: Any])
        let queues = try #require(try f.json(["queue", "list", "--json"]) as? [[String: Any]])
        #expect(queues.map { $0["name"] as? String } == ["orders"], "bad input left the store unchanged")
    }

    @Test func aFileThatIsNotAStoreIsRefused() throws {
        let f = try CLIFixture()
        let notes = f.dir + "/notes.txt"
        try "shopping list".write(toFile: notes, atomically: true, encoding: .utf8)
        let r = try SluiceProcess.run(["status", "--store", notes])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not a Sluice store"))
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "shopping list")
        let both = try SluiceProcess.run(["status", "--store", notes, "--sqs"])
        #expect(both.status == 2)
    }

    @Test func helpAndTheStoreEnvironmentVariable() throws {
        let f = try CLIFixture()
        let help = try SluiceProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("redrive"))
        let env = try SluiceProcess.run(["queue", "create", "from-env"], environment: ["SLUICE_STORE": f.store])
        #expect(env.status == 0, "\(env.stderr)")
        #expect(try f.ok(["queue", "list"]).contains("from-env"))
    }
}
