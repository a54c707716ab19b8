/// A bordered panel with a title in its top edge.
public enum Box {
    /// Draws the border and title and returns the inner area.
    ///
    /// - Parameters:
    ///   - focused: the panel keys go to; its title is reversed so focus reads without colour.
    /// - Returns: the rectangle inside the border (empty when `rect` is too small for one).
    @discardableResult
    public static func draw(into frame: inout Frame, _ rect: Rect, title: String = "", focused: Bool = false) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let border = focused ? Style.border.adding(.bold) : Style.border
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        frame.put("┌", x: rect.x, y: rect.y, style: border)
        frame.put("┐", x: right, y: rect.y, style: border)
        frame.put("└", x: rect.x, y: bottom, style: border)
        frame.put("┘", x: right, y: bottom, style: border)
        for x in (rect.x + 1)..<right {
            frame.put("─", x: x, y: rect.y, style: border)
            frame.put("─", x: x, y: bottom, style: border)
        }
        for y in (rect.y + 1)..<bottom {
            frame.put("│", x: rect.x, y: y, style: border)
            frame.put("│", x: right, y: y, style: border)
        }
        if !title.isEmpty, rect.width > 4 {
            let text = TextLayout.truncate(" \(title) ", width: rect.width - 4)
            frame.put(text, x: rect.x + 2, y: rect.y, style: focused ? Style.title.adding(.reverse) : .title)
        }
        let inner = rect.inset(1)
        frame.fill(inner)
        return inner
    }
}
