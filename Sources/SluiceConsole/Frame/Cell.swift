import Synchronization

/// One terminal cell: a grapheme and its style.
///
/// A wide grapheme (CJK, most emoji) occupies two cells: a lead cell with `isWide` set and a
/// continuation cell with an empty symbol, so the grid never splits it.
///
/// A cell is plain data (no reference counting), so building and diffing a frame of 10,000
/// cells copies and compares integers: a grapheme of one scalar — nearly every cell — is kept
/// as that scalar; a longer one (an emoji sequence, a letter with combining marks) as a number
/// from ``GraphemeTable``.
public struct Cell: Sendable, Hashable {
    /// 0: empty (a continuation); below 0x110000: one scalar; from `interned` up: a table entry.
    private var code: UInt32
    /// How it looks.
    public var style: Style
    /// Whether the symbol is two columns wide (the next cell is its continuation).
    public var isWide: Bool

    static let interned: UInt32 = 0x8000_0000

    /// Creates a cell.
    public init(_ symbol: String = " ", style: Style = .plain, isWide: Bool = false) {
        self.code = Self.code(of: symbol)
        self.style = style
        self.isWide = isWide
    }

    /// Creates a cell of one scalar, the fast way.
    init(scalar: Unicode.Scalar, style: Style, isWide: Bool = false) {
        self.code = scalar.value
        self.style = style
        self.isWide = isWide
    }

    /// The grapheme shown, `""` for the continuation half of a wide grapheme.
    public var symbol: String {
        get {
            if code == 0 { return "" }
            if code < Self.interned { return String(Character(Unicode.Scalar(code)!)) }
            return GraphemeTable.shared.string(code - Self.interned)
        }
        set { code = Self.code(of: newValue) }
    }

    private static func code(of symbol: String) -> UInt32 {
        var scalars = symbol.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return 0 }
        if scalars.next() == nil, first.value != 0 { return first.value }
        return interned + GraphemeTable.shared.number(symbol)
    }

    /// A blank cell in the default style.
    public static let blank = Cell()

    /// Whether this is the right half of a wide grapheme.
    public var isContinuation: Bool { code == 0 }
}

/// Numbers for graphemes of more than one scalar, shared by every frame of the process.
/// Bounded: past `capacity` distinct graphemes, new ones show as U+FFFD.
final class GraphemeTable: Sendable {
    static let shared = GraphemeTable()
    static let capacity = 1 << 20

    private let table = Mutex<(strings: [String], numbers: [String: UInt32])>(([], [:]))

    func number(_ grapheme: String) -> UInt32 {
        table.withLock { t in
            if let n = t.numbers[grapheme] { return n }
            guard t.strings.count < Self.capacity else { return Self.replacement(&t) }
            let n = UInt32(t.strings.count)
            t.strings.append(grapheme)
            t.numbers[grapheme] = n
            return n
        }
    }

    func string(_ number: UInt32) -> String {
        table.withLock { t in Int(number) < t.strings.count ? t.strings[Int(number)] : "\u{FFFD}" }
    }

    /// U+FFFD as a table entry (a one-scalar code would do, but this keeps `number` total).
    private static func replacement(_ t: inout (strings: [String], numbers: [String: UInt32])) -> UInt32 {
        if let n = t.numbers["\u{FFFD}\u{FE0E}"] { return n }
        let n = UInt32(t.strings.count)
        t.strings.append("\u{FFFD}\u{FE0E}")
        t.numbers["\u{FFFD}\u{FE0E}"] = n
        return n
    }
}
