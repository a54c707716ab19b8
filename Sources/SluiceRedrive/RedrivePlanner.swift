import SluiceCore
import SluiceStore

/// Turns a DLQ, the operator's filter and a runbook into a frozen plan.
public struct RedrivePlanner: Sendable {
    public let backend: any QueueBackend
    public let target: any RedriveTarget

    public init(backend: any QueueBackend, target: any RedriveTarget) {
        self.backend = backend
        self.target = target
    }

    /// At most this many candidates are read for one plan.
    public static let maxCandidates = 2_000_000

    /// Makes a plan. Nothing changes in the DLQ.
    /// - Throws: `notFound` for an unknown DLQ, `refused` when the runbook does not apply or the
    ///   destination is ambiguous.
    public func plan(dlq: String, runbook: Runbook, filter: MessageFilter, maxMessages: Int? = nil,
                     jobId: String? = nil, seed: UInt64? = nil, notes: [String] = []) async throws -> RedrivePlan {
        try filter.validate()
        let queues = try await backend.listQueues()
        guard let info = queues.first(where: { $0.name == dlq }) else {
            throw SluiceError.notFound("queue '\(dlq)' does not exist", fix: "known queues: \(queues.map(\.name).prefix(12).joined(separator: ", "))")
        }
        let destination = try Self.destination(for: info, runbook: runbook, queues: queues)
        guard let narrowed = runbook.narrow(filter) else {
            throw SluiceError.refused("the runbook's filter and yours select nothing in common", fix: "widen your filter or choose another runbook")
        }
        let now = backend.clock.now()
        let candidates = try await target.candidates(dlq: dlq, filter: narrowed, limit: Self.maxCandidates)
        var rng = SplitMix64(seed: seed ?? UInt64.random(in: 0...UInt64.max))
        let id = jobId ?? PlanBuilder.makeJobId(now: now, using: &rng)
        return try PlanBuilder.build(jobId: id, dlq: dlq, destination: destination, runbook: runbook, operatorFilter: filter,
                                     candidates: candidates, now: now, operatorMaxMessages: maxMessages, notes: notes + (await target.candidateNotes()))
    }

    /// The source queue from the redrive policy, or the runbook's explicit destination.
    static func destination(for dlq: QueueInfo, runbook: Runbook, queues: [QueueInfo]) throws -> String {
        if let explicit = runbook.destination {
            guard queues.contains(where: { $0.name == explicit }) else {
                throw SluiceError.notFound("the runbook's destination queue '\(explicit)' does not exist", fix: "create it, or fix 'destination' in \(runbook.sourcePath)")
            }
            return explicit
        }
        switch dlq.deadLetterSources.count {
        case 1:
            return dlq.deadLetterSources[0]
        case 0:
            throw SluiceError.refused("no queue dead-letters into '\(dlq.name)', so there is no source to redrive to",
                                      fix: "set 'destination: QUEUE' in the runbook (e.g. for a Lambda async DLQ)")
        default:
            throw SluiceError.refused("'\(dlq.name)' is the DLQ of several queues (\(dlq.deadLetterSources.joined(separator: ", ")))",
                                      fix: "set 'destination: QUEUE' in the runbook to say which one gets the messages")
        }
    }
}
