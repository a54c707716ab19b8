import ArgumentParser
import SluiceCore

/// `sluice audit`: the append-only journal.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit journal: who did what, when and why (JSON Lines with --json).")

    @OptionGroup var backend: BackendOptions
    @Option(help: ArgumentHelp("Only entries from this long ago, e.g. 2h.", valueName: "duration")) var since: String?
    @OptionGroup var output: JSONFlag

    func run() async throws {
        let store = try backend.openStore()
        let from = try parseSpan(since, flag: "--since").map { store.clock.now() - $0 }
        let entries = try store.journal(since: from)
        if output.json {
            for e in entries { JSONOutput.print(AuditJSON(e)) }
            return
        }
        if entries.isEmpty { print("the journal is empty"); return }
        for e in entries {
            let details = e.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            print("\(e.at.iso8601)  \(e.actor)  \(e.action)  \(e.subject)  \(details)")
        }
    }
}

struct AuditJSON: Encodable {
    let seq: Int64
    let at: String
    let timestamp: Int64
    let actor: String
    let action: String
    let subject: String
    let details: [String: String]

    init(_ e: JournalEntry) {
        seq = e.seq
        at = e.at.iso8601
        timestamp = e.at.millis
        actor = e.actor
        action = e.action
        subject = e.subject
        details = e.details
    }
}
