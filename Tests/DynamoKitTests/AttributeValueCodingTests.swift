import Foundation
import Testing

@testable import DynamoKit

@Suite struct AttributeValueCodingTests {
    struct Profile: Codable, Equatable {
        struct Address: Codable, Equatable {
            var city: String
            var zip: Int
        }
        var name: String
        var age: Int
        var score: Double
        var big: UInt64
        var active: Bool
        var nickname: String?
        var tags: [String]
        var address: Address
        var avatar: Data
        var joined: Date
        var ratings: [String: Int]
        var level: Level
    }

    enum Level: String, Codable { case gold, silver }

    static let profile = Profile(
        name: "Ada", age: 36, score: 99.5, big: UInt64.max, active: true, nickname: nil, tags: ["a", "b"],
        address: .init(city: "London", zip: 12345), avatar: Data([0, 1, 2, 255]),
        joined: Date(timeIntervalSince1970: 1_700_000_000), ratings: ["chess": 5], level: .gold)

    @Test func encodesSwiftTypesToDynamoTypes() throws {
        let item = try AttributeValueEncoder().encode(Self.profile)
        #expect(item["name"] == .s("Ada"))
        #expect(item["age"] == .n("36"))
        #expect(item["score"] == .n("99.5"))
        #expect(item["big"] == .n("18446744073709551615"))
        #expect(item["active"] == .bool(true))
        #expect(item["nickname"] == nil, "nil optionals are left out of the item")
        #expect(item["tags"] == .l([.s("a"), .s("b")]))
        #expect(item["address"] == .m(["city": .s("London"), "zip": .n("12345")]))
        #expect(item["avatar"] == .b([0, 1, 2, 255]))
        #expect(item["joined"] == .n("1700000000"), "dates are epoch seconds, the form TTL reads")
        #expect(item["ratings"] == .m(["chess": .n("5")]))
        #expect(item["level"] == .s("gold"))
    }

    @Test func roundTripsThroughTheDecoder() throws {
        let item = try AttributeValueEncoder().encode(Self.profile)
        #expect(try AttributeValueDecoder().decode(Profile.self, from: item) == Self.profile)
    }

    @Test func decodesSetsAsArraysAndMissingAsNil() throws {
        struct Sets: Decodable, Equatable {
            var names: [String]
            var numbers: [Int]
            var blobs: [Data]
            var missing: String?
            var explicitNull: String?
        }
        let decoded = try AttributeValueDecoder().decode(
            Sets.self,
            from: [
                "names": .ss(["x", "y"]), "numbers": .ns(["1", "2"]), "blobs": .bs([[1], [2, 3]]),
                "explicitNull": .null,
            ])
        #expect(decoded == Sets(names: ["x", "y"], numbers: [1, 2], blobs: [Data([1]), Data([2, 3])], missing: nil, explicitNull: nil))
    }

    @Test func typeMismatchAndOverflowAreErrorsNotCrashes() {
        struct Counter: Decodable { var count: UInt8 }
        #expect(throws: DecodingError.self) {
            try AttributeValueDecoder().decode(Counter.self, from: ["count": .s("seven")])
        }
        #expect(throws: DecodingError.self) {
            try AttributeValueDecoder().decode(Counter.self, from: ["count": .n("300")])
        }
        #expect(throws: DecodingError.self) {
            try AttributeValueDecoder().decode(Counter.self, from: [:])
        }
        #expect(throws: EncodingError.self) { try AttributeValueEncoder().encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try AttributeValueEncoder().encode("not a map") }
    }

    @Test func wireJSONUsesDynamoTypeKeys() throws {
        let value: AttributeValue = .m([
            "s": .s("text"), "n": .n("1.5"), "b": .b(Array("hi".utf8)), "bool": .bool(false), "null": .null,
            "l": .l([.n("1")]), "ss": .ss(["a"]), "ns": .ns(["2"]), "bs": .bs([[0xff]]),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(json == #"{"M":{"b":{"B":"aGk="},"bool":{"BOOL":false},"bs":{"BS":["\/w=="]},"l":{"L":[{"N":"1"}]},"# + #""n":{"N":"1.5"},"ns":{"NS":["2"]},"null":{"NULL":true},"s":{"S":"text"},"ss":{"SS":["a"]}}}"#)
        #expect(try JSONDecoder().decode(AttributeValue.self, from: Data(json.utf8)) == value)
    }

    @Test(arguments: [#"{}"#, #"{"S":"a","N":"1"}"#, #"{"X":"1"}"#, #"{"B":"%%%"}"#, #"{"N":5}"#])
    func malformedWireValuesAreRejected(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AttributeValue.self, from: Data(json.utf8)) }
    }
}
