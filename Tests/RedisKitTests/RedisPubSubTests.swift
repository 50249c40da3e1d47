import AnankorTesting
import NIOCore
import RedisKit
import Testing

@Suite struct RedisPubSubTests {
    @Test(arguments: [3, 2])
    func subscribersReceiveWhatIsPublishedAfterSubscribing(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { _, client in
            let subscription = try await client.subscribe(to: ["news", "sports"])
            let patterned = try await client.psubscribe(to: ["guild.*"])
            #expect(try await client.send("PUBLISH", "news", "hello").int == 1)
            #expect(try await client.send("PUBLISH", "guild.42", "joined").int == 1)
            #expect(try await client.send("PUBLISH", "sports", "goal").int == 1)

            let received = try await withTimeout {
                var messages: [RedisPubSubMessage] = []
                for try await message in subscription {
                    messages.append(message)
                    if messages.count == 2 { break }
                }
                return messages
            }
            #expect(received.map(\.channel) == ["news", "sports"])
            #expect(received.map(\.payload.text) == ["hello", "goal"])

            let matched = try await withTimeout {
                var iterator = patterned.makeAsyncIterator()
                return try await iterator.next()
            }
            #expect(matched?.pattern == "guild.*")
            #expect(matched?.channel == "guild.42")
            #expect(matched?.payload.text == "joined")

            await subscription.close()
            await patterned.close()
            // Closed subscriptions end their connection; the server sees no subscriber left.
            try await eventually {
                guard try await client.send("PUBLISH", "news", "x").int == 0 else { throw TimeoutError() }
            }
        }
    }

    @Test func aSubscriptionEndsWithAnErrorWhenTheServerGoesAway() async throws {
        try await withRedis { server, client in
            let subscription = try await client.subscribe(to: ["c"])
            server.kill()
            let outcome = try await withTimeout {
                do {
                    for try await _ in subscription {}
                    return "finished"
                } catch let error as RedisError {
                    return "\(error.code)"
                }
            }
            #expect(outcome == "connectionClosed")
        }
    }
}
