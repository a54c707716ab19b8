/// Builds a ``RedrivePlan`` from a runbook, the operator's filter and the DLQ's candidates. Pure.
public enum PlanBuilder {
    /// Why a plan cannot be made.
    public static func refusal(_ message: String, fix: String) -> SluiceError { .refused(message, fix: fix) }

    /// Makes the plan.
    ///
    /// - Parameters:
    ///   - candidates: the DLQ's messages matching the runbook-narrowed filter, oldest first.
    ///   - operatorMaxMessages: the operator's own cap (`--limit`); the runbook's cap can only lower it.
    /// - Throws: `refused` when the runbook does not apply to the DLQ or the filters exclude each other.
    public static func build(
        jobId: String, dlq: String, destination: String, runbook: Runbook, operatorFilter: MessageFilter,
        candidates: [PlanCandidate], now: Timestamp, operatorMaxMessages: Int? = nil, notes: [String] = []
    ) throws -> RedrivePlan {
        guard runbook.appliesTo(queue: dlq) else {
            throw refusal("runbook '\(runbook.id)' does not apply to '\(dlq)' (it covers \(runbook.dlqPatterns.joined(separator: ", ")))",
                          fix: "pick a runbook whose dlq pattern matches, or extend its 'dlq' list after review")
        }
        guard let effective = runbook.narrow(operatorFilter) else {
            throw refusal("the runbook's filter and yours select nothing in common", fix: "widen your --error-type/--min-age/--max-age, or choose another runbook")
        }
        let limits = runbook.clampedLimits(operatorMaxMessages: operatorMaxMessages)
        var items: [PlanItem] = []
        var tally: [String: [RedriveStrategy: Int]] = [:]
        var overLimit = 0
        for c in candidates where effective.matches(errorType: c.errorType, sentAt: c.sentAt, now: now) {
            let strategy = runbook.strategy(for: c.errorType)
            if strategy != .skip {
                if let cap = limits.maxMessages, items.count >= cap {
                    overLimit += 1
                    continue
                }
                items.append(PlanItem(messageId: c.messageId, errorType: c.errorType, sentAt: c.sentAt, strategy: strategy))
            }
            tally[c.errorType, default: [:]][strategy, default: 0] += 1
        }
        let counts = tally.flatMap { type, byStrategy in
            byStrategy.map { StrategyCount(errorType: type, strategy: $0.key, count: $0.value) }
        }.sorted { ($0.count, $1.errorType, $1.strategy.rawValue) > ($1.count, $0.errorType, $0.strategy.rawValue) }
        return RedrivePlan(
            jobId: jobId, dlq: dlq, destination: destination, runbookId: runbook.id, runbookTitle: runbook.title,
            runbookPath: runbook.sourcePath, createdAt: now, operatorFilter: operatorFilter, effectiveFilter: effective,
            limits: limits, retryDelay: runbook.retryDelay, items: items, counts: counts,
            ageHistogram: histogram(items.map { now - $0.sentAt }), overLimit: overLimit, guards: runbook.guards,
            requiresRootCauseAck: runbook.requireRootCauseAck, notes: notes
        )
    }

    /// Upper bounds (exclusive) and labels of the age histogram.
    static let ageEdges: [(TimeSpan, String)] = [
        (.minutes(5), "<5m"), (.hours(1), "5m-1h"), (.hours(6), "1h-6h"), (.days(1), "6h-1d"),
        (.days(3), "1d-3d"), (.days(7), "3d-7d"),
    ]

    /// Counts ages into fixed buckets; every bucket is present so plans compare easily.
    public static func histogram(_ ages: [TimeSpan]) -> [AgeBucket] {
        var counts = [Int](repeating: 0, count: ageEdges.count + 1)
        for age in ages {
            let index = ageEdges.firstIndex { age < $0.0 } ?? ageEdges.count
            counts[index] += 1
        }
        return zip(ageEdges.map(\.1) + [">7d"], counts).map { AgeBucket(label: $0, count: $1) }
    }

    /// A job id: `rd-` and 12 hex digits, from the time and a random source (seeded in drills).
    public static func makeJobId(now: Timestamp, using rng: inout some RandomNumberGenerator) -> String {
        let mixed = UInt64(bitPattern: now.millis) &* 0x9E37_79B9_7F4A_7C15 ^ rng.next()
        let hex = String(mixed & 0xFFFF_FFFF_FFFF, radix: 16)
        return "rd-" + String(repeating: "0", count: 12 - hex.count) + hex
    }
}
