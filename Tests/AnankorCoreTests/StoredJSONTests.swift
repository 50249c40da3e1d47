import AnankorCore
import Foundation
import Testing

/// `StoredJSON` writes what `JSONEncoder` writes: the same JSON (as values) and the same value
/// read back, and where it cannot, it is `JSONEncoder`.
@Suite("Stored JSON")
struct StoredJSONTests {
    typealias F = SessionFixture

    /// The JSON of both encoders, parsed and written again with sorted keys, compared: the same
    /// JSON values (key order is not part of JSON).
    static func sameJSON<T: Encodable>(_ value: T) throws -> Bool {
        func canonical(_ bytes: Data) throws -> Data {
            try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed]),
                                       options: [.sortedKeys, .fragmentsAllowed])
        }
        return try canonical(StoredJSON.encode(value)) == canonical(JSONEncoder().encode(value))
    }

    static func roundTrips<T: Codable & Equatable>(_ value: T) throws -> Bool {
        try JSONDecoder().decode(T.self, from: StoredJSON.encode(value)) == value
    }

    /// Records as the session makes them: queued, playing with history and a board, paused with
    /// jobs pending, voted on, ended.
    static func records() -> [SessionRecord] {
        var records: [SessionRecord] = [SessionRecord(session: F.key, now: F.start)]
        var driver = SessionDriver.playing(["a", "b \"quoted\" / slashed \\ back", "c\nnew line\ttab\u{1}", "🎶 Golden Harbour"])
        records.append(driver.record)
        driver.advance(seconds: 1.25)
        driver.report(.trackEnded(driver.record.nowPlaying!.entry.id, reason: .finished))
        records.append(driver.record)
        driver.command(2, .pause)
        records.append(driver.record)
        driver.send(.presence([]))
        driver.advance(seconds: 0.001)
        records.append(driver.record)
        driver.command(3, .stop)
        records.append(driver.record)
        var rich = driver.record
        rich.filter = "nightcore"
        rich.locale = DiscordLocale(rawValue: "de")
        rich.textChannel = ChannelID(UInt64.max)
        rich.counter = UInt64.max
        rich.autoplayTurns = -3
        rich.playerEmptySince = Date(timeIntervalSinceReferenceDate: -0.1)
        records.append(rich)
        return records
    }

    @Test("session records: the same JSON as JSONEncoder, and read back to the same record")
    func sessionRecords() throws {
        for record in Self.records() {
            #expect(try Self.sameJSON(record))
            #expect(try Self.roundTrips(record))
        }
    }

    @Test("values of every shape: nested arrays, optionals, dictionaries, data, dates, numbers")
    func shapes() throws {
        struct Shapes: Codable, Equatable {
            var int = Int.min
            var uint = UInt64.max
            var small: Int8 = -8
            var double = 0.1
            var whole = 3.0
            var huge = 1e300
            var tiny = Double.leastNonzeroMagnitude
            var float: Float = 1.5
            var flag = true
            var none: String?
            var some: String? = "x"
            var nested: [[Int]] = [[], [1, 2], [3]]
            var dictionary = ["a": 1, "b/\"": 2]
            var byInt = [1: "one", 2: "two"]
            var data = Data([0, 1, 2, 250, 255])
            var date = Date(timeIntervalSinceReferenceDate: 123.456)
            var url = URL(string: "https://example.com/a?b=c")!
            var empty: [String] = []
            var control = "\u{0}\u{7}\u{1F}\u{7F}é"
        }
        #expect(try Self.sameJSON(Shapes()))
        #expect(try Self.roundTrips(Shapes()))
        #expect(try Self.sameJSON("top-level string"))
        #expect(try Self.sameJSON([Self.records()[1].queue]))
    }

    @Test("an entry written again is the same text; an entry changed under the same id is written anew")
    func rememberedEntries() throws {
        var record = Self.records()[1]
        #expect(record.queue.count >= 2)
        let first = try StoredJSON.encode(record)
        #expect(try StoredJSON.encode(record) == first)
        // The same ids with other tracks: what a stale memo would get wrong.
        for index in record.queue.indices {
            record.queue[index].track.title += " (live)"
            record.queue[index].track.lengthMs += 1
        }
        #expect(try Self.sameJSON(record))
        #expect(try Self.roundTrips(record))
        let read = try JSONDecoder().decode(SessionRecord.self, from: StoredJSON.encode(record))
        #expect(read.queue.map(\.track.title).allSatisfy { $0.hasSuffix(" (live)") })
        // An entry inside other values than a record is remembered the same way.
        #expect(try Self.sameJSON(["entries": record.queue + record.queue]))
    }

    @Test("what the writer does not do is JSONEncoder's: superEncoder, containers out of order, errors")
    func fallsBack() throws {
        struct Super: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encode(1, forKey: AnyKey("a"))
                try ["x": 2].encode(to: container.superEncoder(forKey: AnyKey("payload")))
            }
        }
        struct OutOfOrder: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                var first = container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("first"))
                try container.encode(1, forKey: AnyKey("second"))
                try first.encode(2, forKey: AnyKey("late"))
            }
        }
        struct NotANumber: Encodable { var value = Double.nan }
        #expect(try Self.sameJSON(Super()))
        let outOfOrder = try JSONSerialization.jsonObject(with: StoredJSON.encode(OutOfOrder())) as? [String: Any]
        #expect((outOfOrder?["first"] as? [String: Int]) == ["late": 2])
        #expect(outOfOrder?["second"] as? Int == 1)
        #expect(throws: EncodingError.self) { try StoredJSON.encode(NotANumber()) }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
