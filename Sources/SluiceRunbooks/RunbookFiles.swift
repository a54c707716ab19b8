import Foundation

/// Which files in a runbook folder are runbooks and which are drills.
///
/// A folder holds runbooks as `*.md` directly inside it (a `README.md` is documentation and is
/// left alone) and drills as `*.yaml` / `*.yml` in its `drills/` subfolder. Other subfolders
/// are not searched.
enum RunbookFiles {
    struct Listing {
        var runbooks: [String] = []
        var drills: [String] = []
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func isDrill(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    }

    /// The runbooks and drills a folder holds, sorted by name.
    static func list(directory: String) -> Listing {
        var listing = Listing()
        listing.runbooks = files(in: directory).filter { name in
            name.hasSuffix(".md") && name.lowercased() != "readme.md"
        }.map { join(directory, $0) }
        let drills = join(directory, "drills")
        if isDirectory(drills) {
            listing.drills = files(in: drills).filter(isDrill).map { join(drills, $0) }
        }
        return listing
    }

    private static func files(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") && !isDirectory(join(directory, $0)) }.sorted()
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
