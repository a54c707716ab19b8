/// One of the eight basic terminal colours. Colour is decoration only: every state a screen
/// shows must also read in monochrome through ``TextAttributes``.
public enum ConsoleColor: UInt8, Sendable, Hashable, CaseIterable {
    case black, red, green, yellow, blue, magenta, cyan, white
}

/// Text attributes every terminal (even a vt100) can show.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
}

/// How a cell looks: optional colours (nil is the terminal's default) and attributes.
public struct Style: Sendable, Hashable {
    /// Foreground colour, nil for the terminal default.
    public var foreground: ConsoleColor?
    /// Background colour, nil for the terminal default.
    public var background: ConsoleColor?
    /// Attributes that carry meaning without colour.
    public var attributes: TextAttributes

    /// Creates a style.
    public init(foreground: ConsoleColor? = nil, background: ConsoleColor? = nil, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default look.
    public static let plain = Style()

    /// This style with `extra` attributes added.
    public func adding(_ extra: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }
}

extension Style {
    /// Screen and panel titles.
    public static let title = Style(attributes: [.bold])
    /// The top header bar.
    public static let header = Style(foreground: .black, background: .cyan, attributes: [.reverse])
    /// The highlighted row of a list.
    public static let selected = Style(attributes: [.reverse])
    /// Secondary text: units, hints, placeholders.
    public static let muted = Style(attributes: [.dim])
    /// A state that needs attention now: bold and reversed so it reads without colour.
    public static let alarm = Style(foreground: .red, attributes: [.bold, .reverse])
    /// A healthy state.
    public static let ok = Style(foreground: .green)
    /// A warning: bold so it reads without colour.
    public static let warning = Style(foreground: .yellow, attributes: [.bold])
    /// An error message in the status line.
    public static let error = Style(foreground: .red, attributes: [.bold])
    /// Key names in hints.
    public static let key = Style(foreground: .cyan, attributes: [.bold])
    /// Borders of boxes.
    public static let border = Style(foreground: .blue)
    /// Column headers of tables.
    public static let columnHeader = Style(attributes: [.bold, .underline])
}
