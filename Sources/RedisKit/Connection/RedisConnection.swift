import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One connection to a server. Many commands may be in flight at once (pipelining); replies are
/// matched to commands in order. Obtained from `RedisClient` (pooled or dedicated) or `connect`.
public final class RedisConnection: RedisCommandSender {
    let channel: any Channel
    /// The RESP version agreed with the server (3 after `HELLO 3`, else 2).
    public let protocolVersion: Int
    private let commandTimeout: Duration

    init(channel: any Channel, protocolVersion: Int, commandTimeout: Duration) {
        self.channel = channel
        self.protocolVersion = protocolVersion
        self.commandTimeout = commandTimeout
    }

    /// Whether the connection can still carry commands.
    public var isOpen: Bool { channel.isActive }

    /// Sends one command and waits for its reply. Server error replies throw `.server`.
    ///
    /// If the calling task is cancelled during a blocking command, the connection is closed (the
    /// server would otherwise keep blocking it), and the command fails.
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let request = RedisRequest(
            bytes: command.bytes, commandName: command.name, promise: promise, deadline: deadline(for: command))
        channel.writeAndFlush(request, promise: Self.failing(promise))
        if command.blocking == .none { return try await promise.futureResult.get() }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: { [channel] in
            channel.close(promise: nil)
        }
    }

    /// Writes all commands with one flush and waits for every reply; one result per command in order.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
        let futures = commands.map { command in
            let promise = channel.eventLoop.makePromise(of: RESPValue.self)
            channel.write(RedisRequest(
                bytes: command.bytes, commandName: command.name, promise: promise, deadline: deadline(for: command)
            ), promise: Self.failing(promise))
            return promise.futureResult
        }
        channel.flush()
        var results: [Result<RESPValue, RedisError>] = []
        results.reserveCapacity(futures.count)
        for future in futures {
            do {
                results.append(.success(try await future.get()))
            } catch let error as RedisError {
                results.append(.failure(error))
            } catch {
                results.append(.failure(RedisError(.connectionClosed, "the connection failed", underlying: error)))
            }
        }
        return results
    }

    /// A write promise that fails the reply promise when the write itself fails: once a channel is
    /// closed its handlers are gone and only the write promise hears about it. Completing the reply
    /// promise twice is harmless (NIO keeps the first result).
    private static func failing(_ reply: EventLoopPromise<RESPValue>) -> EventLoopPromise<Void> {
        let written = reply.futureResult.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            reply.fail(RedisError(.connectionClosed, "the connection to the server is closed", underlying: error))
        }
        return written
    }

    /// Writes a command whose answer arrives as push messages (SUBSCRIBE and friends).
    func sendWithoutReply(_ command: RedisCommand) {
        channel.writeAndFlush(RedisRequest(bytes: command.bytes, commandName: command.name, promise: nil), promise: nil)
    }

    /// Closes the connection; commands in flight fail with `.connectionClosed`.
    public func close() async {
        try? await channel.close()
    }

    func closeNow() {
        channel.close(promise: nil)
    }

    private func deadline(for command: RedisCommand) -> NIODeadline? {
        switch command.blocking {
        case .none: .now() + TimeAmount(commandTimeout)
        case .upTo(let block): .now() + TimeAmount(commandTimeout + block)
        case .indefinitely: nil
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = overflow ? .nanoseconds(.max / 2) : .nanoseconds(nanoseconds + attoseconds / 1_000_000_000)
    }
}
