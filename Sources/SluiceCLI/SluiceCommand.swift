import ArgumentParser

/// The root `sluice` command.
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A terminal console for dead-letter-queue redrive: watch queues, filter DLQs, redrive safely.",
        subcommands: [
            ConsoleCommand.self, DemoCommand.self,
            StatusCommand.self, QueueCommand.self, SendCommand.self, ReceiveCommand.self, AckCommand.self, FailCommand.self,
            DLQCommand.self, RedriveCommand.self, RunbookCommand.self, DrillCommand.self, AuditCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )
}
