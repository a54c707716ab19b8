import SluiceConsole
import SluiceCore
import Testing

@Suite("Text: widths, wrapping, bodies, filters")
struct TextTests {
    @Test("truncate and fit count columns, not characters")
    func truncateAndFit() {
        #expect(TextLayout.truncate("orders-dlq", width: 6) == "order…")
        #expect(TextLayout.truncate("注文注文", width: 5) == "注文…")
        #expect(TextLayout.fit("42", width: 5, alignment: .right) == "   42")
        #expect(TextLayout.fit("注", width: 4, alignment: .left) == "注  ")
        #expect(TextLayout.fit("abc", width: 0) == "")
    }

    @Test("wrap breaks at spaces, splits long words, keeps wide characters whole")
    func wrap() {
        #expect(TextLayout.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextLayout.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextLayout.wrap("line one\nline two", width: 20) == ["line one", "line two"])
        for line in TextLayout.wrap("注文注文注文", width: 5) { #expect(DisplayWidth.of(line) <= 5) }
        #expect(TextLayout.wrap("anything", width: 0) == [])
    }

    @Test("JSON bodies are pretty-printed with their key order kept")
    func prettyJSON() throws {
        let lines = try #require(JSONPretty.lines(Array("{\"b\":1,\"a\":[true,null,{\"c\":\"x\\\"y\"}],\"e\":{},\"f\":[]}".utf8)))
        #expect(lines == [
            "{",
            "  \"b\": 1,",
            "  \"a\": [",
            "    true,",
            "    null,",
            "    {",
            "      \"c\": \"x\\\"y\"",
            "    }",
            "  ],",
            "  \"e\": {},",
            "  \"f\": []",
            "}",
        ])
    }

    @Test("text that only looks like JSON is not JSON", arguments: ["{", "{\"a\":}", "[1,2", "{\"a\":1} trailing", "nul", "{\"a\" 1}", ""])
    func notJSON(text: String) {
        #expect(JSONPretty.lines(Array(text.utf8)) == nil)
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func deepJSON() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(JSONPretty.lines(Array(deep.utf8)) == nil)
    }

    @Test("binary bodies become a hex dump")
    func hexDump() {
        let lines = HexDump.lines([0xFF, 0xFE, 0x00, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00, 0xFF, 0x80, 0xDE, 0xAD, 0xBE, 0xEF, 0x41, 0x42])
        #expect(lines == [
            "00000000  ff fe 00 48 65 6c 6c 6f  00 ff 80 de ad be ef 41  |...Hello.......A|",
            "00000010  42                                                |B|",
        ])
        let rendered = BodyRenderer.render(Fixtures.binaryBody, hex: false)
        #expect(rendered.kind == "binary")
        #expect(rendered.lines[0].hasPrefix("00000000  ff fe fd 00"))
    }

    @Test("text bodies are split into lines with control characters escaped")
    func textBody() {
        let rendered = BodyRenderer.render(Array("first\nsecond \u{1B}[31mred\u{07}".utf8), hex: false)
        #expect(rendered.kind == "text")
        #expect(rendered.lines == ["first", "second \\x1B[31mred\\x07"])
        let mostlyText = BodyRenderer.render(Array("hello world, almost all text".utf8) + [0xFF], hex: false)
        #expect(mostlyText.kind == "text with invalid UTF-8")
        #expect(mostlyText.lines == ["hello world, almost all text\\xFF"])
    }

    @Test("a 1 MiB body renders, and its summary keeps only a preview")
    func hugeBody() {
        let body = Array(repeating: UInt8(ascii: "a"), count: QueueLimits.maxBodyBytes)
        let rendered = BodyRenderer.render(body, hex: false)
        #expect(rendered.lines.count == QueueLimits.maxBodyBytes / 1024)
        let summary = MessageSummary(QueueMessage(id: "m", queue: "q", body: body, sentAt: Fixtures.now))
        #expect(summary.preview.count == MessageSummary.previewLength)
        #expect(summary.bodyBytes == QueueLimits.maxBodyBytes)
        #expect(!summary.isBinary)
    }

    @Test("a message summary escapes its preview and spots binary bodies")
    func summaryPreview() {
        let binary = MessageSummary(QueueMessage(id: "m", queue: "q", body: Fixtures.binaryBody, sentAt: Fixtures.now))
        #expect(binary.isBinary)
        #expect(binary.preview.hasPrefix("\\xFF\\xFE\\xFD\\x00Hello"))
        let multiline = MessageSummary(QueueMessage(id: "m", queue: "q", body: Array("a\nb".utf8), sentAt: Fixtures.now))
        #expect(multiline.preview == "a\\nb")
        #expect(multiline.errorType == unknownErrorType)
    }

    @Test("the / filter reads types and an age window in any order")
    func filterQuery() throws {
        let f = try FilterQuery.parse("timeout >5m <3d Throttled", knownTypes: ["Timeout", "Throttled"])
        #expect(f.errorTypes == ["Timeout", "Throttled"])
        #expect(f.minAge == .minutes(5))
        #expect(f.maxAge == .days(3))
        #expect(FilterQuery.format(f) == "Throttled Timeout >5m <3d")
        #expect(try FilterQuery.parse(FilterQuery.format(f)) == f)
        #expect(try FilterQuery.parse("type:Custom min:1h max:2h") == MessageFilter(errorTypes: ["Custom"], minAge: .hours(1), maxAge: .hours(2)))
        #expect(try FilterQuery.parse("   ") == .all)
    }

    @Test("a bad filter says which word is wrong and how to write it", arguments: [">5x", "<soon", ">2h <1h", "min:", "type:"])
    func badFilter(text: String) {
        do {
            _ = try FilterQuery.parse(text)
            Issue.record("'\(text)' was accepted")
        } catch let error as SluiceError {
            #expect(error.kind == .badInput)
            #expect(error.message.hasPrefix("filter:"))
            #expect(error.fix != nil)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite("Widgets")
struct WidgetTests {
    @Test("a narrow table drops its least important columns first")
    func tableLayout() {
        let columns = [
            TableColumn("A", width: 10, flexible: true),
            TableColumn("B", width: 5, dropOrder: 1),
            TableColumn("C", width: 5, dropOrder: 2),
        ]
        #expect(Table.layout(columns, width: 30) == [18, 5, 5])
        #expect(Table.layout(columns, width: 20) == [14, 5, nil])
        #expect(Table.layout(columns, width: 12) == [12, nil, nil])
        #expect(Table.layout(columns, width: 4) == [4, nil, nil])
    }

    @Test("the selected row is marked with › so it reads without colour")
    func tableSelection() {
        var frame = Frame(size: Size(width: 20, height: 4))
        Table(columns: [TableColumn("NAME", width: 10)], rows: [[.plain("one")], [.plain("two")]], selected: 1).draw(into: &frame, Rect(frame.size))
        #expect(frame.lines() == ["  NAME", "  one", "› two", ""])
        #expect(frame[2, 2].style.attributes.contains(.reverse))
    }

    @Test("a table scrolls to keep the selection visible")
    func tableScroll() {
        var frame = Frame(size: Size(width: 10, height: 3))
        Table(columns: [TableColumn("N", width: 5)], rows: (0..<10).map { [.plain("r\($0)")] }, selected: 7).draw(into: &frame, Rect(frame.size))
        #expect(frame.lines() == ["  N", "  r6", "› r7"])
    }

    @Test("sparklines scale to the maximum and leave zero blank")
    func sparkline() {
        #expect(Sparkline.render([0, 1, 2, 4, 8], width: 5) == " ▁▂▄█")
        #expect(Sparkline.render([5, 5], width: 4) == "  ██")
        #expect(Sparkline.render([1, 2, 3], width: 2) == "▆█")
        #expect(Sparkline.render([], width: 0) == "")
    }

    @Test("progress bars fill by fraction and print the percentage")
    func progress() {
        #expect(ProgressBar.render(0.5, width: 15) == "█████░░░░░  50%")
        #expect(ProgressBar.render(1.2, width: 15) == "██████████ 100%")
        #expect(ProgressBar.render(.nan, width: 15) == "░░░░░░░░░░   0%")
        #expect(ProgressBar.render(0.5, width: 3) == "50%")
    }

    @Test("key hints stop before they would be cut")
    func keyHints() {
        var frame = Frame(size: Size(width: 14, height: 1))
        KeyHints.draw(into: &frame, Rect(frame.size), hints: [KeyHint("q", "quit"), KeyHint("?", "help"), KeyHint("enter", "open")])
        #expect(frame.lines() == ["q quit  ? help"])
    }
}
