/// A column of a ``Table``.
public struct TableColumn: Sendable, Hashable {
    /// The header text.
    public var title: String
    /// The width it needs; flexible columns may grow beyond it.
    public var width: Int
    /// Whether it takes a share of the spare width.
    public var flexible: Bool
    /// How its text lines up (numbers right).
    public var alignment: Alignment
    /// When the table is too narrow, columns with the highest value go first; 0 never goes.
    public var dropOrder: Int

    public init(_ title: String, width: Int, flexible: Bool = false, alignment: Alignment = .left, dropOrder: Int = 0) {
        self.title = title
        self.width = width
        self.flexible = flexible
        self.alignment = alignment
        self.dropOrder = dropOrder
    }
}

/// What one table cell shows.
public enum TableCell: Sendable, Hashable {
    /// Text, cut to the column.
    case text(String, Style)
    /// A sparkline of the values, as wide as the column.
    case sparkline([Int], Style)
    /// A progress bar for a fraction in 0...1.
    case progress(Double)

    /// Plain text.
    public static func plain(_ text: String) -> TableCell { .text(text, .plain) }
}

/// A table with a header row, column widths that adapt to the space, and a selected row marked
/// with `›` and reverse video (so selection reads without colour).
public struct Table: Sendable {
    public var columns: [TableColumn]
    public var rows: [[TableCell]]
    /// The selected row, if the table has a cursor.
    public var selected: Int?
    /// Whether to keep a two-column gutter for the `›` marker.
    public var showsMarker: Bool

    public init(columns: [TableColumn], rows: [[TableCell]], selected: Int? = nil, showsMarker: Bool = true) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.showsMarker = showsMarker
    }

    /// The width of each column at a total `width` (nil for a dropped column).
    public static func layout(_ columns: [TableColumn], width: Int) -> [Int?] {
        var kept = Array(columns.indices)
        func needed() -> Int { kept.reduce(0) { $0 + columns[$1].width } + max(0, kept.count - 1) }
        while needed() > width, let drop = kept.filter({ columns[$0].dropOrder > 0 }).max(by: { columns[$0].dropOrder < columns[$1].dropOrder }) {
            kept.removeAll { $0 == drop }
        }
        var widths: [Int?] = Array(repeating: nil, count: columns.count)
        for i in kept { widths[i] = columns[i].width }
        var spare = width - needed()
        if spare < 0 {
            // Still too wide: shrink the last kept columns.
            for i in kept.reversed() where spare < 0 {
                let cut = min(widths[i]! - 1, -spare)
                widths[i]! -= cut
                spare += cut
            }
        } else if spare > 0 {
            let flexible = kept.filter { columns[$0].flexible }
            let targets = flexible.isEmpty ? Array(kept.suffix(1)) : flexible
            for (n, i) in targets.enumerated() {
                let share = spare / targets.count + (n < spare % targets.count ? 1 : 0)
                widths[i]! += share
            }
        }
        return widths
    }

    /// The first row shown so that the selected row is visible in `visibleRows`.
    public static func scrollTop(selected: Int?, visibleRows: Int, rowCount: Int) -> Int {
        guard let selected, visibleRows > 0 else { return 0 }
        let top = selected < visibleRows ? 0 : selected - visibleRows + 1
        return max(0, min(top, max(0, rowCount - visibleRows)))
    }

    /// Draws the header and as many rows as fit, scrolled to keep the selection visible.
    public func draw(into frame: inout Frame, _ rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        let gutter = showsMarker ? 2 : 0
        let widths = Table.layout(columns, width: rect.width - gutter)
        var x = rect.x + gutter
        for (i, column) in columns.enumerated() {
            guard let w = widths[i] else { continue }
            frame.put(TextLayout.fit(column.title, width: w, alignment: column.alignment), x: x, y: rect.y, style: .columnHeader)
            x += w + 1
        }
        let visible = rect.height - 1
        let top = Table.scrollTop(selected: selected, visibleRows: visible, rowCount: rows.count)
        for r in 0..<min(visible, max(0, rows.count - top)) {
            let index = top + r
            let y = rect.y + 1 + r
            let isSelected = index == selected
            if showsMarker {
                frame.put(isSelected ? "›" : " ", x: rect.x, y: y, style: isSelected ? .title : .plain)
            }
            x = rect.x + gutter
            for (i, column) in columns.enumerated() {
                guard let w = widths[i] else { continue }
                let cell = index < rows.count && i < rows[index].count ? rows[index][i] : .plain("")
                switch cell {
                case .text(let text, let style):
                    frame.put(TextLayout.fit(text, width: w, alignment: column.alignment), x: x, y: y, style: style)
                case .sparkline(let values, let style):
                    frame.put(Sparkline.render(values, width: w), x: x, y: y, style: style)
                case .progress(let fraction):
                    frame.put(ProgressBar.render(fraction, width: w), x: x, y: y)
                }
                x += w + 1
            }
            if isSelected {
                frame.restyle(Rect(x: rect.x + gutter, y: y, width: rect.width - gutter, height: 1)) { $0.attributes.insert(.reverse) }
            }
        }
    }
}
