import SluiceConsole
import SluiceCore
import SluiceDrills

/// The console's view of a live drill or a trace replay: its status in the header, its time keys
/// (pause, step, speed) and the redrives the operator starts, recorded into the drill's trace.
struct DrillSimulation: SimulationControl {
    let live: LiveDrill

    func status() async -> SimulationStatus {
        let s = await live.status()
        return SimulationStatus(name: s.name, mode: s.mode, elapsed: s.elapsed, duration: s.duration, speed: s.speed,
                                isPaused: s.isPaused, isFinished: s.isFinished, headline: s.headline)
    }

    func setPaused(_ paused: Bool) async { await live.setPaused(paused) }

    func step() async { await live.step() }

    func setSpeed(_ speed: Int) async { await live.setSpeed(speed) }

    func recordOperatorAction(_ action: String, details: [String: String]) async {
        await live.record(action, details: details)
    }
}
