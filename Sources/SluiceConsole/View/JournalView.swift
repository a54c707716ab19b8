import SluiceCore

/// The audit journal, newest first, with the selected entry's details below the list.
enum JournalView {
    static func draw(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        let j = state.journal
        let entries = j.visible
        let detailHeight = min(8, max(4, rect.height / 3))
        let (listRect, detailRect) = rect.splitBottom(detailHeight)
        var title = "Journal — \(Format.count(entries.count)) entries"
        if !j.filterText.isEmpty { title += " matching '\(j.filterText)'" }
        if j.isLoading { title += " (loading…)" }
        let inner = Box.draw(into: &frame, listRect, title: title, focused: true)
        guard inner.height > 0 else { return }
        if entries.isEmpty {
            frame.put(j.isLoading ? "loading…" : (j.filterText.isEmpty ? "the journal is empty" : "nothing matches — press / to change the filter"), in: inner.row(0), style: .muted)
        } else {
            let columns = [
                TableColumn("TIME", width: 20),
                TableColumn("ACTOR", width: 10, dropOrder: 2),
                TableColumn("ACTION", width: 16),
                TableColumn("SUBJECT", width: 16, flexible: true),
                TableColumn("DETAILS", width: 20, flexible: true, dropOrder: 1),
            ]
            let rows: [[TableCell]] = entries.map { e in
                [.plain(Format.dateTime(e.at)), .plain(e.actor), .text(e.action, .title), .plain(e.subject),
                 .text(e.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), .muted)]
            }
            Table(columns: columns, rows: rows, selected: min(j.cursor, entries.count - 1)).draw(into: &frame, inner)
        }
        let detailInner = Box.draw(into: &frame, detailRect, title: "Details")
        guard detailInner.height > 0, !entries.isEmpty else { return }
        let e = entries[min(j.cursor, entries.count - 1)]
        var lines = ["#\(e.seq)  \(Format.dateTime(e.at))  \(e.actor)  \(e.action)  \(e.subject)"]
        lines += e.details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        var y = detailInner.y
        for line in lines {
            for piece in TextLayout.wrap(line, width: detailInner.width) where y < detailInner.maxY {
                frame.put(piece, x: detailInner.x, y: y)
                y += 1
            }
        }
    }
}
