import SluiceCore

/// The DLQ browser: the filter line, facet counts by error type, the message list, and the
/// error message of the message under the cursor.
enum BrowserView {
    static func draw(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        guard let b = state.browser else { return }
        let (infoRect, rest) = rect.splitTop(1)
        let (main, previewRect) = rest.splitBottom(3)
        drawInfo(b, into: &frame, infoRect)
        let facetsWidth = rect.width >= 140 ? 40 : 28
        let (facetsRect, listRect) = main.splitLeft(facetsWidth)
        drawFacets(b, into: &frame, facetsRect)
        drawMessages(b, now: state.now, into: &frame, listRect)
        drawPreview(b, into: &frame, previewRect)
    }

    static func drawInfo(_ b: BrowserState, into frame: inout Frame, _ rect: Rect) {
        var parts: [String] = []
        if !b.sources.isEmpty { parts.append("\(b.queue) ← \(b.sources.joined(separator: ", "))") } else { parts.append(b.queue) }
        let filterText = FilterQuery.format(b.filter)
        parts.append("filter: " + (filterText.isEmpty ? "none" : filterText))
        if let matching = b.matchingCount {
            let total = b.facets?.total ?? matching
            parts.append(b.filter.errorTypes.isEmpty ? "\(Format.count(matching)) messages" : "\(Format.count(matching)) of \(Format.count(total)) match")
        } else {
            parts.append("counting…")
        }
        if !b.marked.isEmpty { parts.append("\(b.marked.count) marked") }
        if let problem = b.problem {
            frame.put(" " + problem, in: rect, style: .error)
            return
        }
        frame.put(" " + parts.joined(separator: "   "), in: rect, style: .title)
    }

    static func drawFacets(_ b: BrowserState, into frame: inout Frame, _ rect: Rect) {
        let inner = Box.draw(into: &frame, rect, title: "Error types", focused: b.focus == .facets)
        guard inner.height > 0 else { return }
        let rows = b.facetRows
        guard !rows.isEmpty else {
            frame.put(b.facets == nil ? "counting…" : "empty in this age window", in: inner.row(0), style: .muted)
            return
        }
        let columns = [
            TableColumn("", width: 3),
            TableColumn("TYPE", width: 10, flexible: true),
            TableColumn("COUNT", width: 7, alignment: .right),
        ]
        let cells: [[TableCell]] = rows.map { row in
            let on = b.filter.errorTypes.contains(row.errorType)
            return [.text(on ? "[x]" : "[ ]", on ? .title : .muted), .text(row.errorType, on ? .title : .plain), .plain(Format.count(row.count))]
        }
        Table(columns: columns, rows: cells, selected: b.focus == .facets ? b.facetCursor : nil).draw(into: &frame, inner)
    }

    static let messageColumns = [
        TableColumn("", width: 1),
        TableColumn("ID", width: 13, dropOrder: 2),
        TableColumn("TYPE", width: 14),
        TableColumn("AGE", width: 6, alignment: .right),
        TableColumn("IN DLQ", width: 6, alignment: .right, dropOrder: 3),
        TableColumn("EXPIRES", width: 7, alignment: .right, dropOrder: 4),
        TableColumn("RCV", width: 3, alignment: .right, dropOrder: 5),
        TableColumn("BODY", width: 12, flexible: true, dropOrder: 1),
    ]

    static func drawMessages(_ b: BrowserState, now: Timestamp, into frame: inout Frame, _ rect: Rect) {
        let position = b.reachableRows > 0 ? " \(b.cursor + 1)/\(b.endRowCount.map(Format.count) ?? (b.matchingCount.map(Format.count) ?? "…"))" : ""
        let inner = Box.draw(into: &frame, rect, title: "Messages" + position, focused: b.focus == .messages)
        guard inner.height > 1 else { return }
        if b.endRowCount == 0 {
            frame.put(b.filter == .all ? "this DLQ is empty" : "no message matches the filter — press c to clear it", in: inner.row(1), style: .muted)
            return
        }
        let visible = inner.height - 1
        let top = Table.scrollTop(selected: b.cursor, visibleRows: visible, rowCount: b.reachableRows)
        var rows: [[TableCell]] = []
        for i in top..<min(top + visible, b.reachableRows) {
            guard let m = b.row(i) else {
                rows.append([.plain(""), .text("loading…", .muted)])
                continue
            }
            let expires = (m.sentAt + b.retention) - now
            let expiresSoon = expires < TimeSpan.hours(12)
            rows.append([
                .text(b.marked.contains(m.id) ? "*" : "", .title),
                .text(Format.idTail(m.id, width: 13), .muted),
                .plain(m.errorType),
                .plain(Format.age(now - m.sentAt)),
                .plain(m.deadLetteredAt.map { Format.age(now - $0) } ?? "-"),
                .text(Format.age(expires), expiresSoon ? .warning : .plain),
                .plain(String(m.receiveCount)),
                .text((m.isBinary ? "[binary] " : "") + m.preview, .muted),
            ])
        }
        Table(columns: messageColumns, rows: rows, selected: b.focus == .messages ? b.cursor - top : nil).draw(into: &frame, inner)
    }

    static func drawPreview(_ b: BrowserState, into frame: inout Frame, _ rect: Rect) {
        let inner = Box.draw(into: &frame, rect, title: "Error message")
        guard inner.height > 0 else { return }
        guard let m = b.current else {
            frame.put("", in: inner.row(0))
            return
        }
        let text = m.errorMessage.map { "\(m.errorType): \($0)" } ?? "\(m.errorType) (no error message recorded)"
        frame.put(text, in: inner.row(0))
    }
}
