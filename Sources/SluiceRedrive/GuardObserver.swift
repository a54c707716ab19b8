import SluiceCore

/// Gathers what a runbook's guards need before each batch.
public protocol GuardObserver: Sendable {
    /// Observations for these guards; missing values make a guard `unknown`, never tripped.
    func observe(guards: [RunbookGuard], dlq: String, returnedRatio: Double?) async -> GuardObservations
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

    /// An observer that also feeds every queue's numbers into `monitor` before each batch and reads
    /// alarm states from it: what a command-line redrive uses when no console is running.
    public static func monitoring(backend: any QueueBackend, monitor: Monitor) -> any GuardObserver {
        MonitoringGuardObserver(backend: backend, monitor: monitor)
    }

    public func observe(guards: [RunbookGuard], dlq: String, returnedRatio: Double?) async -> GuardObservations {
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

/// Samples all queues into a ``Monitor`` on every observation, so alarm guards see live states
/// even when no console is feeding the monitor.
struct MonitoringGuardObserver: GuardObserver {
    let backend: any QueueBackend
    let monitor: Monitor

    func observe(guards: [RunbookGuard], dlq: String, returnedRatio: Double?) async -> GuardObservations {
        if let queues = try? await backend.listQueues() {
            if monitor.definitions.isEmpty {
                monitor.setDefinitions(AlarmDefinition.defaults(for: queues))
                await backend.prime(monitor)
            }
            if let stats = try? await backend.stats(for: queues.map(\.name)) {
                _ = monitor.ingest(stats, at: backend.clock.now())
            }
        }
        let monitor = self.monitor
        return await BackendGuardObserver(backend: backend, alarmState: { monitor.status(of: $0)?.state }).observe(guards: guards, dlq: dlq, returnedRatio: returnedRatio)
    }
}
