import SluiceCore

extension ConsoleState {
    /// The speeds `<` and `>` step through.
    public static let simulationSpeeds = [1, 10, 60]

    /// `P` pause/resume, `.` step while paused, `<`/`>` slower/faster: keys for a simulation's
    /// virtual time. The status is re-read right after, so the header follows at once.
    mutating func simulationKey(_ key: Key) -> [ConsoleEffect] {
        let paused = simulation?.isPaused ?? false
        let speed = simulation?.speed ?? 1
        let command: SimulationCommand
        switch key {
        case .char("P"):
            command = .setPaused(!paused)
            simulation?.isPaused = !paused
            say(paused ? "simulation resumed" : "simulation paused — . steps, P resumes")
        case .char("."):
            guard paused else {
                say("press P to pause the simulation first; . steps while paused", .warning)
                return []
            }
            command = .step
            say("stepped")
        case .char("<"), .char(">"):
            let speeds = ConsoleState.simulationSpeeds
            let next: Int
            if key == .char(">") {
                next = speeds.first { $0 > speed } ?? speeds.last!
            } else {
                next = speeds.last { $0 < speed } ?? speeds.first!
            }
            guard next != speed else {
                say("already at \(speed)x (speeds: \(speeds.map { "\($0)x" }.joined(separator: ", ")))")
                return []
            }
            command = .setSpeed(next)
            simulation?.speed = next
            say("simulation speed \(next)x")
        default:
            return []
        }
        simulationInFlight = true
        return [.simulation(command)]
    }
}
