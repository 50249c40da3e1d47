import NIOCore
import Testing
@testable import RedisKit

@Suite struct RESPParserTests {
    private func parse(_ text: String, limits: RESPLimits = RESPLimits()) throws -> (RESPValue?, Int) {
        var buffer = ByteBuffer(string: text)
        let value = try RESPParser(limits: limits).parse(&buffer)
        return (value, buffer.readableBytes)
    }

    @Test func decodesEveryRESP2AndRESP3Type() throws {
        let cases: [(String, RESPValue)] = [
            ("+OK\r\n", .simpleString(ByteBuffer(string: "OK"))),
            ("-ERR bad\r\n", .simpleError(ByteBuffer(string: "ERR bad"))),
            (":-42\r\n", .integer(-42)),
            ("$5\r\nhe\r\no\r\n", .bulkString(ByteBuffer(string: "he\r\no"))),
            ("$0\r\n\r\n", .bulkString(ByteBuffer())),
            ("$-1\r\n", .null),
            ("*-1\r\n", .null),
            ("_\r\n", .null),
            ("#t\r\n", .boolean(true)),
            ("#f\r\n", .boolean(false)),
            (",3.5\r\n", .double(3.5)),
            (",-inf\r\n", .double(-.infinity)),
            ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
            ("!9\r\nSYNTAX xy\r\n", .bulkError(ByteBuffer(string: "SYNTAX xy"))),
            ("=7\r\ntxt:abc\r\n", .verbatimString(format: "txt", ByteBuffer(string: "abc"))),
            ("*2\r\n:1\r\n$1\r\na\r\n", .array([.integer(1), .bulk("a")])),
            ("~1\r\n+x\r\n", .set([.simpleString(ByteBuffer(string: "x"))])),
            (">2\r\n$7\r\nmessage\r\n:1\r\n", .push([.bulk("message"), .integer(1)])),
            ("%1\r\n$1\r\nk\r\n:7\r\n", .map([RESPMapEntry(key: .bulk("k"), value: .integer(7))])),
            ("|1\r\n+ttl\r\n:3\r\n:9\r\n", .integer(9)),
            ("*0\r\n", .array([])),
        ]
        for (text, expected) in cases {
            let (value, left) = try parse(text)
            #expect(value == expected, "\(text.debugDescription)")
            #expect(left == 0, "\(text.debugDescription) left \(left) bytes")
        }
    }

    @Test func leavesTheRestOfThePipelineInTheBuffer() throws {
        var buffer = ByteBuffer(string: "+OK\r\n:1\r\n$1\r\n")
        let parser = RESPParser()
        #expect(try parser.parse(&buffer) == .simpleString(ByteBuffer(string: "OK")))
        #expect(try parser.parse(&buffer) == .integer(1))
        #expect(try parser.parse(&buffer) == nil)
        #expect(buffer.readableBytes == 4, "an incomplete value stays unconsumed")
    }

