import ArgumentParser
import Foundation
import SluiceConsole
import SluiceCore
import SluiceStore
import SluiceTerminal

/// `sluice console` (also plain `sluice`): the live terminal console.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the live console: dashboard, DLQ browser with facets and filters, message detail, journal.",
        discussion: "Press ? in the console for the keys of each screen. --read-only shows everything and refuses every change."
    )

    @OptionGroup var backend: BackendOptions

    @Flag(name: .long, help: "Show everything and refuse every change.")
    var readOnly = false

    func run() async throws {
        let opened = try await backend.openBackend(readOnly: readOnly)
        let journal = (opened as? LocalBackend).map { ConsoleSession.journalReader(for: $0.store) }
        let exit = try await ConsoleSession.run(backend: opened, journal: journal, readOnly: readOnly)
        ConsoleSession.finish(exit)
    }
}

/// Runs the console on a backend: takes over the terminal, runs the loop, gives it back.
enum ConsoleSession {
    /// Runs until the operator quits or a signal arrives; the terminal is restored on return
    /// and on every thrown error.
    static func run(backend: any QueueBackend, journal: JournalReader?, readOnly: Bool) async throws -> ConsoleApp.Exit {
        let terminal = try CursesTerminal.open()
        defer { terminal.close() }
        let state = ConsoleState(backendLabel: backend.label, isReadOnly: readOnly, now: backend.clock.now(), size: terminal.size)
        let app = ConsoleApp(state: state, device: terminal, backend: backend, journal: journal)
        return await app.run()
    }

    /// After the terminal is restored: a signal that stopped the console ends the process the
    /// way that signal would have, so shells and supervisors see the usual status.
    static func finish(_ exit: ConsoleApp.Exit) {
        guard case .signal(let sig) = exit else { return }
        signal(sig, SIG_DFL)
        raise(sig)
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
