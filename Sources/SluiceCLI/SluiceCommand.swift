import ArgumentParser

/// The root `sluice` command.
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A terminal console for dead-letter-queue redrive: watch queues, filter DLQs, redrive safely.",
        discussion: "Run with no subcommand to open the console on the embedded store (--store via SLUICE_STORE). Try 'sluice demo' for a live demo on a fresh store.",
        subcommands: [
            ConsoleCommand.self, DemoCommand.self,
            StatusCommand.self, QueueCommand.self, SendCommand.self, ReceiveCommand.self, AckCommand.self, FailCommand.self,
            DLQCommand.self, RedriveCommand.self, RunbookCommand.self, DrillCommand.self, AuditCommand.self,
        ]
    )

    /// Plain `sluice` opens the console with its defaults (`SLUICE_STORE` or the default store).
    /// The console is not the parser's default subcommand on purpose: a mistyped subcommand then
    /// gets "unknown subcommand" and the list of commands, not the console's usage.
    func run() async throws {
        let console = try ConsoleCommand.parse([])
        try await console.run()
    }
}
