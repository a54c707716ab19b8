/// What changed between two frames: runs of changed cells per row, or a full repaint when the
/// size changed or there is no previous frame. The terminal driver writes only these cells.
public struct FrameDiff: Sendable, Hashable {
    /// A horizontal run of changed cells.
    public struct Run: Sendable, Hashable {
        /// The row.
        public var y: Int
        /// The first column.
        public var x: Int
        /// The new cells, from `x` on (continuation cells included, so widths add up).
        public var cells: [Cell]
    }

    /// Whether the whole screen must be cleared and repainted.
    public var isFull: Bool
    /// Changed runs, top to bottom, left to right.
    public var runs: [Run]

    /// Whether nothing changed.
    public var isEmpty: Bool { !isFull && runs.isEmpty }

    /// How many cells the runs cover.
    public var changedCells: Int { runs.reduce(0) { $0 + $1.cells.count } }

    /// The difference that turns `old` into `new`.
    public static func between(_ old: Frame?, _ new: Frame) -> FrameDiff {
        let width = new.size.width
        guard let old, old.size == new.size else {
            var runs: [Run] = []
            runs.reserveCapacity(new.size.height)
            for y in 0..<new.size.height where width > 0 {
                runs.append(Run(y: y, x: 0, cells: Array(new.cells[(y * width)..<((y + 1) * width)])))
            }
            return FrameDiff(isFull: true, runs: runs)
        }
        var runs: [Run] = []
        old.cells.withUnsafeBufferPointer { a in
            new.cells.withUnsafeBufferPointer { b in
                for y in 0..<new.size.height {
                    let base = y * width
                    var x = 0
                    while x < width {
                        if a[base + x] == b[base + x] { x += 1; continue }
                        var start = x
                        // A run never starts on the right half of a wide grapheme.
                        if b[base + start].isContinuation && start > 0 { start -= 1 }
                        var end = x + 1
                        while end < width && a[base + end] != b[base + end] { end += 1 }
                        // Nor ends between the halves of one.
                        if end < width && b[base + end - 1].isWide { end += 1 }
                        runs.append(Run(y: y, x: start, cells: Array(b[(base + start)..<(base + end)])))
                        x = end
                    }
                }
            }
        }
        return FrameDiff(isFull: false, runs: runs)
    }
}
