import Foundation
import SluiceCore
import SluiceRedrive
import SluiceRunbooks
import SluiceStore

/// What a console needs to plan and run redrives: the store that keeps jobs and the journal
/// (the embedded store itself, or the `--store` file beside SQS), the target that moves
/// messages, and the runbook folder.
public struct RedriveServices: Sendable {
    /// Jobs, items, progress and the journal.
    public var store: Store
    /// Where messages physically move.
    public var target: any RedriveTarget
    /// The runbook folder; nil when there is none (the dialog says how to get one).
    public var runbookDirectory: String?
    /// Plain-language notes every plan carries (e.g. where lineage lives on SQS).
    public var notes: [String]

    /// Creates the services.
    public init(store: Store, target: any RedriveTarget, runbookDirectory: String?, notes: [String] = []) {
        self.store = store
        self.target = target
        self.runbookDirectory = runbookDirectory
        self.notes = notes
    }

    /// The embedded store as both job store and target.
    public static func local(_ store: Store, runbookDirectory: String?) -> RedriveServices {
        RedriveServices(store: store, target: LocalRedriveTarget(store: store), runbookDirectory: runbookDirectory)
    }

    /// `./runbooks` when it exists: the default folder of `sluice console`.
    public static var defaultRunbookDirectory: String? {
        var isDirectory: ObjCBool = false
        let path = FileManager.default.currentDirectoryPath + "/runbooks"
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
    }

    /// The runbooks that apply to `dlq`, with the files refused and why.
    func choices(for dlq: String) -> RunbookChoices {
        guard let directory = runbookDirectory else {
            return RunbookChoices(directory: "", applicable: [],
                                  problem: "no runbook folder: start the console with --runbooks DIR (default ./runbooks when it exists)")
        }
        do {
            let library = try RunbookLibrary.load(directory: directory)
            let applicable = library.runbooks(for: dlq)
            return RunbookChoices(directory: directory, applicable: applicable, otherCount: library.runbooks.count - applicable.count,
                                  rejected: library.rejected)
        } catch let error as SluiceError {
            return RunbookChoices(directory: directory, applicable: [], problem: error.description)
        } catch {
            return RunbookChoices(directory: directory, applicable: [], problem: "cannot read \(directory): \(error)")
        }
    }
}

/// A target that offers the planner only the messages the operator marked, so a plan over a
/// selection is built exactly like one over a filter (the runner uses the base target).
struct SelectionTarget: RedriveTarget {
    let base: any RedriveTarget
    let selection: Set<String>

    func candidates(dlq: String, filter: MessageFilter, limit: Int) async throws -> [PlanCandidate] {
        try await base.candidates(dlq: dlq, filter: filter, limit: limit).filter { selection.contains($0.messageId) }
    }

    func runBatch(job: String, fromIndex: Int, count: Int) async throws -> BatchOutcome {
        try await base.runBatch(job: job, fromIndex: fromIndex, count: count)
    }

    func returned(job: String, dlq: String) async throws -> Int? {
        try await base.returned(job: job, dlq: dlq)
    }

    func frozen(plan: RedrivePlan) async throws {
        try await base.frozen(plan: plan)
    }

    func finish(job: String) async {
        await base.finish(job: job)
    }
}
