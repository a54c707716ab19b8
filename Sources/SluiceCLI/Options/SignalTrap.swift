import Dispatch
import Foundation

/// Turns SIGINT, SIGTERM and SIGHUP into a callback, so a redrive stops cleanly between batches
/// instead of dying mid-way (a batch is atomic anyway; this keeps the job's state honest).
final class SignalTrap {
    private let sources: [any DispatchSourceSignal]

    init(_ signals: [Int32] = [SIGINT, SIGTERM, SIGHUP], handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Restores default handling.
    func cancel() {
        for s in sources { s.cancel() }
        for n in [SIGINT, SIGTERM, SIGHUP] { signal(n, SIG_DFL) }
    }
}
