import Foundation
import SluiceCore
import SluiceStore

/// A store in a fresh temporary folder on a virtual clock, removed when the test ends.
public final class TemporaryStore: Sendable {
    public let directory: String
    public let clock: ManualClock
    public let store: Store

    /// Creates a store in a new temporary folder.
    public init(seed: UInt64 = 42, start: Timestamp = Timestamp(millis: 1_795_600_000_000)) throws {
        directory = NSTemporaryDirectory() + "sluice-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        clock = ManualClock(start: start)
        store = try Store(path: directory + "/store.sluice", clock: clock, idPrefixSeed: seed)
    }

    /// The store file.
    public var path: String { store.path }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
