import Foundation
import SluiceConsole
import SluiceCore
import SluiceDrills
import SluiceStore

/// `sluice demo --drill NAME` and `sluice demo --replay TRACE`: a drill in the console, its
/// virtual clock mapped to wall time.
enum DrillDemo {
    /// The drill file `NAME` stands for: a path to a file, else `runbooks/drills/NAME.yaml`.
    /// - Throws: ``SluiceError`` naming the drills there are.
    static func resolve(_ name: String) throws -> String {
        if FileManager.default.fileExists(atPath: name), name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return name }
        let folder = "runbooks/drills"
        for candidate in [folder + "/" + name + ".yaml", folder + "/" + name + ".yml"] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        let known = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        throw SluiceError.notFound("--drill '\(name)' is neither a drill file nor a drill in \(folder)/",
                                   fix: known.isEmpty ? "pass the path of a drill file, or run from the folder holding runbooks/drills/"
                                       : "known drills: \(known.joined(separator: ", "))")
    }

    /// Runs a drill live in the console.
    /// - Parameters:
    ///   - trace: where the trace goes; when the operator quits early the rest of the drill runs
    ///     at full speed first, so the trace is complete and replayable.
    static func live(path: String, seed: UInt64?, speed: Int, trace: String?) async throws {
        let loaded = try DrillParser.load(path: path)
        for warning in loaded.warnings { Terminal.note(warning.description) }
        try await run(loaded, seed: seed, liveSteps: [], speed: speed, mode: "live", trace: trace, readOnly: false)
    }

    /// Replays a trace in the console: the drill is executed again from the trace's drill text,
    /// runbooks, seed and live operator actions (which gives the same run), read-only.
    static func replay(trace path: String, speed: Int) async throws {
        let records = try TraceReader.read(path: path)
        let (loaded, seed) = try DrillRunner.loaded(from: records)
        try await run(loaded, seed: seed, liveSteps: TraceReader.liveSteps(in: records), speed: speed, mode: "replay", trace: nil, readOnly: true)
    }

    private static func run(_ loaded: LoadedDrill, seed: UInt64?, liveSteps: [OperatorStep], speed: Int, mode: String,
                            trace: String?, readOnly: Bool) async throws {
        let directory = try DrillRunner.makeScratchFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session = try await DrillSession(loaded: loaded, seed: seed, directory: directory,
                                             trace: trace.map { .file($0) } ?? .discard, liveSteps: liveSteps)
        let live = LiveDrill(session: session, speed: speed, mode: mode)
        await live.start()
        // The store's own clock is a manual one whose `sleep` would advance the drill at once:
        // the console sees a paced one, so a redrive it starts waits for virtual time to pass.
        let backend = LocalBackend(store: session.store, clock: PacedDrillClock(virtual: session.store.clock),
                                   label: "drill \(loaded.drill.id) (embedded, virtual time)")
        let services = readOnly ? nil : RedriveServices.local(session.store, runbookDirectory: loaded.drill.runbookDirectory)
        let exit: ConsoleApp.Exit
        do {
            exit = try await ConsoleSession.run(backend: backend, journal: ConsoleSession.journalReader(for: session.store), readOnly: readOnly,
                                                redrive: services, simulation: DrillSimulation(live: live))
        } catch {
            await live.stop()
            throw error
        }
        await live.stop()
        if let trace {
            if await live.finalReport == nil { Terminal.note("running the rest of drill \(loaded.drill.id) at full speed to complete the trace…") }
            let report = try await live.finish()
            Terminal.note("drill \(report.drill): \(report.passed ? "PASSED" : "FAILED"); trace written to \(trace) (replay it with 'sluice demo --replay \(trace)' or check it with 'sluice drill replay \(trace)')")
        } else if let report = await live.finalReport {
            Terminal.note("drill \(report.drill): \(report.passed ? "PASSED" : "FAILED") (\(report.expectations.count - report.failedCount) of \(report.expectations.count) expectations held)")
        }
        try? FileManager.default.removeItem(atPath: directory)
        ConsoleSession.finish(exit)
    }
}
