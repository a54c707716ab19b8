/// One problem found in a runbook (or drill) file, pointing at the offending key or value.
///
/// Printed as `file:line:column: error: what is wrong — how to fix it`, the form editors and CI
/// logs turn into links.
public struct RunbookDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The file is refused as a whole.
        case error
        /// The file is accepted; something was adjusted or looks unintended.
        case warning
    }

    /// The file, as the user named it.
    public var file: String
    /// 1-based line in the file.
    public var line: Int
    /// 1-based column in the file (in Unicode scalars, as libYAML counts).
    public var column: Int
    /// Error or warning.
    public var severity: Severity
    /// What is wrong, e.g. `unknown key 'sise' in 'batch'`.
    public var message: String
    /// How to fix it, e.g. `did you mean 'size'?`.
    public var fix: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, severity: Severity, message: String, fix: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.fix = fix
    }

    /// Whether this diagnostic refuses the file.
    public var isError: Bool { severity == .error }

    /// `file:line:column`.
    public var location: String { "\(file):\(line):\(column)" }

    /// `file:line:column: error: message — fix`.
    public var description: String {
        fix.isEmpty ? "\(location): \(severity.rawValue): \(message)"
            : "\(location): \(severity.rawValue): \(message) — \(fix)"
    }

    /// Orders diagnostics by file, then position, errors before warnings at the same spot.
    public static func sortedByPosition(_ items: [RunbookDiagnostic]) -> [RunbookDiagnostic] {
        items.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.file != y.file { return x.file < y.file }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            if x.severity != y.severity { return x.severity == .error }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The error that refuses a file: the first error's line, and how many more there are.
    ///
    /// Returns nil when `diagnostics` holds no error.
    public static func refusal(_ diagnostics: [RunbookDiagnostic]) -> SluiceError? {
        let errors = sortedByPosition(diagnostics).filter(\.isError)
        guard let first = errors.first else { return nil }
        var message = "\(first.location): \(first.message)"
        if !first.fix.isEmpty { message += " — \(first.fix)" }
        guard errors.count > 1 else { return .badInput(message) }
        let more = errors.count - 1
        message += " (and \(more) more error\(more == 1 ? "" : "s"))"
        return .badInput(message, fix: "run 'sluice runbook check \(first.file)' to see every problem")
    }
}
