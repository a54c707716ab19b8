import ArgumentParser
import Foundation
import SluiceCore

/// `sluice send QUEUE BODY [--attr K=V]...`.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a message to a queue.")

    @OptionGroup var backend: BackendOptions
    @Argument(help: "The queue.") var queue: String
    @Argument(help: "The message body ('-' reads standard input).") var body: String?
    @Option(help: ArgumentHelp("Read the body from a file (bytes, any encoding).", valueName: "path")) var bodyFile: String?
    @Option(name: .customLong("attr"), help: ArgumentHelp("A String message attribute; repeat for more.", valueName: "key=value")) var attributes: [String] = []
    @Option(help: ArgumentHelp("Delivery delay (max 15m).", valueName: "duration")) var delay: String?
    @Option(help: ArgumentHelp("FIFO message group id.", valueName: "id")) var groupId: String?
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if (body == nil) == (bodyFile == nil) {
            throw ValidationError("give the body as an argument or with --body-file (one of them)")
        }
    }

    func run() async throws {
        let bytes: [UInt8]
        if let bodyFile {
            guard let data = FileManager.default.contents(atPath: bodyFile) else {
                throw SluiceError.badInput("--body-file '\(bodyFile)' cannot be read", fix: "check the path")
            }
            bytes = [UInt8](data)
        } else if body == "-" {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        } else {
            bytes = Array(body!.utf8)
        }
        var attrs: [String: MessageAttribute] = [:]
        for pair in attributes {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw SluiceError.badInput("--attr '\(pair)' is not key=value", fix: "write it like --attr errorType=Timeout")
            }
            attrs[String(pair[..<eq])] = .string(String(pair[pair.index(after: eq)...]))
        }
        let entry = SendEntry(entryId: "0", body: bytes, attributes: attrs, delay: try parseSpan(delay, flag: "--delay"), groupId: groupId)
        let result = try await backend.withBackend { try await $0.send(to: queue, entries: [entry])[0] }
        if let error = result.error { throw error }
        if output.json {
            JSONOutput.print(["messageId": result.messageId!, "queue": queue])
        } else {
            print(result.messageId!)
        }
    }
}

/// `sluice receive QUEUE [--max N] [--visibility D]`: what a worker does.
struct ReceiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receive", abstract: "Receive messages as a worker would (they stay hidden for the visibility timeout).")

    @OptionGroup var backend: BackendOptions
    @Argument(help: "The queue.") var queue: String
    @Option(help: ArgumentHelp("Messages to receive (1-10).", valueName: "n")) var max = 1
    @Option(help: ArgumentHelp("Visibility timeout for these messages (default: the queue's).", valueName: "duration")) var visibility: String?
    @OptionGroup var output: JSONFlag

    func run() async throws {
        let visibility = try parseSpan(visibility, flag: "--visibility")
        let (messages, now) = try await backend.withBackend { b in
            (try await b.receive(from: queue, max: max, visibility: visibility), b.clock.now())
        }
        if output.json {
            JSONOutput.print(messages.map { MessageJSON($0, now: now) })
            return
        }
        if messages.isEmpty {
            print("no messages visible in \(queue)")
            return
        }
        for m in messages {
            print("\(m.id)  receives=\(m.receiveCount)  age=\((now - m.sentAt).compact)")
            print("  receipt: \(m.receiptHandle ?? "-")")
            print("  body:    \(bodyPreview(m.body, width: 100))")
        }
    }
}

/// `sluice ack QUEUE RECEIPT...`: a worker's success verdict (delete).
struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Delete received messages: the worker processed them.")

    @OptionGroup var backend: BackendOptions
    @Argument(help: "The queue.") var queue: String
    @Argument(help: "Receipt handles from 'sluice receive' (up to 10).") var receipts: [String]

    func run() async throws {
        let results = try await backend.withBackend { try await $0.delete(from: queue, receipts: receipts) }
        let failures = results.filter { !$0.succeeded }
        for f in failures { Terminal.error(f.error!.description) }
        if !failures.isEmpty {
            throw ExitCode(failures.allSatisfy { $0.error!.exitCode == 2 } ? 2 : 1)
        }
        print("deleted \(results.count) message\(results.count == 1 ? "" : "s") from \(queue)")
    }
}

/// `sluice fail QUEUE RECEIPT --error-type T`: a worker's failure verdict.
struct FailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fail", abstract: "Record a worker's failure on a received message and release it for redelivery.")

    @OptionGroup var backend: BackendOptions
    @Argument(help: "The queue.") var queue: String
    @Argument(help: "The receipt handle from 'sluice receive'.") var receipt: String
    @Option(help: ArgumentHelp("Why it failed, e.g. Timeout or ValidationError.", valueName: "type")) var errorType: String
    @Option(help: ArgumentHelp("Details of the failure.", valueName: "text")) var errorMessage: String?

    func run() async throws {
        try await backend.withBackend { try await $0.fail(in: queue, receipt: receipt, errorType: errorType, errorMessage: errorMessage) }
        print("recorded \(errorType) on the message; it is visible again in \(queue)")
    }
}
