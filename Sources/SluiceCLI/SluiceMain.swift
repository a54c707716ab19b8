import ArgumentParser
import Foundation
import SluiceCore

/// Runs the `sluice` command line and returns the process exit code.
///
/// Exit codes: 0 ok, 1 a check failed, 2 bad input (with a message naming what and how to fix it).
public enum SluiceMain {
    public static func run(_ arguments: [String]) async -> Int32 {
        do {
            var command = try SluiceCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as SluiceError {
            Terminal.error(error.description)
            return error.exitCode
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = SluiceCommand.exitCode(for: error)
            let message = SluiceCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                return 0
            }
            Terminal.error(message)
            return code == .validationFailure ? 2 : code.rawValue
        }
    }
}

/// Plain output helpers for commands.
enum Terminal {
    /// Writes `sluice: error: …` to standard error.
    static func error(_ message: String) {
        let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        FileHandle.standardError.write(Data("sluice: error: \(text)\n".utf8))
    }

    /// Writes a line to standard error (progress, prompts).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}
