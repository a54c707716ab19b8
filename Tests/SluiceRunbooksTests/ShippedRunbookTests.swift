import Foundation
import SluiceCore
import SluiceRunbooks
import Testing

/// The package's `runbooks/` folder, found from this file so tests run from any directory.
let shippedRunbooks: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("runbooks").path
}()

@Suite("Shipped runbooks")
struct ShippedRunbookTests {
    @Test("every shipped runbook parses without errors or warnings")
    func allValid() throws {
        let report = try RunbookCheck().run(paths: [shippedRunbooks])
        #expect(report.runbookCount >= 3)
        #expect(report.errorCount == 0, "\(report.lines.joined(separator: "\n"))")
        #expect(report.warningCount == 0, "\(report.lines.joined(separator: "\n"))")
        #expect(report.exitCode == 0)
        #expect(RunbookCheck.check(paths: [shippedRunbooks]).isEmpty)
    }

    @Test("downstream-timeout requeues slowly, pauses on source depth and aborts on alarms and bounce-back")
    func downstreamTimeout() throws {
        let runbook = try RunbookParser.load(path: shippedRunbooks + "/downstream-timeout.md")
        #expect(runbook.id == "downstream-timeout")
        #expect(runbook.title == "Redrive after a downstream outage")
        #expect(runbook.appliesTo(queue: "orders-dlq"))
        #expect(!runbook.appliesTo(queue: "payments-dlq"))
        #expect(runbook.filter.errorTypes == ["Timeout", "Throttled", "ThrottlingException"])
        #expect(runbook.filter.minAge == .minutes(5))
        #expect(runbook.filter.maxAge == .days(3))
        #expect(runbook.strategies.values.allSatisfy { $0 == .requeue })
        #expect(runbook.strategy(for: "ValidationError") == .skip)
        #expect(runbook.batch.size == 10)
        #expect(runbook.batch.jitter == TimeSpan.milliseconds(500)...TimeSpan.seconds(3))
        #expect(runbook.batch.maxRate == 5)
        #expect(runbook.batch.maxMessages == 5000)
        #expect(runbook.requireRootCauseAck)
        let pauses = runbook.guards.filter { $0.action == .pause }.map(\.condition)
        #expect(pauses.contains(.depth(queue: "orders", .greater, 1000)))
        let aborts = runbook.guards.filter { $0.action == .abort }.map(\.condition)
        #expect(aborts.contains(.alarm(name: "orders-worker-errors", .equal, .alarm)))
        #expect(aborts.contains(.returnedRatio(.greater, 0.2)))
        #expect(runbook.observedQueues == ["orders"])
        #expect(runbook.observedAlarms == ["orders-worker-errors"])
        #expect(runbook.guards.first?.line == 19, "guards remember their file line")
        #expect(runbook.prose.contains("## Before you redrive"))
    }

    @Test("poison-validation discards after review and never moves anything")
    func poisonValidation() throws {
        let runbook = try RunbookParser.load(path: shippedRunbooks + "/poison-validation.md")
        #expect(runbook.appliesTo(queue: "orders-dlq") && runbook.appliesTo(queue: "payments-dlq"))
        #expect(runbook.strategies == ["ValidationError": .discard, "MalformedPayload": .discard])
        #expect(!runbook.strategies.values.contains { $0.moves })
        #expect(runbook.discards && runbook.requireDiscardConfirmation)
        #expect(runbook.strategy(for: "Timeout") == .skip)
    }

    @Test("partial-deploy-regression requeues one type and aborts on bounce-back")
    func partialDeploy() throws {
        let runbook = try RunbookParser.load(path: shippedRunbooks + "/partial-deploy-regression.md")
        #expect(runbook.dlqPatterns == ["orders-dlq", "payments-dlq"])
        #expect(runbook.strategies == ["SchemaMismatch": .requeue])
        #expect(runbook.guards.contains { $0.action == .abort && $0.condition == .returnedRatio(.greater, 0.1) })
        let tripped = runbook.evaluateGuards(GuardObservations(returnedRatio: 0.15, dlqDepth: 10))
        #expect(tripped.decision == .abort)
    }

    @Test("every shipped runbook has the sections an on-call engineer needs")
    func proseSections() throws {
        let library = try RunbookLibrary.load(directory: shippedRunbooks)
        #expect(library.rejected.isEmpty)
        for runbook in library.runbooks {
            for section in ["## What happened", "## Before you redrive", "## What this runbook does",
                            "## Watch while it runs", "## Stop by hand when", "## Afterwards"] {
                #expect(runbook.prose.contains(section), "\(runbook.id) lacks \(section)")
            }
        }
    }
}

@Suite("Runbook check and library")
struct RunbookCheckTests {
    /// A fresh folder with the given files, removed after the test.
    static func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-runbooks-\(UInt64.random(in: 0...UInt64.max))").path
        for (name, text) in files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static func runbook(_ id: String, dlq: String = "orders-dlq", extra: String = "") -> String {
        "---\nid: \(id)\ndlq: \"\(dlq)\"\nstrategy:\n  Timeout: requeue\n\(extra)---\n# \(id)\n"
    }

