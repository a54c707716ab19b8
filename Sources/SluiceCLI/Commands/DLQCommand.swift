import ArgumentParser
import SluiceCore

/// The operator's filter flags, shared by `dlq list` and `redrive`.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("error-type"), help: ArgumentHelp("Keep only this error type; repeat for more.", valueName: "type")) var errorTypes: [String] = []
    @Option(help: ArgumentHelp("Keep only messages at least this old (since first send), e.g. 5m.", valueName: "duration")) var minAge: String?
    @Option(help: ArgumentHelp("Keep only messages at most this old, e.g. 3d.", valueName: "duration")) var maxAge: String?

    func filter() throws -> MessageFilter {
        let f = MessageFilter(errorTypes: Set(errorTypes), minAge: try parseSpan(minAge, flag: "--min-age"), maxAge: try parseSpan(maxAge, flag: "--max-age"))
        try f.validate()
        return f
    }
}

/// `sluice dlq list QUEUE`: facet counts and the oldest matching messages.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dlq", abstract: "Inspect dead-letter queues.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count a DLQ's messages by error type and list the oldest that match.")

        @OptionGroup var backend: BackendOptions
        @Argument(help: "The dead-letter queue.") var queue: String
        @OptionGroup var filterOptions: FilterOptions
        @Option(help: ArgumentHelp("Messages to list (1-1000).", valueName: "n")) var limit = 20
        @Option(help: ArgumentHelp("Continue after this cursor (printed by the previous page).", valueName: "cursor")) var cursor: String?
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let filter = try filterOptions.filter()
            try await backend.withBackend(readOnly: true) { try await show($0, filter: filter) }
        }

        private func show(_ backend: any QueueBackend, filter: MessageFilter) async throws {
            let facets = try await backend.facets(of: queue, filter: filter)
            let page = try await backend.page(of: queue, filter: filter, after: cursor, limit: limit)
            let now = backend.clock.now()
            let info = try await backend.queue(named: queue)
            if output.json {
                JSONOutput.print(DLQListJSON(queue: queue, total: facets.total, facets: facets.counts,
                                             messages: page.messages.map { MessageJSON($0, now: now) }, nextCursor: page.nextCursor))
                return
            }
            print("\(queue): \(facets.total) matching message\(facets.total == 1 ? "" : "s")")
            for (type, count) in facets.ranked { print("  \(String(count).leftPad(8))  \(type)") }
            guard !page.messages.isEmpty else { return }
            print("")
            var table = TextTable(["MESSAGE ID", "ERROR TYPE", "AGE", "IN DLQ", "EXPIRES IN", "RECEIVES", "BODY"], rightAligned: [2, 3, 4, 5])
            for m in page.messages {
                table.add([m.id, m.errorType ?? unknownErrorType, m.age(at: now).compact,
                           m.deadLetteredAt.map { (now - $0).compact } ?? "-",
                           m.timeToExpiry(at: now, retention: info.spec.retention).compact,
                           String(m.receiveCount), bodyPreview(m.body, width: 48)])
            }
            print(table.render())
            if let next = page.nextCursor { print("\nmore: sluice dlq list \(queue) --cursor \(next)") }
        }
    }
}

struct DLQListJSON: Encodable {
    let queue: String
    let total: Int
    let facets: [String: Int]
    let messages: [MessageJSON]
    let nextCursor: String?
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
