/// The console program in the Elm style: a pure `update` from state and event to state and
/// effects, and a pure `view` from state to a frame. The runtime owns the loop; tests call these.
public enum Console {
    /// The state after `event`, and the effects it asks for.
    public static func update(_ state: ConsoleState, _ event: ConsoleEvent) -> (ConsoleState, [ConsoleEffect]) {
        var next = state
        let effects = next.apply(event)
        return (next, effects)
    }

    /// The frame that shows `state` at `size`.
    public static func view(_ state: ConsoleState, size: Size) -> Frame {
        ConsoleView.render(state, size: size)
    }
}
