import SluiceCore

/// Gathers what a runbook's guards need before each batch.
public protocol GuardObserver: Sendable {
    /// Observations for these guards; missing values make a guard `unknown`, never tripped.
    func observe(guards: [RunbookGuard], dlq: String, returnedRatio: Double) async -> GuardObservations
}

/// Observes queue numbers through a backend and alarm states through a lookup (the console's or
/// drill's monitor).
public struct BackendGuardObserver: GuardObserver {
    public let backend: any QueueBackend
    public let alarmState: @Sendable (String) -> AlarmState?

    public init(backend: any QueueBackend, alarmState: @escaping @Sendable (String) -> AlarmState? = { _ in nil }) {
        self.backend = backend
        self.alarmState = alarmState
    }

    public func observe(guards: [RunbookGuard], dlq: String, returnedRatio: Double) async -> GuardObservations {
        var obs = GuardObservations(returnedRatio: returnedRatio)
        var queues = Set(guards.compactMap(\.condition.queue))
        let needsDLQ = guards.contains { if case .dlqDepth = $0.condition { true } else { false } }
        if needsDLQ { queues.insert(dlq) }
        if !queues.isEmpty, let stats = try? await backend.stats(for: queues.sorted()) {
            for s in stats {
                obs.depth[s.queue] = s.depth
                obs.inFlight[s.queue] = s.inFlight
                if let age = s.oldestAge { obs.oldestAge[s.queue] = age }
                if s.queue == dlq { obs.dlqDepth = s.depth }
            }
        }
        for name in Set(guards.compactMap(\.condition.alarmName)) {
            if let state = alarmState(name) { obs.alarms[name] = state }
        }
        return obs
    }
}