    @Test("a folder: runbooks checked, README left alone, drills skipped without a validator, summary and exit code")
    func folderCheck() throws {
        let dir = try Self.folder([
            "a.md": Self.runbook("first"),
            "b.md": Self.runbook("second", extra: "batch:\n  size: 500\n"),
            "c.md": "---\nid: third\ndlq: q\nstrategy:\n  Timeout: requeu\n---\n",
            "README.md": "# Runbooks\nNot a runbook.\n",
            "drills/gameday.yaml": "name: gameday\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try RunbookCheck().run(paths: [dir])
        #expect(report.runbookCount == 3)
        #expect(report.errorCount == 1)
        #expect(report.warningCount == 1)
        #expect(report.skippedDrillCount == 1)
        #expect(report.exitCode == 1)
        #expect(report.summary == "3 runbooks checked, 1 error, 1 warning (1 drill not checked here)")
        #expect(report.lines.first == "\(dir)/b.md:7:9: warning: batch.size 500 is above the hard ceiling of 100; 100 is used — write size: 100 or less")
        #expect(report.lines.count == 3)
    }

    @Test("drills go to the drill validator when one is set")
    func drillHook() throws {
        let dir = try Self.folder(["a.md": Self.runbook("first"), "drills/one.yaml": "x: 1\n", "drills/two.yml": "x: 2\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let check = RunbookCheck { path in
            [RunbookDiagnostic(file: path, line: 1, column: 1, severity: .error, message: "drill says no", fix: "fix it")]
        }
        let report = try check.run(paths: [dir])
        #expect(report.drillCount == 2)
        #expect(report.errorCount == 2)
        #expect(report.summary == "1 runbook and 2 drills checked, 2 errors, 0 warnings")
    }

    @Test("two runbooks with the same id are an error at the second id")
    func duplicateIds() throws {
        let dir = try Self.folder(["a.md": Self.runbook("same"), "b.md": Self.runbook("same", dlq: "payments-dlq")])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let diagnostics = RunbookCheck.check(paths: [dir])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.description == "\(dir)/b.md:2:5: error: runbook id 'same' is already used by \(dir)/a.md:2:5 — give each runbook its own id")
        let library = try RunbookLibrary.load(directory: dir)
        #expect(library.runbooks.map(\.sourcePath) == ["\(dir)/a.md"])
        #expect(library.rejected.count == 1)
    }

    @Test("a missing path is bad input (exit 2), before anything is checked")
    func missingPath() throws {
        #expect(throws: SluiceError.self) { try RunbookCheck().run(paths: [shippedRunbooks, "/nonexistent/runbooks"]) }
        do {
            _ = try RunbookCheck().run(paths: ["/nonexistent/runbooks"])
        } catch let error as SluiceError {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("/nonexistent/runbooks"))
        }
        #expect(throws: SluiceError.self) { try RunbookLibrary.load(directory: "/nonexistent/runbooks") }
        #expect(throws: SluiceError.self) { try RunbookParser.load(path: "/nonexistent/a.md") }
    }

    @Test("the library finds runbooks by DLQ glob and by id, leaving invalid ones out")
    func library() throws {
        let dir = try Self.folder([
            "orders.md": Self.runbook("orders-only"),
            "all.md": Self.runbook("every-dlq", dlq: "*-dlq"),
            "fifo.md": Self.runbook("fifo", dlq: "*-dlq.fifo"),
            "broken.md": "---\nid: broken\n---\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let library = try RunbookLibrary.load(directory: dir)
        #expect(library.runbooks.map(\.id) == ["every-dlq", "fifo", "orders-only"])
        #expect(library.runbooks(for: "orders-dlq").map(\.id) == ["every-dlq", "orders-only"])
        #expect(library.runbooks(for: "payments-dlq").map(\.id) == ["every-dlq"])
        #expect(library.runbooks(for: "orders-dlq.fifo").map(\.id) == ["fifo"])
        #expect(library.runbooks(for: "orders").isEmpty)
        #expect(library.runbook(id: "fifo")?.dlqPatterns == ["*-dlq.fifo"])
        #expect(library.rejected.map(\.message) == ["missing required key 'dlq'", "missing required key 'strategy'"])
    }

    @Test("CRLF line endings and a byte-order mark read like plain LF")
    func lineEndings() throws {
        let text = "\u{FEFF}---\r\nid: crlf\r\ndlq: orders-dlq\r\nstrategy:\r\n  Timeout: requeu\r\n---\r\n"
        let result = RunbookParser.analyze(text: text, path: "crlf.md")
        #expect(result.errors.map { "\($0.line):\($0.column)" } == ["5:12"])
    }
}
