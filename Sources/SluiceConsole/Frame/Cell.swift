/// One terminal cell: a grapheme and its style.
///
/// A wide grapheme (CJK, most emoji) occupies two cells: a lead cell with `isWide` set and a
/// continuation cell with an empty symbol, so the grid never splits it.
public struct Cell: Sendable, Hashable {
    /// The grapheme shown, `""` for the continuation half of a wide grapheme.
    public var symbol: String
    /// How it looks.
    public var style: Style
    /// Whether the symbol is two columns wide (the next cell is its continuation).
    public var isWide: Bool

    /// Creates a cell.
    public init(_ symbol: String = " ", style: Style = .plain, isWide: Bool = false) {
        self.symbol = symbol
        self.style = style
        self.isWide = isWide
    }

    /// A blank cell in the default style.
    public static let blank = Cell()

    /// Whether this is the right half of a wide grapheme.
    public var isContinuation: Bool { symbol.isEmpty }
}
