import CompressNIO
@testable import DiscordKit
import NIOCore
import Testing

/// A deterministic generator so a failing mutation can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func mutate(_ bytes: [UInt8], using random: inout SplitMix64) -> [UInt8] {
    var bytes = bytes
    switch random.next() % 5 {
    case 0 where !bytes.isEmpty: // truncate
        bytes.removeLast(Int(random.next() % UInt64(bytes.count)))
    case 1 where !bytes.isEmpty: // flip bytes
        for _ in 0..<(1 + random.next() % 8) {
            bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
        }
    case 2: // insert garbage
        let at = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
        bytes.insert(contentsOf: (0..<(1 + random.next() % 16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
    case 3 where bytes.count > 2: // duplicate a slice
        let start = Int(random.next() % UInt64(bytes.count / 2))
        bytes.append(contentsOf: bytes[start..<(start + bytes.count / 4)])
    default: // replace a structural character
        if let index = bytes.indices.randomElement(using: &random) {
            bytes[index] = [UInt8(ascii: "{"), UInt8(ascii: "]"), UInt8(ascii: "\""), 0, 0xFF].randomElement(using: &random)!
        }
    }
    return bytes
}

func compressedFrames(_ payloads: [String]) throws -> [ByteBuffer] {
    let compressor = try ZlibCompressor(algorithm: .zlib)
    return try payloads.map { payload in
        var input = ByteBuffer(string: payload)
        return try input.compressStream(with: compressor, flush: .sync)
    }
}

@Suite("Hostile gateway input")
struct GatewayHostileInputTests {
    let samples = [
        DocumentationFixtures.hello, DocumentationFixtures.ready, DocumentationFixtures.guildCreate,
        DocumentationFixtures.dispatch("INTERACTION_CREATE", seq: 9, DocumentationFixtures.slashCommandInteraction),
        DocumentationFixtures.dispatch("VOICE_STATE_UPDATE", seq: 10, DocumentationFixtures.voiceState),
        DocumentationFixtures.dispatch("MESSAGE_CREATE", seq: 11, DocumentationFixtures.messageWithComponents),
        #"{"op": 9, "d": false}"#, #"{"op": 11}"#,
    ]

    @Test("mutated frames never crash the decoder or the state machine (seeded)")
    func fuzzDecoder() throws {
        var random = SplitMix64(state: 0xA11A_0C0A)
        let decoder = GatewayFrameDecoder()
        var machine = GatewayStateMachine(gatewayURL: "wss://x", jitter: { 0.5 }, invalidSessionDelay: { .seconds(1) })
        machine.connectionOpened(now: .zero)
        var decodedCount = 0
        var now = Duration.zero
        for round in 0..<3000 {
            let sample = Array(samples[round % samples.count].utf8)
            let bytes = mutate(mutate(sample, using: &random), using: &random)
            var buffer = ByteBuffer()
            buffer.writeBytes(bytes)
            if let message = try? decoder.decode(buffer) {
                decodedCount += 1
                _ = machine.receive(message, now: now)
                _ = machine.tick(now: now)
            }
            now += .milliseconds(100)
        }
        // Some mutations leave valid JSON; the point is that none crashed.
        #expect(decodedCount > 0)
    }

    @Test("oversized and absurd payloads are refused, not processed")
    func oversized() throws {
        let decoder = GatewayFrameDecoder(maxPayloadSize: 1024)
        #expect(throws: GatewayFrameDecoder.Failure.self) {
            try decoder.decode(#"{"op":0,"t":"X","d":""# + String(repeating: "a", count: 2048) + #""}"#)
        }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: GatewayFrameDecoder.Failure.self) {
            try GatewayFrameDecoder().decode(#"{"op":0,"t":"X","d":"# + deep + "}")
        }
        // A hostile heartbeat interval is clamped to something sane.
        #expect(try decoder.decode(#"{"op":10,"d":{"heartbeat_interval":-5}}"#) == .hello(heartbeatInterval: .seconds(1)))
        #expect(try decoder.decode(#"{"op":10,"d":{"heartbeat_interval":1e300}}"#) == .hello(heartbeatInterval: .seconds(600)))
    }

    @Test("zlib-stream: one context inflates consecutive messages, split across frames")
    func zlibStream() throws {
        let frames = try compressedFrames(samples)
        let inflater = try ZlibStreamInflater()
        for (index, frame) in frames.enumerated() {
            // Split each message in two frames: only the second completes it.
            let half = frame.readableBytes / 2
            #expect(try inflater.feed(frame.getSlice(at: frame.readerIndex, length: half)!) == nil)
            let payload = try #require(try inflater.feed(frame.getSlice(at: frame.readerIndex + half, length: frame.readableBytes - half)!))
            #expect(String(buffer: payload) == samples[index])
        }
    }

    @Test("mutated compressed frames never crash the inflater (seeded)")
    func fuzzInflater() throws {
        var random = SplitMix64(state: 0x5EED)
        let frames = try compressedFrames(samples)
        var failures = 0
        for round in 0..<400 {
            let inflater = try ZlibStreamInflater(maxPayloadSize: 1 << 20)
            for (index, frame) in frames.enumerated() {
                var bytes = Array(frame.readableBytesView)
                if index == round % frames.count { bytes = mutate(bytes, using: &random) }
                // Keep the flush suffix so mutated data actually reaches inflate.
                if !bytes.suffix(4).elementsEqual([0, 0, 0xFF, 0xFF]) { bytes += [0, 0, 0xFF, 0xFF] }
                var buffer = ByteBuffer()
                buffer.writeBytes(bytes)
                do {
                    if let payload = try inflater.feed(buffer) { _ = try? GatewayFrameDecoder().decode(payload) }
                } catch {
                    failures += 1
                    break
                }
            }
        }
        #expect(failures > 0, "corruption is detected, not silently accepted")
    }

    @Test("a compression bomb stops at the size limit")
    func compressionBomb() throws {
        let inflater = try ZlibStreamInflater(maxPayloadSize: 64 * 1024)
        let bomb = try compressedFrames([String(repeating: "A", count: 4 << 20)])[0]
        #expect(throws: ZlibStreamInflater.Failure.self) { _ = try inflater.feed(bomb) }
    }
}