    /// Every strict prefix of a valid reply is "need more bytes", never an error or a wrong value.
    @Test func everyTruncationIsIncompleteAndConsumesNothing() throws {
        let whole = "*3\r\n%1\r\n+k\r\n*2\r\n$3\r\nabc\r\n,1.5\r\n>1\r\n#t\r\n(12\r\n"
        let bytes = Array(whole.utf8)
        for cut in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[0..<cut])
            #expect(try RESPParser().parse(&buffer) == nil, "prefix of \(cut) bytes")
            #expect(buffer.readableBytes == cut)
        }
        var buffer = ByteBuffer(bytes: bytes)
        #expect(try RESPParser().parse(&buffer) != nil)
    }

    @Test(arguments: [
        ("?x\r\n", RESPParseError.Code.unknownType),
        (":12a\r\n", .invalidNumber),
        (":\r\n", .invalidNumber),
        (":99999999999999999999\r\n", .invalidNumber),
        ("$-2\r\n", .invalidLength),
        ("*-5\r\n", .invalidLength),
        ("$3\r\nabcXY", .missingTerminator),
        ("+OK\rX", .missingTerminator),
        ("#x\r\n", .invalidNumber),
        (",abc\r\n", .invalidNumber),
        ("(12x\r\n", .invalidNumber),
        ("_x\r\n", .invalidNumber),
        ("=2\r\nab\r\n", .invalidLength),
    ])
    func rejectsMalformedInput(text: String, code: RESPParseError.Code) {
        var buffer = ByteBuffer(string: text)
        #expect { try RESPParser().parse(&buffer) } throws: { ($0 as? RESPParseError)?.code == code }
    }

    @Test func enforcesSizeLimitsBeforeReadingThePayload() {
        let limits = RESPLimits(maxBulkLength: 10, maxAggregateCount: 4, maxDepth: 3, maxLineLength: 8)
        for text in [
            "$11\r\n",  // bulk longer than allowed: rejected from the header alone
            "*5\r\n",  // aggregate with too many elements
            "%5\r\n",  // map with too many pairs
            "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n",  // nested too deep
            "+123456789",  // line too long without CRLF
            "$9223372036854775807\r\n",
        ] {
            var buffer = ByteBuffer(string: text)
            #expect(throws: RESPParseError.self, "\(text.debugDescription)") { try RESPParser(limits: limits).parse(&buffer) }
        }
    }

    @Test func aChainOfAttributesCannotRecurseWithoutBound() {
        var buffer = ByteBuffer(string: String(repeating: "|0\r\n", count: 10_000) + ":1\r\n")
        #expect(throws: RESPParseError.self) { try RESPParser().parse(&buffer) }
    }

    @Test func aLyingAggregateLengthAllocatesNothingUpFront() throws {
        var buffer = ByteBuffer(string: "*16000000\r\n:1\r\n")
        #expect(try RESPParser().parse(&buffer) == nil)
    }

    /// Random bytes (seeded, so reproducible) never crash the parser; each run ends in a value,
    /// "incomplete" or an error.
    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array("+-:$*%~>_#,(!=|\r\n0123456789-abc".utf8)
        for _ in 0..<3000 {
            let length = Int(generator.next() % 40)
            var bytes: [UInt8] = []
            for _ in 0..<length { bytes.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            var buffer = ByteBuffer(bytes: bytes)
            let parser = RESPParser(limits: RESPLimits(maxBulkLength: 64, maxAggregateCount: 64, maxDepth: 8, maxLineLength: 32))
            while (try? parser.parse(&buffer)) != nil {}
        }
    }

    @Test func encodingThenParsingGivesBackTheSameValue() throws {
        let value = RESPValue.array([
            .map([RESPMapEntry(key: .bulk("a"), value: .set([.integer(1), .double(2.25), .boolean(false)]))]),
            .null, .bigNumber("-12"), .verbatimString(format: "txt", ByteBuffer(string: "x\r\ny")),
            .bulkError(ByteBuffer(string: "E")), .simpleError(ByteBuffer(string: "ERR x")), .push([.bulk("m")]),
        ])
        var buffer = ByteBuffer()
        value.write(into: &buffer)
        #expect(try RESPParser().parse(&buffer) == value)
        #expect(buffer.readableBytes == 0)
    }

    @Test func commandsAreEncodedAsArraysOfBulkStrings() {
        let command = RedisCommand("SET", "kéy", 42, 1.5, ByteBuffer(bytes: [0, 13, 10]))
        #expect(String(buffer: command.bytes) == "*5\r\n$3\r\nSET\r\n$4\r\nkéy\r\n$2\r\n42\r\n$3\r\n1.5\r\n$3\r\n\0\r\n\r\n")
        #expect(String(buffer: RedisCommand("ZRANGEBYSCORE", RedisScoreBound.exclusive(1), RedisScoreBound.positiveInfinity).bytes)
            == "*3\r\n$13\r\nZRANGEBYSCORE\r\n$4\r\n(1.0\r\n$4\r\n+inf\r\n")
    }
}

/// A small deterministic generator for reproducible random inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
