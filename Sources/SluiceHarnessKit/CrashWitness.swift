import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the input the in-process fuzzer is working on where a fatal-signal handler can write it
/// out: a Swift trap (SIGILL/SIGTRAP), a segfault or an abort then leaves the exact input that
/// caused it in a file, so the crash can be replayed and turned into a regression test.
///
/// A watchdog thread does the same for an input that runs longer than a limit (a hang), then
/// aborts the process.
public enum CrashWitness {
    // nonisolated(unsafe): written only by the fuzzing thread between inputs and read only by the
    // signal handler or the watchdog, which write the bytes out and end the process: a torn read
    // at worst garbles the saved input, it cannot corrupt anything that outlives the process.
    nonisolated(unsafe) private static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var length = 0
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>? = nil
    private static let capacity = 1 << 20
    private static let startedAt = Atomic<Int64>(0)
    private static let watching = Atomic<Bool>(false)

    /// Installs the handlers; inputs will be saved to `file`.
    public static func arm(file: String, hangSeconds: Int) {
        path = strdup(file)
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                CrashWitness.save()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        guard !watching.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread {
            while true {
                sleep(1)
                let start = startedAt.load(ordering: .relaxed)
                if start > 0 && nowMillis() - start > Int64(hangSeconds) * 1000 {
                    save()
                    let note = "sluice-harness: an input ran longer than \(hangSeconds) s (a hang); it is saved in \(String(cString: path!))\n"
                    FileHandle.standardError.write(Data(note.utf8))
                    abort()
                }
            }
        }
        thread.start()
    }

    /// Holds `bytes` as the current input and starts its clock.
    public static func hold(_ bytes: [UInt8]) {
        let n = min(bytes.count, capacity)
        bytes.withUnsafeBufferPointer { if n > 0 { buffer.update(from: $0.baseAddress!, count: n) } }
        length = n
        startedAt.store(nowMillis(), ordering: .relaxed)
    }

    /// The current input is done.
    public static func release() {
        startedAt.store(0, ordering: .relaxed)
    }

    private static func save() {
        guard let path else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        _ = write(fd, buffer, length)
        close(fd)
    }

    private static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
