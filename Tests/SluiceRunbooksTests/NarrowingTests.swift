import SluiceCore
import Testing

@Suite("Narrowing and clamping")
struct NarrowingTests {
    static let types = ["Timeout", "Throttled", "ValidationError", "SchemaMismatch", "Unknown"]

    static func randomFilter(_ rng: inout SplitMix64) -> MessageFilter {
        let types = Set(Self.types.filter { _ in Bool.random(using: &rng) && Bool.random(using: &rng) })
        let minAge: TimeSpan? = Bool.random(using: &rng) ? .minutes(Int64.random(in: 0...120, using: &rng)) : nil
        let maxAge: TimeSpan? = Bool.random(using: &rng) ? .minutes(Int64.random(in: 0...240, using: &rng)) : nil
        return MessageFilter(errorTypes: types, minAge: minAge, maxAge: maxAge)
    }

    static func runbook(filter: MessageFilter = .all, batch: RunbookBatch = .defaults) -> Runbook {
        Runbook(id: "r", dlqPatterns: ["*"], filter: filter, batch: batch, strategies: ["Timeout": .requeue])
    }

    @Test("a runbook never widens the operator's filter: narrowed = operator ∩ runbook, over random filters and messages")
    func neverWidens() {
        var rng = SplitMix64(seed: 7)
        let now = Timestamp(millis: 1_800_000_000_000)
        var narrowedSomething = 0, emptied = 0
        for _ in 0..<2000 {
            let operatorFilter = Self.randomFilter(&rng)
            let runbookFilter = Self.randomFilter(&rng)
            let narrowed = Self.runbook(filter: runbookFilter).narrow(operatorFilter)
            if narrowed == nil { emptied += 1 }
            for _ in 0..<20 {
                let type = Self.types.randomElement(using: &rng)!
                let sentAt = now - .minutes(Int64.random(in: 0...300, using: &rng))
                let byOperator = operatorFilter.matches(errorType: type, sentAt: sentAt, now: now)
                let byRunbook = runbookFilter.matches(errorType: type, sentAt: sentAt, now: now)
                let byNarrowed = narrowed?.matches(errorType: type, sentAt: sentAt, now: now) ?? false
                #expect(byNarrowed == (byOperator && byRunbook),
                        "operator \(operatorFilter), runbook \(runbookFilter), narrowed \(String(describing: narrowed)), \(type) sent \((now - sentAt).compact) ago")
                if byOperator && !byNarrowed { narrowedSomething += 1 }
            }
        }
        // The property is only meaningful if the generator produced both outcomes.
        #expect(narrowedSomething > 100 && emptied > 10)
    }

    @Test("disjoint error types or an empty window select nothing, instead of falling back to 'all'")
    func disjoint() {
        let runbook = Self.runbook(filter: MessageFilter(errorTypes: ["Timeout"], minAge: .hours(1)))
        #expect(runbook.narrow(MessageFilter(errorTypes: ["ValidationError"])) == nil)
        #expect(runbook.narrow(MessageFilter(maxAge: .minutes(30))) == nil)
        #expect(runbook.narrow(.all) == MessageFilter(errorTypes: ["Timeout"], minAge: .hours(1)))
        #expect(runbook.narrow(MessageFilter(errorTypes: ["Timeout", "Throttled"], minAge: .minutes(5), maxAge: .days(1)))
                == MessageFilter(errorTypes: ["Timeout"], minAge: .hours(1), maxAge: .days(1)))
        #expect(Self.runbook().narrow(MessageFilter(errorTypes: ["Throttled"])) == MessageFilter(errorTypes: ["Throttled"]))
    }

    @Test("limits only clamp: over random requests, nothing exceeds the runbook, the operator or 100 per batch")
    func limitsOnlyClamp() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2000 {
            let batch = RunbookBatch(
                size: Int.random(in: -5...1000, using: &rng),
                maxRate: Double(Int.random(in: 1...10_000, using: &rng)) / 10,
                maxMessages: Bool.random(using: &rng) ? Int.random(in: 1...10_000, using: &rng) : nil
            )
            let runbook = Self.runbook(batch: batch)
            let operatorMessages: Int? = Bool.random(using: &rng) ? Int.random(in: -10...20_000, using: &rng) : nil
            let operatorRate: Double? = Bool.random(using: &rng) ? Double(Int.random(in: -10...20_000, using: &rng)) / 10 : nil
            let operatorSize: Int? = Bool.random(using: &rng) ? Int.random(in: -5...1000, using: &rng) : nil
            let limits = runbook.clampedLimits(operatorMaxMessages: operatorMessages, operatorRate: operatorRate, operatorBatchSize: operatorSize)

            #expect((1...RunbookBatch.maxSize).contains(limits.batchSize))
            #expect(limits.batchSize <= batch.size)
            if let operatorSize, operatorSize > 0 { #expect(limits.batchSize <= operatorSize) }
            #expect(limits.maxRate > 0 && limits.maxRate <= batch.maxRate)
            if let operatorRate, operatorRate > 0 { #expect(limits.maxRate <= operatorRate) }
            if let cap = batch.maxMessages { #expect(limits.maxMessages != nil && limits.maxMessages! <= cap) }
            if let operatorMessages { #expect(limits.maxMessages != nil && limits.maxMessages! <= max(operatorMessages, 0)) }
            if batch.maxMessages == nil && operatorMessages == nil { #expect(limits.maxMessages == nil) }
            #expect(limits.jitter == batch.jitter)
        }
    }

    @Test("a batch size above 100 is clamped in code and in files (with a warning)")
    func ceiling() throws {
        #expect(RunbookBatch(size: 5000).size == 100)
        #expect(RunbookBatch(size: 0).size == 1)
        let runbook = try RunbookParserHelper.parse("---\nid: big\ndlq: q\nbatch:\n  size: 250\nstrategy:\n  Timeout: requeue\n---\n")
        #expect(runbook.batch.size == 100)
        #expect(runbook.clampedLimits().batchSize == 100)
        #expect(runbook.warnings.map { "\($0.line):\($0.column) \($0.severity)" } == ["5:9 warning"])
    }

    @Test("an operator can lower but never raise the rate and the message cap")
    func operatorRequests() {
        let runbook = Self.runbook(batch: RunbookBatch(size: 10, maxRate: 20, maxMessages: 5000))
        #expect(runbook.clampedLimits(operatorMaxMessages: 100, operatorRate: 5).maxRate == 5)
        #expect(runbook.clampedLimits(operatorMaxMessages: 100, operatorRate: 5).maxMessages == 100)
        #expect(runbook.clampedLimits(operatorMaxMessages: 1_000_000, operatorRate: 500).maxRate == 20)
        #expect(runbook.clampedLimits(operatorMaxMessages: 1_000_000, operatorRate: 500).maxMessages == 5000)
        #expect(runbook.clampedLimits(operatorRate: 0).maxRate == 20, "a zero rate would never finish; it is ignored")
        #expect(Self.runbook().clampedLimits().maxMessages == nil)
    }
}
