import SluiceCore

/// The runbooks a DLQ can be redriven under, as the effect runner found them.
public struct RunbookChoices: Sendable, Hashable {
    /// The folder that was read (empty when none is configured).
    public var directory: String
    /// Runbooks whose `dlq` globs match the DLQ, by id.
    public var applicable: [Runbook]
    /// Valid runbooks of the folder that cover other DLQs (to say why the list is short).
    public var otherCount: Int
    /// Files refused as invalid, as `file:line:column` diagnostics.
    public var rejected: [RunbookDiagnostic]
    /// Why no list could be read at all (no folder), with what to do.
    public var problem: String?

    /// Creates choices.
    public init(directory: String, applicable: [Runbook], otherCount: Int = 0, rejected: [RunbookDiagnostic] = [], problem: String? = nil) {
        self.directory = directory
        self.applicable = applicable
        self.otherCount = otherCount
        self.rejected = rejected
        self.problem = problem
    }
}

/// The redrive dialog: choose a runbook, read it beside the resolved plan, acknowledge the root
/// cause when the runbook asks, and confirm by typing the counts.
public struct RedriveDialogState: Sendable {
    /// Where the dialog is.
    public enum Step: Sendable, Hashable {
        /// Reading the runbook folder.
        case loadingRunbooks
        /// Choosing a runbook; `enter` plans with the highlighted one.
        case choose
        /// The plan is being made (candidates read, nothing changes).
        case planning
        /// The plan is shown; `enter` goes on to the acknowledgement and confirmations.
        case review
        /// Typing what was fixed.
        case acknowledge
        /// Typing the number of messages that move.
        case confirmMoves
        /// Typing the number of messages discarded for good.
        case confirmDiscards
        /// Confirmed: the job is being created.
        case starting
    }

    /// The DLQ redriven.
    public var dlq: String
    /// The operator's filter from the browser.
    public var filter: MessageFilter
    /// Message ids selected with `space`; the plan keeps only these when not empty.
    public var selection: Set<String>
    public var step: Step = .loadingRunbooks
    public var choices: RunbookChoices?
    /// The highlighted runbook.
    public var cursor = 0
    /// The plan, once made (for the runbook its `runbookId` names).
    public var plan: RedrivePlan?
    /// Bumped on every plan request; answers to older ones are dropped.
    public var generation = 0
    /// The text field of the acknowledgement and confirmation steps.
    public var field: LineEditor?
    /// The acknowledgement, once given.
    public var ack: String?
    /// The last problem (a plan refused, a count mistyped), shown in the dialog.
    public var problem: String?
    /// The first prose line shown.
    public var proseScroll = 0

    /// A dialog on `dlq` for `filter`, optionally only the `selection`.
    public init(dlq: String, filter: MessageFilter, selection: Set<String> = []) {
        self.dlq = dlq
        self.filter = filter
        self.selection = selection
    }

    /// The highlighted runbook.
    public var runbook: Runbook? {
        guard let list = choices?.applicable, cursor >= 0, cursor < list.count else { return nil }
        return list[cursor]
    }

    /// The plan, when it was made for the highlighted runbook.
    public var currentPlan: RedrivePlan? {
        guard let plan, plan.runbookId == runbook?.id else { return nil }
        return plan
    }

    /// Lets go of the plan (its scan lease on SQS): the effect to run, if there was one.
    mutating func dropPlan() -> [ConsoleEffect] {
        guard let plan else { return [] }
        self.plan = nil
        return [.releasePlan(jobId: plan.jobId)]
    }

    /// The least an acknowledgement must say.
    public static let minimumAckLength = 8
}
