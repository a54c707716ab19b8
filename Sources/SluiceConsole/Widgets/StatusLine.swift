/// The bottom line: key hints on the left, a notice (or the backend) on the right.
public enum StatusLine {
    /// Draws into a one-row rectangle; the notice wins space over hints.
    public static func draw(into frame: inout Frame, _ rect: Rect, hints: [KeyHint], notice: String?, noticeStyle: Style = .plain) {
        guard rect.height > 0, rect.width > 0 else { return }
        frame.fill(rect)
        var hintRect = rect
        if let notice, !notice.isEmpty {
            let text = TextLayout.truncate(notice, width: rect.width)
            let w = DisplayWidth.of(text)
            frame.put(text, x: rect.maxX - w, y: rect.y, style: noticeStyle)
            hintRect.width = max(0, rect.width - w - 2)
        }
        KeyHints.draw(into: &frame, hintRect, hints: hints)
    }
}
