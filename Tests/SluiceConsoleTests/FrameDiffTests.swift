import SluiceConsole
import SluiceCore
import Testing

@Suite("FrameDiff: only changed cells are written")
struct FrameDiffTests {
    /// Applies a diff to `old` the way a terminal does.
    static func apply(_ diff: FrameDiff, to old: Frame?, size: Size) -> Frame {
        var target = diff.isFull || old == nil ? Frame(size: size) : old!
        for run in diff.runs {
            for (i, cell) in run.cells.enumerated() { target.set(x: run.x + i, y: run.y, cell) }
        }
        return target
    }

    @Test("identical frames give an empty diff")
    func identical() {
        var frame = Frame(size: Size(width: 20, height: 3))
        frame.put("hello", x: 1, y: 1)
        let diff = FrameDiff.between(frame, frame)
        #expect(diff.isEmpty)
        #expect(diff.changedCells == 0)
    }

    @Test("one changed word is one run of its cells")
    func oneRun() {
        var a = Frame(size: Size(width: 20, height: 3))
        a.put("count: 100", x: 0, y: 1)
        var b = a
        b.put("count: 107", x: 0, y: 1)
        let diff = FrameDiff.between(a, b)
        #expect(!diff.isFull)
        #expect(diff.runs.count == 1)
        #expect(diff.runs[0].x == 9 && diff.runs[0].y == 1)
        #expect(diff.changedCells == 1)
    }

    @Test("a style change counts as a change")
    func styleChange() {
        var a = Frame(size: Size(width: 10, height: 1))
        a.put("ALARM", x: 0, y: 0)
        var b = a
        b.restyle(Rect(x: 0, y: 0, width: 5, height: 1)) { $0 = .alarm }
        #expect(FrameDiff.between(a, b).changedCells == 5)
    }

    @Test("no previous frame or a new size repaints everything")
    func full() {
        let a = Frame(size: Size(width: 10, height: 2))
        let b = Frame(size: Size(width: 12, height: 2))
        #expect(FrameDiff.between(nil, a).isFull)
        let diff = FrameDiff.between(a, b)
        #expect(diff.isFull)
        #expect(diff.changedCells == 24)
    }

    @Test("runs never start or end inside a wide character")
    func wideBoundaries() {
        var a = Frame(size: Size(width: 8, height: 1))
        a.put("ab注cd", x: 0, y: 0)
        var b = a
        b.put("文", x: 2, y: 0)
        let diff = FrameDiff.between(a, b)
        #expect(diff.runs.count == 1)
        #expect(diff.runs[0].x == 2)
        #expect(diff.runs[0].cells.count == 2)
        #expect(FrameDiffTests.apply(diff, to: a, size: a.size) == b)
    }

    @Test("applying the diff of random edits always reproduces the new frame", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomEdits(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let size = Size(width: 37, height: 11)
        let words = ["注文", "ok", "🔥", "ALARM", "│", "x", "データ", "  ", "é"]
        var old = Frame(size: size)
        for _ in 0..<40 {
            var new = old
            for _ in 0..<Int(rng.next() % 12) {
                let word = words[Int(rng.next() % UInt64(words.count))]
                new.put(word, x: Int(rng.next() % 40) - 2, y: Int(rng.next() % 11),
                        style: rng.next() % 2 == 0 ? .plain : .alarm)
            }
            let diff = FrameDiff.between(old, new)
            #expect(FrameDiffTests.apply(diff, to: old, size: size) == new)
            old = new
        }
    }
}
