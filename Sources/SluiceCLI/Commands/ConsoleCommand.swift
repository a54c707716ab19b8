import ArgumentParser
import Foundation
import SluiceConsole
import SluiceCore
import SluiceRedrive
import SluiceSQS
import SluiceStore
import SluiceTerminal

/// `sluice console` (also plain `sluice`): the live terminal console.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the live console: dashboard, DLQ browser with facets and filters, message detail, redrive, journal.",
        discussion: """
        Press ? in the console for the keys of each screen. R in a DLQ opens the redrive dialog with the runbooks \
        of --runbooks that apply to it. --read-only shows everything and refuses every change. Quitting or a signal \
        stops a running redrive between batches; it stays resumable with 'sluice redrive --resume JOB'.
        """
    )

    @OptionGroup var backend: BackendOptions

    @Flag(name: .long, help: "Show everything and refuse every change.")
    var readOnly = false

    @Option(name: .long, help: ArgumentHelp("The runbook folder (default: ./runbooks when it exists).", valueName: "dir"))
    var runbooks: String?

    func validate() throws {
        if let runbooks {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: BackendOptions.expand(runbooks), isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--runbooks '\(runbooks)' is not a folder: pass the folder that holds your runbook .md files")
            }
        }
    }

    func run() async throws {
        let directory = runbooks.map(BackendOptions.expand) ?? RedriveServices.defaultRunbookDirectory
        let readOnly = self.readOnly
        let options = backend
        let exit = try await backend.withBackend(readOnly: readOnly) { opened -> ConsoleApp.Exit in
            var journal: JournalReader?
            var services: RedriveServices?
            if let local = opened as? LocalBackend {
                journal = ConsoleSession.journalReader(for: local.store)
                services = .local(local.store, runbookDirectory: directory)
            } else if let sqs = opened as? SQSBackend {
                // Jobs and the journal live in the --store file beside SQS, as for 'sluice redrive --sqs'.
                if let store = try? options.openStore(readOnly: readOnly) {
                    journal = ConsoleSession.journalReader(for: store)
                    services = RedriveServices(store: store, target: SQSRedriveTarget(store: store, backend: sqs),
                                               runbookDirectory: directory, notes: [SQSRedriveTarget.lineageNote])
                }
            }
            return try await ConsoleSession.run(backend: opened, journal: journal, readOnly: readOnly,
                                                redrive: readOnly ? nil : services)
        }
        ConsoleSession.finish(exit)
    }
}

/// Runs the console on a backend: takes over the terminal, runs the loop, gives it back.
enum ConsoleSession {
    /// Runs until the operator quits or a signal arrives; the terminal is restored on return
    /// and on every thrown error. Redrives still running are stopped between batches first and
    /// named on standard error with the command that resumes them.
    /// - Parameters:
    ///   - redrive: how to plan and run redrives; nil when the console may not start any.
    ///   - simulation: a drill driving the backend's clock (`sluice demo --drill`).
    static func run(backend: any QueueBackend, journal: JournalReader?, readOnly: Bool,
                    redrive: RedriveServices? = nil, simulation: (any SimulationControl)? = nil) async throws -> ConsoleApp.Exit {
        let terminal = try CursesTerminal.open()
        // Nothing below throws: the terminal is always closed before returning.
        let state = ConsoleState(backendLabel: backend.label, isReadOnly: readOnly, now: backend.clock.now(), size: terminal.size)
        let app = ConsoleApp(state: state, device: terminal, backend: backend, journal: journal, redrive: redrive, simulation: simulation)
        let exit = await app.run()
        let stopped = await app.stoppedJobs
        terminal.close()
        for job in stopped {
            Terminal.note("redrive \(job) was stopped between batches and is resumable: sluice redrive --resume \(job)")
        }
        return exit
    }

    /// After the terminal is restored: a signal that stopped the console ends the process the
    /// way that signal would have, so shells and supervisors see the usual status.
    static func finish(_ exit: ConsoleApp.Exit) {
        guard case .signal(let sig) = exit else { return }
        signal(sig, SIG_DFL)
        // To the process, not this thread: dispatch's worker threads block signals, so
        // raise() here could leave the signal pending and the process exiting 0.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, sig)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        kill(getpid(), sig)
        // Should another thread not take it at once, end with the status a shell would show.
        usleep(200_000)
        Foundation.exit(128 + sig)
    }

    /// The newest journal entries of an embedded store, oldest first.
    static func journalReader(for store: Store) -> JournalReader {
        { limit in
            // The store pages the journal oldest first: read the last day, widen when it is short.
            let recent = try store.journal(since: store.clock.now() - .days(1), limit: 100_000)
            if recent.count >= limit { return Array(recent.suffix(limit)) }
            return Array(try store.journal(limit: 100_000).suffix(limit))
        }
    }
}
