import SluiceConsole
import Testing

@Suite("Frame: the cell grid")
struct FrameTests {
    @Test("text lands in cells and is clipped at the edges")
    func putClips() {
        var frame = Frame(size: Size(width: 10, height: 2))
        let used = frame.put("hello world", x: 3, y: 0)
        #expect(used == 7)
        #expect(frame.lines() == ["   hello w", ""])
        frame.put("xyz", x: -1, y: 1)
        #expect(frame.lines()[1] == "yz")
        frame.put("never", x: 0, y: 5)
        frame.put("never", x: 0, y: -1)
        #expect(frame.lines().count == 2)
    }

    @Test("a wide character takes two cells and is never split at the edge")
    func wideCharacters() {
        var frame = Frame(size: Size(width: 5, height: 1))
        frame.put("注文ab", x: 0, y: 0)
        #expect(frame[0, 0].symbol == "注")
        #expect(frame[0, 0].isWide)
        #expect(frame[1, 0].isContinuation)
        #expect(frame[2, 0].symbol == "文")
        #expect(frame[4, 0].symbol == "a")
        #expect(frame.lines() == ["注文a"])

        var edge = Frame(size: Size(width: 3, height: 1))
        edge.put("a注文", x: 0, y: 0)
        // 文 would need columns 3 and 4: it becomes nothing rather than half a glyph.
        #expect(edge.lines() == ["a注"])
        var last = Frame(size: Size(width: 2, height: 1))
        last.put("a注", x: 0, y: 0)
        #expect(last[1, 0].symbol == " ")
        #expect(!last[1, 0].isWide)
    }

    @Test("an emoji counts two columns, a maxWidth cut leaves a space")
    func emojiWidth() {
        var frame = Frame(size: Size(width: 6, height: 1))
        let used = frame.put("ok🔥🔥", x: 0, y: 0, maxWidth: 5)
        #expect(used == 5)
        #expect(frame.lines() == ["ok🔥"])
        #expect(DisplayWidth.of("ok🔥") == 4)
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteRepairsWideCharacters() {
        var frame = Frame(size: Size(width: 4, height: 1))
        frame.put("注文", x: 0, y: 0)
        frame.put("x", x: 1, y: 0)
        #expect(frame[0, 0].symbol == " ")
        #expect(!frame[0, 0].isWide)
        #expect(frame.lines() == [" x文"])
        frame.put("y", x: 2, y: 0)
        #expect(frame[3, 0].symbol == " ")
        #expect(frame.lines() == [" xy"])
    }

    @Test("control characters and bidi overrides are shown escaped, never written raw")
    func escapesControls() {
        var frame = Frame(size: Size(width: 40, height: 1))
        frame.put("a\u{1B}[2Jb\tc\nd\u{202E}e\r\n", x: 0, y: 0)
        #expect(frame.lines() == ["a\\x1B[2Jb\\tc\\nd\\u{202E}e\\r\\n"])
        for x in 0..<40 {
            let cell = frame[x, 0]
            #expect(!cell.symbol.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        }
    }

    @Test("invalid UTF-8 is shown as \\xNN escapes, valid text as itself")
    func invalidUTF8() {
        #expect(SafeText.decode([0x48, 0x69, 0xFF, 0xC3, 0xA9, 0xC3]) == "Hi\\xFFé\\xC3")
        #expect(SafeText.decode(Array("plain é 注".utf8)) == "plain é 注")
        #expect(SafeText.decode([0xED, 0xA0, 0x80]) == "\\xED\\xA0\\x80")
        #expect(SafeText.decode([0xF0, 0x9F, 0x94, 0xA5]) == "🔥")
        #expect(!SafeText.isValidUTF8([0xC0, 0xAF]))
        #expect(SafeText.prefixOnBoundary(Array("aé".utf8), maxBytes: 2) == [0x61])
    }

    @Test("a lone combining mark gets a dotted-circle base instead of joining the previous cell")
    func loneCombiningMark() {
        var frame = Frame(size: Size(width: 5, height: 1))
        frame.put("a", x: 0, y: 0)
        frame.put("\u{0301}", x: 1, y: 0)
        #expect(frame[0, 0].symbol == "a")
        #expect(frame[1, 0].symbol == "\u{25CC}\u{0301}")
    }

    @Test("zero-sized and one-cell frames accept every call")
    func tinyFrames() {
        for size in [Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: 0, height: 5), Size(width: 5, height: 0)] {
            var frame = Frame(size: size)
            frame.put("注文 hello", x: 0, y: 0)
            frame.fill(Rect(x: -3, y: -3, width: 10, height: 10), symbol: "#")
            frame.restyle(Rect(size)) { $0.attributes.insert(.bold) }
            frame.put("x", in: Rect(x: 0, y: 0, width: 3, height: 1))
            Box.draw(into: &frame, Rect(size), title: "t")
            #expect(frame.lines().count == size.height)
        }
    }

    @Test("a wide character at the last column becomes a space")
    func wideAtLastColumn() {
        var frame = Frame(size: Size(width: 3, height: 1))
        frame.set(x: 2, y: 0, Cell("注", isWide: true))
        #expect(frame[2, 0].symbol == " ")
    }
}
