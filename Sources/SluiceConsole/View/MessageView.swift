import SluiceCore

/// One message in full: where it is and why it failed, its ages, lineage, attributes, and the
/// body (pretty JSON, text, or hex), scrolled by logical lines and wrapped to the width.
enum MessageView {
    static func draw(_ state: ConsoleState, into frame: inout Frame, _ rect: Rect) {
        guard let d = state.detail else { return }
        let title = d.isMissing ? "Message (gone)" : "Message"
        let inner = Box.draw(into: &frame, rect, title: title, focused: true)
        guard inner.height > 0, inner.width > 4 else { return }
        let head = header(d, now: state.now)
        let total = head.count + d.bodyLines.count
        let start = min(d.scroll, max(0, total - 1))
        var y = inner.y
        var index = start
        while y < inner.maxY, index < total {
            let (text, style, indent) = index < head.count ? head[index] : (d.bodyLines[index - head.count], Style.plain, 2)
            let pieces = TextLayout.wrap(text, width: max(1, inner.width - indent))
            for piece in pieces where y < inner.maxY {
                frame.put(piece, x: inner.x + indent, y: y, style: style, maxWidth: inner.width - indent)
                y += 1
            }
            index += 1
        }
        if total > inner.height {
            let marker = " \(start + 1)/\(total) "
            frame.put(marker, x: rect.maxX - DisplayWidth.of(marker) - 2, y: rect.maxY - 1, style: .muted)
        }
    }

    typealias Line = (text: String, style: Style, indent: Int)

    static func field(_ name: String, _ value: String, _ style: Style = .plain) -> Line {
        (name.padding(to: 10) + value, style, 0)
    }

    /// Everything above the body, recomputed each frame because ages move.
    static func header(_ d: DetailState, now: Timestamp) -> [Line] {
        var lines: [Line] = []
        lines.append(field("Id", d.id, .title))
        lines.append(field("Queue", d.queue))
        guard let m = d.message else {
            if d.isMissing {
                lines.append(("This message is no longer in \(d.queue): it was redriven, deleted or expired.", .warning, 0))
            } else {
                lines.append(("loading…", .muted, 0))
                if let s = d.summary {
                    lines.append(field("Error", s.errorType + (s.errorMessage.map { " — " + $0 } ?? "")))
                }
            }
            return lines
        }
        lines.append(field("Error", (m.errorType ?? unknownErrorType) + (m.errorMessage.map { " — " + $0 } ?? ""), .title))
        lines.append(field("Sent", "\(Format.dateTime(m.sentAt))  (\(Format.age(now - m.sentAt)) ago)"))
        if let dlq = m.deadLetteredAt {
            lines.append(field("In DLQ", "since \(Format.dateTime(dlq))  (\(Format.age(now - dlq)))"))
        }
        let left = m.timeToExpiry(at: now, retention: d.retention)
        let expiry = "in \(Format.age(left)) (retention \(d.retention.compact))" + (left < .hours(12) ? "  — expires soon: redrive or export it" : "")
        lines.append(field("Expires", expiry, left < .hours(12) ? .warning : .plain))
        lines.append(field("Receives", "\(m.receiveCount)" + (m.firstReceivedAt.map { ", first \(Format.dateTime($0))" } ?? "")))
        if let group = m.groupId { lines.append(field("Group", group)) }
        if let lineage = m.lineage {
            lines.append(field("Lineage", "redriven \(lineage.redriveCount)× by job \(lineage.jobId); first id \(lineage.originalMessageId), first sent \(Format.dateTime(lineage.originalSentAt))"))
        } else {
            lines.append(field("Lineage", "never redriven", .muted))
        }
        lines.append(("", .plain, 0))
        let shown = m.attributes.filter { !Lineage.AttributeName.all.contains($0.key) }
        lines.append(("Attributes (\(shown.count))", .title, 0))
        if shown.isEmpty { lines.append(("none", .muted, 2)) }
        let nameWidth = min(24, (shown.keys.map(\.count).max() ?? 0) + 2)
        for (name, value) in shown.sorted(by: { $0.key < $1.key }) {
            let text: String
            if let bytes = value.binaryValue {
                text = HexDump.lines(Array(bytes.prefix(32))).first.map { _ in bytes.prefix(32).map { SafeText.hex(UInt32($0), digits: 2).lowercased() }.joined(separator: " ") } ?? ""
                    + (bytes.count > 32 ? " … (\(bytes.count) bytes)" : "")
            } else {
                text = value.stringValue ?? ""
            }
            lines.append((name.padding(to: nameWidth) + value.dataType.padding(to: 8) + text, .plain, 2))
        }
        lines.append(("", .plain, 0))
        lines.append(("Body (\(Format.bytes(m.body.count)), \(d.bodyKind))   x: \(d.showsHex ? "back to text" : "show as hex")", .title, 0))
        return lines
    }
}

extension String {
    /// Padded with spaces to `width` characters (never cut).
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
