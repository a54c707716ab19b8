/// An AWS shared `credentials` or `config` file: INI sections of `key = value` lines.
///
/// Follows the AWS CLI's reading: `#` and `;` start comments, keys are case-insensitive,
/// indented lines continue a nested block (such as `s3 =`) and are ignored here. In the
/// `config` file profiles are `[profile NAME]` and the default is `[default]`; in the
/// `credentials` file every section is a bare profile name.
public struct AWSProfileFile: Sendable, Hashable {
    /// Which of the two files this is: it decides how section names map to profiles.
    public enum Kind: Sendable, Hashable { case credentials, config }

    /// Profile name → its keys (lowercased) and values.
    public private(set) var profiles: [String: [String: String]] = [:]

    /// Parses a file's text.
    public init(text: String, kind: Kind) {
        var current: String? = nil
        var inNested = false
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            let stripped = String(line).trimmingEdges(" \t")
            if stripped.isEmpty || stripped.hasPrefix("#") || stripped.hasPrefix(";") { continue }
            if stripped.hasPrefix("[") {
                inNested = false
                guard let close = stripped.firstIndex(of: "]") else { current = nil; continue }
                let section = String(stripped[stripped.index(after: stripped.startIndex)..<close]).trimmingEdges(" \t")
                current = AWSProfileFile.profileName(section: section, kind: kind)
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard let profile = current else { continue }
            // Indented lines belong to a nested block (`s3 =\n  max_concurrent_requests = 5`).
            if line.first == " " || line.first == "\t" {
                if inNested { continue }
            }
            guard let eq = stripped.firstIndex(of: "=") else { continue }
            let key = String(stripped[..<eq]).trimmingEdges(" \t").lowercased()
            var value = String(stripped[stripped.index(after: eq)...]).trimmingEdges(" \t")
            // Inline comments need a space before the marker, as in the AWS CLI.
            for marker in [" #", " ;", "\t#", "\t;"] {
                if let r = value.firstRange(of: marker) { value = String(value[..<r.lowerBound]).trimmingEdges(" \t") }
            }
            inNested = value.isEmpty
            if !value.isEmpty { profiles[profile]![key] = value }
        }
    }

    /// The profile a section header names, nil for sections that are not profiles (`[sso-session x]`).
    static func profileName(section: String, kind: Kind) -> String? {
        switch kind {
        case .credentials:
            return section
        case .config:
            if section == "default" { return "default" }
            let parts = section.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0] == "profile" else { return nil }
            return String(parts[1]).trimmingEdges(" \t")
        }
    }

    /// A key of a profile (keys are case-insensitive).
    public func value(_ key: String, profile: String) -> String? {
        profiles[profile]?[key.lowercased()]
    }
}
