import SluiceCore
import SluiceRedrive
import Synchronization

/// The redrive jobs a console runs: each job's control and task, kept apart from the other
/// effects so quitting stops them resumably instead of cancelling them.
final class RedriveJobTable: Sendable {
    private struct Entry {
        let control: RedriveControl
        var task: Task<Void, Never>?
        var finished = false
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Runs `body` as job `jobId`, steered by `control`.
    func launch(_ jobId: String, control: RedriveControl, _ body: @escaping @Sendable () async -> Void) {
        entries.withLock { $0[jobId] = Entry(control: control) }
        let task = Task { [self] in
            await body()
            entries.withLock { $0[jobId]?.finished = true }
        }
        entries.withLock { $0[jobId]?.task = task }
    }

    /// The control of a job still running here.
    func control(_ jobId: String) -> RedriveControl? {
        entries.withLock { e in
            guard let entry = e[jobId], !entry.finished else { return nil }
            return entry.control
        }
    }

    /// Jobs whose run has not returned.
    var running: [String] {
        entries.withLock { $0.filter { !$0.value.finished }.map(\.key).sorted() }
    }

    /// Asks every running job to stop between batches (state `interrupted`, resumable) and
    /// waits for them. A job that does not stop within `grace` (its clock is a paused
    /// simulation, or a batch hangs) is cancelled, which also leaves it interrupted.
    /// - Returns: the jobs that were running.
    func stopAll(reason: String, grace: Duration = .seconds(10)) async -> [String] {
        let running = entries.withLock { e -> [(String, RedriveControl, Task<Void, Never>?)] in
            e.filter { !$0.value.finished }.map { ($0.key, $0.value.control, $0.value.task) }
        }
        for (_, control, _) in running { control.stop(reason: reason) }
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while clock.now < deadline, !entries.withLock({ e in running.allSatisfy { e[$0.0]?.finished ?? true } }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for (_, _, task) in running {
            task?.cancel()
            await task?.value
        }
        return running.map(\.0).sorted()
    }
}
