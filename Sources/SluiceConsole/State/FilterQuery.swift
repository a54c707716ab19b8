import SluiceCore

/// The text of the DLQ browser's `/` filter: error types and an age window, in any order.
///
/// `Timeout Throttled >5m <3d` keeps Timeout and Throttled messages older than 5 minutes and
/// younger than 3 days. Long forms read too: `type:Timeout`, `min:5m`, `max:3d`. Types match the
/// known facet names without regard to case.
public enum FilterQuery {
    /// Parses filter text.
    /// - Parameter knownTypes: error types seen in the facets, to fix the case of typed names.
    /// - Throws: ``SluiceError`` naming the bad word and the accepted forms.
    public static func parse(_ text: String, knownTypes: [String] = []) throws -> MessageFilter {
        var filter = MessageFilter()
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        for word in words {
            let lower = word.lowercased()
            if let span = try age(word, prefixes: [">=", ">", "min:", "age>"], field: "minimum age") {
                filter.minAge = span
            } else if let span = try age(word, prefixes: ["<=", "<", "max:", "age<"], field: "maximum age") {
                filter.maxAge = span
            } else {
                var name = word
                if lower.hasPrefix("type:") { name = String(word.dropFirst(5)) }
                guard !name.isEmpty, name.count <= 64 else {
                    throw SluiceError.badInput("filter: '\(word)' is not an error type", fix: "type an error type such as Timeout, or >5m / <3d for ages")
                }
                let known = knownTypes.first { $0.lowercased() == name.lowercased() }
                filter.errorTypes.insert(known ?? name)
            }
        }
        if filter.isEmptyWindow {
            throw SluiceError.badInput("filter: minimum age \(filter.minAge!) is greater than maximum age \(filter.maxAge!)", fix: "swap them: >\(filter.maxAge!) <\(filter.minAge!)")
        }
        return filter
    }

    private static func age(_ word: String, prefixes: [String], field: String) throws -> TimeSpan? {
        let lower = word.lowercased()
        guard let prefix = prefixes.first(where: { lower.hasPrefix($0) }) else { return nil }
        let rest = String(word.dropFirst(prefix.count))
        do {
            return try TimeSpan.parse(rest, field: field)
        } catch {
            throw SluiceError.badInput("filter: '\(word)': '\(rest)' is not a duration", fix: "write >5m for older than 5 minutes, <3d for younger than 3 days (units ms s m h d)")
        }
    }

    /// The filter as text the parser reads back: `Timeout Throttled >5m <3d`.
    public static func format(_ filter: MessageFilter) -> String {
        var words = filter.errorTypes.sorted()
        if let minAge = filter.minAge { words.append(">" + minAge.description) }
        if let maxAge = filter.maxAge { words.append("<" + maxAge.description) }
        return words.joined(separator: " ")
    }
}
