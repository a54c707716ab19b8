import ArgumentParser

/// The root `sluice` command.
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A terminal console for dead-letter-queue redrive: watch queues, filter DLQs, redrive safely.",
        subcommands: []
    )
}
