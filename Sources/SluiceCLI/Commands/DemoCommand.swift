import ArgumentParser
import SluiceConsole
import Foundation
import SluiceCore
import SluiceStore

/// `sluice demo`: a live GameDay on a fresh embedded store, in the console.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open the console on a fresh demo store with live traffic, or run a drill live, or replay a drill's trace.",
        discussion: """
        Without --drill: queues orders and payments (each with a DLQ after 3 receives) and notifications, \
        with traffic whose failures keep two DLQs filling. The store lives in a temporary folder and is \
        removed on exit unless --store names a path.

        --drill NAME runs runbooks/drills/NAME.yaml (or a drill file path) with its virtual clock mapped \
        to wall time: P pauses, . steps while paused, < and > change the speed. Redrives started from \
        the console are recorded in the trace (--trace OUT). --replay TRACE plays a finished drill again, \
        read-only, by re-executing it from the drill text, runbooks, seed and live actions the trace holds.
        """
    )

    @Option(help: ArgumentHelp("How fast demo time runs: 1x, 10x or 60x.", valueName: "speed"))
    var speed = "1x"

    @Option(help: ArgumentHelp("Create the demo store at this new path and keep it afterwards.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Seed for the traffic generator (random when omitted), or for the drill (default: its own).", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Run this drill live: a name in runbooks/drills/ or a drill file.", valueName: "name"))
    var drill: String?

    @Option(help: ArgumentHelp("With --drill: write the drill's trace here (the rest of the drill runs when you quit early).", valueName: "out"))
    var trace: String?

    @Option(help: ArgumentHelp("Replay a trace written by 'sluice drill run --trace' or 'sluice demo --drill --trace'.", valueName: "trace"))
    var replay: String?

    func validate() throws {
        if drill != nil && replay != nil { throw ValidationError("--drill and --replay cannot be combined: run a drill, or replay a trace") }
        if trace != nil && drill == nil { throw ValidationError("--trace needs --drill (a replay writes no trace)") }
        if store != nil && (drill != nil || replay != nil) { throw ValidationError("--store is for the traffic demo; a drill runs on a temporary store of its own") }
    }

    /// The speed factor of `--speed`.
    static func parseSpeed(_ text: String) throws -> Int64 {
        let allowed: [String: Int64] = ["1x": 1, "10x": 10, "60x": 60]
        guard let factor = allowed[text.lowercased()] else {
            throw SluiceError.badInput("--speed '\(text)' is not a demo speed", fix: "use 1x, 10x or 60x")
        }
        return factor
    }

    func run() async throws {
        let factor = try DemoCommand.parseSpeed(speed)
        if let drill {
            return try await DrillDemo.live(path: DrillDemo.resolve(drill), seed: seed, speed: Int(factor), trace: trace)
        }
        if let replay {
            return try await DrillDemo.replay(trace: replay, speed: Int(factor))
        }
        let directory: String?
        let path: String
        if let store {
            path = BackendOptions.expand(store)
            guard !FileManager.default.fileExists(atPath: path) else {
                throw SluiceError.conflict("--store '\(path)' already exists; the demo needs a fresh store", fix: "pass a new path, or omit --store for a temporary one")
            }
            directory = nil
        } else {
            let dir = NSTemporaryDirectory() + "sluice-demo-" + UUID().uuidString.prefix(8).lowercased()
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            directory = dir
            path = dir + "/demo.sluice"
        }
        defer { if let directory { try? FileManager.default.removeItem(atPath: directory) } }

        let seed = self.seed ?? UInt64.random(in: 0...UInt64.max)
        let clock = DemoClock(speed: factor)
        let opened = try Store(path: path, clock: clock)
        try DemoTraffic.createTopology(in: opened)
        try opened.appendJournal(action: "demo.start", subject: path, details: ["speed": speed, "seed": String(seed)])
        let now = clock.now()
        let seeding = Task.detached { try DemoSeeder.seed(path: path, now: now, seed: seed) }
        let traffic = Task.detached { await DemoTraffic(store: opened, clock: clock, seed: seed).run() }

        let exit: ConsoleApp.Exit
        do {
            exit = try await ConsoleSession.run(backend: LocalBackend(store: opened), journal: ConsoleSession.journalReader(for: opened), readOnly: false,
                                                redrive: .local(opened, runbookDirectory: RedriveServices.defaultRunbookDirectory))
        } catch {
            traffic.cancel()
            _ = try? await seeding.value
            await traffic.value
            throw error
        }
        traffic.cancel()
        _ = try? await seeding.value
        await traffic.value
        if directory == nil { Terminal.note("demo store kept at \(path)") }
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
        ConsoleSession.finish(exit)
    }
}
