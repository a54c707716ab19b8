import ArgumentParser

/// The root `sluice` command.
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A terminal console for dead-letter-queue redrive: watch queues, filter DLQs, redrive safely.",
        subcommands: [
            StatusCommand.self, QueueCommand.self, SendCommand.self, ReceiveCommand.self, AckCommand.self, FailCommand.self,
            DLQCommand.self, RedriveCommand.self, AuditCommand.self,
        ]
    )
}
