import ArgumentParser
import SluiceCore

/// `sluice queue create|list|delete`.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Create, list and delete queues.",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a queue, optionally with a dead-letter queue (redrive policy).")

        @OptionGroup var backend: BackendOptions
        @Argument(help: "The queue name (letters, digits, '-', '_'; FIFO names end in .fifo).") var name: String
        @Option(help: ArgumentHelp("Dead-letter queue for messages received too often (create it first).", valueName: "name")) var dlq: String?
        @Option(help: ArgumentHelp("Receives before a message moves to the DLQ (1-1000).", valueName: "n")) var maxReceiveCount: Int?
        @Option(help: ArgumentHelp("How long a received message stays hidden (default 30s, max 12h).", valueName: "duration")) var visibilityTimeout: String?
        @Option(help: ArgumentHelp("How long messages are kept (default 4d, 1m-14d).", valueName: "duration")) var retention: String?
        @Option(help: ArgumentHelp("Delivery delay of new messages (default 0, max 15m).", valueName: "duration")) var delay: String?

        func validate() throws {
            if (dlq == nil) != (maxReceiveCount == nil) {
                throw ValidationError("--dlq and --max-receive-count go together — pass both to set a redrive policy")
            }
        }

        func run() async throws {
            var spec = QueueSpec(name: name)
            if let v = try parseSpan(visibilityTimeout, flag: "--visibility-timeout") { spec.visibilityTimeout = v }
            if let r = try parseSpan(retention, flag: "--retention") { spec.retention = r }
            if let d = try parseSpan(delay, flag: "--delay") { spec.delay = d }
            if let dlq, let maxReceiveCount { spec.redrivePolicy = RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: maxReceiveCount) }
            let info = try await backend.withBackend { try await $0.createQueue(spec) }
            print("created queue \(info.name)" + (spec.redrivePolicy.map { " (DLQ \($0.deadLetterQueue) after \($0.maxReceiveCount) receives)" } ?? ""))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queues and their redrive policies.")

        @OptionGroup var backend: BackendOptions
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let queues = try await backend.withBackend { try await $0.listQueues() }
            if output.json {
                JSONOutput.print(queues.map(QueueListJSON.init))
                return
            }
            if queues.isEmpty {
                print("no queues — create one with 'sluice queue create NAME'")
                return
            }
            var table = TextTable(["QUEUE", "VISIBILITY", "RETENTION", "DELAY", "DLQ", "MAX RECEIVES", "DLQ OF"])
            for q in queues {
                table.add([q.name, q.spec.visibilityTimeout.description, q.spec.retention.description, q.spec.delay.description,
                           q.spec.redrivePolicy?.deadLetterQueue ?? "-", q.spec.redrivePolicy.map { String($0.maxReceiveCount) } ?? "-",
                           q.deadLetterSources.isEmpty ? "-" : q.deadLetterSources.joined(separator: ",")])
            }
            print(table.render())
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a queue and every message in it (embedded store).")

        @OptionGroup var backend: BackendOptions
        @Argument(help: "The queue name.") var name: String
        @Flag(help: "Confirm: the queue's messages are deleted too.") var yes = false

        func run() async throws {
            guard yes else {
                throw SluiceError.refused("deleting '\(name)' deletes its messages too", fix: "add --yes to confirm")
            }
            try backend.openStore().deleteQueue(named: name)
            print("deleted queue \(name)")
        }
    }
}

struct QueueListJSON: Encodable {
    let name: String
    let visibilityTimeoutMs: Int64
    let retentionMs: Int64
    let delayMs: Int64
    let deadLetterQueue: String?
    let maxReceiveCount: Int?
    let deadLetterSources: [String]
    let fifo: Bool

    init(_ q: QueueInfo) {
        name = q.name
        visibilityTimeoutMs = q.spec.visibilityTimeout.millis
        retentionMs = q.spec.retention.millis
        delayMs = q.spec.delay.millis
        deadLetterQueue = q.spec.redrivePolicy?.deadLetterQueue
        maxReceiveCount = q.spec.redrivePolicy?.maxReceiveCount
        deadLetterSources = q.deadLetterSources
        fifo = q.spec.isFIFO
    }
}
