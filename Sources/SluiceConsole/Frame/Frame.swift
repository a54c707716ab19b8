/// A grid of cells the size of the terminal: what one screen looks like.
///
/// Screens draw into a frame immediately (no retained widgets); the terminal driver diffs it
/// against the previous frame and writes only changed cells. Writes outside the grid are
/// clipped, so drawing at any size, even 0x0, is safe.
public struct Frame: Sendable, Hashable {
    /// The grid's size.
    public let size: Size
    /// Cells row by row.
    public private(set) var cells: [Cell]

    /// A blank frame.
    public init(size: Size, fill: Cell = .blank) {
        self.size = size
        cells = Array(repeating: fill, count: size.width * size.height)
    }

    /// The cell at column `x`, row `y` (blank outside the grid).
    public subscript(x: Int, y: Int) -> Cell {
        guard contains(x: x, y: y) else { return .blank }
        return cells[y * size.width + x]
    }

    /// Whether a position is inside the grid.
    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size.width && y < size.height
    }

    /// Writes `text` from column `x` on row `y`, escaping control characters and never splitting
    /// a wide grapheme: one that would cross `maxWidth` or the right edge becomes a space.
    ///
    /// - Returns: the columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        let limit = min(size.width, x + (maxWidth ?? size.width))
        var column = x
        func emit(_ ch: Character, width: Int) -> Bool {
            if column + width > limit {
                if column < limit, column >= 0 { set(x: column, y: y, Cell(" ", style: style)) }
                column = limit
                return false
            }
            if column >= 0 {
                set(x: column, y: y, Cell(String(ch), style: style, isWide: width == 2))
                if width == 2 { set(x: column + 1, y: y, Cell("", style: style)) }
            } else if column + width > 0 {
                // A wide grapheme cut by the left edge shows as a space.
                set(x: 0, y: y, Cell(" ", style: style))
            }
            column += width
            return true
        }
        // Printable ASCII (most of every frame), then box lines, blocks, arrows and Latin-1:
        // one narrow grapheme per scalar, no grapheme breaking or property lookups.
        if DisplayWidth.isPlainNarrow(text) {
            for scalar in text.unicodeScalars {
                if column >= limit { break }
                if column >= 0 { set(x: column, y: y, Cell(scalar: scalar, style: style)) }
                column += 1
            }
            return max(0, min(column, limit) - max(x, 0))
        }
        outer: for ch in text {
            if column >= limit { break }
            if ch.isASCII && !SafeText.needsEscape(ch) {
                if !emit(ch, width: 1) { break }
            } else if SafeText.needsEscape(ch) {
                for e in SafeText.escape(ch) where !emit(e, width: 1) { break outer }
            } else if SafeText.needsBase(ch) {
                if !emit(Character("\u{25CC}" + String(ch)), width: 1) { break }
            } else {
                if !emit(ch, width: DisplayWidth.of(ch)) { break }
            }
        }
        return max(0, min(column, limit) - max(x, 0))
    }

    /// Writes text cut to `width` columns (with `…` when cut) and padded with spaces to fill it.
    public mutating func put(_ text: String, in rect: Rect, style: Style = .plain, alignment: Alignment = .left) {
        guard rect.height > 0, rect.width > 0 else { return }
        let fitted = TextLayout.fit(text, width: rect.width, alignment: alignment)
        fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: style)
        put(fitted, x: rect.x, y: rect.y, style: style, maxWidth: rect.width)
    }

    /// Fills a rectangle with `symbol` (one column wide) in `style`.
    public mutating func fill(_ rect: Rect, symbol: String = " ", style: Style = .plain) {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        let cell = Cell(symbol, style: style)
        for y in y0..<y1 {
            for x in x0..<x1 { set(x: x, y: y, cell) }
        }
    }

    /// Changes the style of every cell in a rectangle, keeping the text.
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { change(&cells[y * size.width + x].style) }
        }
    }

    /// Sets one cell, repairing any wide grapheme it cuts in half.
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard contains(x: x, y: y) else { return }
        let i = y * size.width + x
        let old = cells[i]
        if old.isContinuation, !cell.isContinuation, x > 0, cells[i - 1].isWide {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        }
        if old.isWide, !cell.isWide, x + 1 < size.width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(" ", style: old.style)
        }
        if cell.isWide && x + 1 >= size.width {
            cells[i] = Cell(" ", style: cell.style)
            return
        }
        cells[i] = cell
    }

    /// The text of each row, wide graphemes once, trailing spaces trimmed.
    public func lines() -> [String] {
        (0..<size.height).map { y in
            var line = ""
            for x in 0..<size.width {
                let cell = cells[y * size.width + x]
                if !cell.isContinuation { line += cell.symbol }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// All rows joined by newlines: what a snapshot or a person reading a capture sees.
    public var text: String { lines().joined(separator: "\n") }
}

/// Horizontal alignment of text in a cell range.
public enum Alignment: Sendable, Hashable {
    case left, right, center
}
