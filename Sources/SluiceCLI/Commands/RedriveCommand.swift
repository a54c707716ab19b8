import ArgumentParser
import Foundation
import SluiceCore
import SluiceRedrive
import SluiceRunbooks
import SluiceSQS
import SluiceStore

/// `sluice redrive DLQ --runbook FILE`: plan, confirm, run; or resume/cancel/list jobs.
struct RedriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redrive",
        abstract: "Move DLQ messages back to their source under a runbook: filtered, planned, confirmed, paced and guarded.",
        discussion: """
        The plan freezes the exact messages (later arrivals are never swept in) and shows how many move, \
        are discarded and stay. Without --yes you type the count to confirm; discards need their own typed \
        count (--confirm-discards N with --yes). SIGINT/SIGTERM/SIGHUP stop between batches; the job \
        stays resumable with --resume.
        """
    )

    @OptionGroup var backend: BackendOptions
    @Argument(help: "The dead-letter queue.") var dlq: String?
    @Option(help: ArgumentHelp("The runbook file (runbooks/*.md).", valueName: "file")) var runbook: String?
    @OptionGroup var filterOptions: FilterOptions
    @Option(help: ArgumentHelp("Move at most this many messages (the runbook's cap can only lower it).", valueName: "n")) var limit: Int?
    @Flag(help: "Print the plan and change nothing.") var dryRun = false
    @Option(help: ArgumentHelp("What was fixed (the root-cause acknowledgement; goes into the journal).", valueName: "text")) var ack: String?
    @Flag(help: "Confirm without typing the count (moves only).") var yes = false
    @Option(help: ArgumentHelp("With --yes: the number of discards you confirm (must equal the plan's).", valueName: "n")) var confirmDiscards: Int?
    @Option(help: ArgumentHelp("Resume an interrupted or paused job.", valueName: "job")) var resume: String?
    @Option(help: ArgumentHelp("Cancel a job that is not running.", valueName: "job")) var cancel: String?
    @Flag(help: "List redrive jobs.") var list = false
    @OptionGroup var output: JSONFlag

    func validate() throws {
        let modes = [resume != nil, cancel != nil, list, dlq != nil].filter { $0 }.count
        if modes != 1 {
            throw ValidationError("give a DLQ to plan a redrive, or exactly one of --resume JOB, --cancel JOB, --list")
        }
        if dlq != nil && runbook == nil {
            throw ValidationError("--runbook FILE is required: every redrive follows a runbook (see runbooks/)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit \(limit) must be at least 1") }
    }

    func run() async throws {
        let store = try backend.openStore()
        let session: RedriveSession
        var notes: [String] = []
        if backend.sqs {
            let sqs = try await BackendFactory.makeSQS(endpointURL: backend.endpointURL, region: backend.region, readOnly: false)
            session = RedriveSession(store: store, backend: sqs, target: SQSRedriveTarget(store: store, backend: sqs), json: output.json)
            notes.append(SQSRedriveTarget.lineageNote)
        } else {
            session = RedriveSession(store: store, backend: LocalBackend(store: store), target: LocalRedriveTarget(store: store), json: output.json)
        }
        do {
            try await run(session, store: store, notes: notes)
            await BackendOptions.close(session.backend)
        } catch {
            await BackendOptions.close(session.backend)
            throw error
        }
    }

    private func run(_ session: RedriveSession, store: Store, notes: [String]) async throws {
        if list { return try session.printJobs() }
        if let cancel { return try session.cancel(cancel) }
        if let resume { return try await session.execute(job: resume) }

        let book = try RunbookParser.load(path: runbook!)
        let filter = try filterOptions.filter()
        let plan = try await session.planner.plan(dlq: dlq!, runbook: book, filter: filter, maxMessages: limit, notes: notes)
        session.printPlan(plan, runbook: book)
        if dryRun || plan.items.isEmpty {
            await session.target.finish(job: plan.jobId)
            if plan.items.isEmpty && !output.json { print("nothing to redrive: no selected message has a move or discard strategy") }
            if dryRun && !output.json { Terminal.note("dry run: nothing changed") }
            return
        }
        do {
            let rootCause = try confirmAck(plan)
            try confirmCounts(plan)
            try store.createRedriveJob(plan, ack: rootCause)
            try await session.target.frozen(plan: plan)
        } catch {
            await session.target.finish(job: plan.jobId)
            throw error
        }
        try await session.execute(job: plan.jobId)
    }

    private func confirmAck(_ plan: RedrivePlan) throws -> String? {
        guard plan.requiresRootCauseAck else { return ack }
        var text = ack
        if text == nil {
            guard isatty(STDIN_FILENO) == 1 else {
                throw SluiceError.badInput("runbook '\(plan.runbookId)' requires a root-cause acknowledgement", fix: "pass --ack \"what was fixed\"")
            }
            Terminal.note("This runbook requires a root-cause acknowledgement. What was fixed?")
            FileHandle.standardError.write(Data("ack> ".utf8))
            text = readLine()
        }
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= 8 else {
            throw SluiceError.badInput("the root-cause acknowledgement '\(trimmed)' is too short", fix: "say what was fixed in a few words, e.g. --ack \"payment API restored at 10:42\"")
        }
        return trimmed
    }

    private func confirmCounts(_ plan: RedrivePlan) throws {
        let moves = plan.moveCount, discards = plan.discardCount
        if yes {
            if discards > 0 && confirmDiscards != discards {
                throw SluiceError.refused("the plan discards \(discards) message\(discards == 1 ? "" : "s"); --yes alone does not confirm discards",
                                          fix: "add --confirm-discards \(discards) after reviewing them")
            }
            return
        }
        guard isatty(STDIN_FILENO) == 1 || !output.json else {
            throw SluiceError.badInput("confirmation needed", fix: "type the count at the prompt, or pass --yes")
        }
        if moves > 0 { try prompt("Type \(moves) to move \(moves) message\(moves == 1 ? "" : "s") from \(plan.dlq) to \(plan.destination): ", expect: moves) }
        if discards > 0 { try prompt("Type \(discards) to DISCARD \(discards) message\(discards == 1 ? "" : "s") for good: ", expect: discards) }
    }

    private func prompt(_ question: String, expect: Int) throws {
        FileHandle.standardError.write(Data(question.utf8))
        let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces)
        guard Int(answer) == expect else {
            throw SluiceError.refused("confirmation '\(answer)' does not match \(expect); nothing was changed", fix: "run the command again and type the count shown")
        }
    }
}
