import SluiceConsole
import SluiceCore
import SluiceRunbooks

/// Runbooks, plans, dialogs and jobs for the redrive screens.
extension Fixtures {
    static let runbookText = """
    ---
    id: downstream-timeout
    title: Redrive after a downstream outage
    dlq: orders-dlq
    filter:
      error_types: [Timeout, Throttled, Poison]
      min_age: 5m
    batch:
      size: 10
      jitter: 500ms..3s
      max_rate: 5/s
    strategy:
      Timeout: requeue
      Throttled: requeue
      Poison: discard
    guards:
      - pause_if: depth(orders) > 1000
      - abort_if: returned_ratio > 0.2
    require:
      root_cause_ack: true
    ---
    # Redrive after a downstream outage

    ## What happened
    A service the order workers call was down. The messages are fine: they failed because of
    where they were sent, not because of what they contain.

    ## Before you redrive
    1. The downstream service is healthy now.
    2. `orders-worker-errors` is OK.
    """

    static let runbook: Runbook = try! RunbookParser.parse(text: runbookText, path: "runbooks/downstream-timeout.md")

    static let otherRunbook = Runbook(id: "poison-validation", title: "Discard poison messages", sourcePath: "runbooks/poison-validation.md",
                                      dlqPatterns: ["*-dlq"], strategies: ["ValidationError": .discard], prose: "# Poison\nDelete them.")

    static let choices = RunbookChoices(directory: "runbooks", applicable: [runbook, otherRunbook], otherCount: 1, rejected: [
        RunbookDiagnostic(file: "runbooks/broken.md", line: 7, column: 3, severity: .error, message: "unknown strategy 'requeu'",
                          fix: "use requeue, retry-later, discard or skip"),
    ])

    /// A plan over 40 Timeouts, 12 Throttled and 3 Poison, with 20 ValidationErrors skipped by the filter.
    static func plan(jobId: String = "rd-00000000abcd") -> RedrivePlan {
        var candidates: [PlanCandidate] = []
        for i in 0..<55 {
            let type = i < 40 ? "Timeout" : (i < 52 ? "Throttled" : "Poison")
            candidates.append(PlanCandidate(messageId: "m\(i)", errorType: type, sentAt: now - .minutes(Int64(30 + i * 7))))
        }
        return try! PlanBuilder.build(jobId: jobId, dlq: "orders-dlq", destination: "orders", runbook: runbook,
                                      operatorFilter: .all, candidates: candidates, now: now)
    }

    /// The redrive dialog with runbooks listed and a plan made for the first one.
    static func dialog(size: Size = .comfortable) -> ConsoleState {
        var state = browser(size: size)
        _ = state.apply(.key(.char("R")))
        _ = state.apply(.runbooksLoaded(dlq: "orders-dlq", choices))
        _ = state.apply(.key(.enter))
        _ = state.apply(.planMade(generation: state.redriveDialog!.generation, plan()))
        return state
    }

    /// The progress screen of a job part-way through, waiting for its next batch.
    static func progress(size: Size = .comfortable) -> ConsoleState {
        var state = dialog(size: size)
        let plan = plan()
        _ = state.apply(.key(.enter))
        for key in Key.typing("payments API restored at 10:42\n52\n3\n") { _ = state.apply(.key(key)) }
        var p = RedriveProgress(jobId: plan.jobId, dlq: plan.dlq, destination: plan.destination, state: .running, total: 55, updatedAt: now)
        _ = state.apply(.redrive(jobId: plan.jobId, .started(p)))
        p.moved = 20
        p.batches = 2
        let outcome = BatchOutcome(index: 1, moved: [], startedAt: now - .seconds(2), endedAt: now - .milliseconds(1_700))
        _ = state.apply(.redrive(jobId: plan.jobId, .batch(p, outcome)))
        let guards = plan.guards.evaluate(GuardObservations(depth: ["orders": 18], returnedRatio: 0))
        _ = state.apply(.redrive(jobId: plan.jobId, .guardReport(guards)))
        _ = state.apply(.redrive(jobId: plan.jobId, .waiting(until: now + .milliseconds(2_100), jitter: .milliseconds(2_100))))
        return state
    }
}
