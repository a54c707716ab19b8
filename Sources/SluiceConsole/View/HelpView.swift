/// The `?` overlay: every key of the current screen, then the keys that work everywhere.
enum HelpView {
    static func draw(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let screenKeys = KeyMap.keys(for: state.screen)
        let global = KeyMap.global
        let simulation = state.hasSimulation ? KeyMap.simulation : []
        let keyWidth = (screenKeys + global + simulation).map { DisplayWidth.of($0.key) }.max() ?? 4
        let lines = screenKeys.count + global.count + 4 + (simulation.isEmpty ? 0 : simulation.count + 2)
        let width = min(rect.width - 4, 72)
        let height = min(rect.height, lines + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + max(0, (rect.height - height) / 2), width: width, height: height)
        let inner = Box.draw(into: &frame, box, title: "Help — \(ConsoleView.title(state))", focused: true)
        var y = inner.y
        func line(_ hint: KeyHint) {
            guard y < inner.maxY else { return }
            frame.put(TextLayout.fit(hint.key, width: keyWidth), x: inner.x + 1, y: y, style: .key)
            frame.put(hint.label, x: inner.x + keyWidth + 3, y: y, maxWidth: inner.width - keyWidth - 3)
            y += 1
        }
        screenKeys.forEach(line)
        y += 1
        if y < inner.maxY { frame.put("Everywhere", x: inner.x + 1, y: y, style: .title); y += 1 }
        global.forEach(line)
        if state.hasSimulation {
            y += 1
            if y < inner.maxY { frame.put("Simulation", x: inner.x + 1, y: y, style: .title); y += 1 }
            KeyMap.simulation.forEach(line)
        }
        if y < inner.maxY { frame.put("any other key closes this help", x: inner.x + 1, y: inner.maxY - 1, style: .muted) }
    }
}
