/// A line editor's text drawn on one row, the cursor shown as a selected cell and kept in view
/// (long text shows its tail).
enum TextField {
    static func draw(_ editor: LineEditor, into frame: inout Frame, x: Int, y: Int, maxX: Int) {
        var shown = SafeText.clean(String(editor.text.prefix(editor.cursor)))
        while DisplayWidth.of(shown) > maxX - x - 2, !shown.isEmpty { shown.removeFirst() }
        var cx = x + frame.put(shown, x: x, y: y)
        let after = SafeText.clean(String(editor.text.dropFirst(editor.cursor)))
        cx += frame.put(after.first.map(String.init) ?? " ", x: cx, y: y, style: .selected)
        frame.put(String(after.dropFirst()), x: cx, y: y, maxWidth: max(0, maxX - cx))
    }
}
