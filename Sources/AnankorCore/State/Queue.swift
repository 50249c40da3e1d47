import Foundation

/// Where `/play` puts new tracks.
public enum QueuePlacement: String, Sendable, Hashable, Codable {
    case end
    /// Before everything else (`/play … next`).
    case next
}

/// `/loop off|track|queue`.
public enum LoopMode: String, Sendable, Hashable, Codable, CaseIterable {
    case off
    /// The current track repeats when it finishes (a skip still moves on).
    case track
    /// A finished or skipped track goes to the end of the queue.
    case queue
}

/// Why the queue advances.
public enum AdvanceReason: String, Sendable, Hashable, Codable {
    /// The track ended by itself (honours `LoopMode.track`).
    case finished
    /// A member skipped (ignores `LoopMode.track`).
    case skipped
}

/// What a session plays now.
public struct NowPlaying: Sendable, Hashable, Codable {
    public var entry: QueueEntry
    public var positionMs: Int64
    public var paused: Bool
    /// When `positionMs` was measured.
    public var updatedAt: Date

    public init(entry: QueueEntry, positionMs: Int64, paused: Bool, updatedAt: Date) {
        self.entry = entry
        self.positionMs = positionMs
        self.paused = paused
        self.updatedAt = updatedAt
    }

    /// The position extrapolated to `now` while playing.
    public func position(at now: Date) -> Int64 {
        guard !paused else { return positionMs }
        let elapsed = Int64(max(0, now.timeIntervalSince(updatedAt)) * 1000)
        let position = positionMs + elapsed
        return entry.track.isStream ? position : min(position, entry.track.lengthMs)
    }
}

/// Queue operations of `MusicSession` that need more than a line.
public enum QueueRules {
    /// Fisher–Yates driven by `SeededGenerator`: the same seed and queue give the same order.
    public static func shuffle<T>(_ items: inout [T], seed: UInt64) {
        guard items.count > 1 else { return }
        var generator = SeededGenerator(seed: seed)
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            let other = generator.next(below: index + 1)
            if other != index { items.swapAt(index, other) }
        }
    }
}

/// The Park–Miller "minimal standard" generator: small, exact, and the same on every platform.
public struct SeededGenerator: Sendable {
    static let modulus: UInt64 = 2_147_483_647
    private var state: UInt64

    public init(seed: UInt64) {
        state = Self.initialState(forSeed: seed)
    }

    /// The first state for `seed` (1…2^31-2): what the Redis shuffle script receives, since Lua
    /// cannot hold a 64-bit seed exactly.
    public static func initialState(forSeed seed: UInt64) -> UInt64 {
        let reduced = seed % modulus
        return reduced == 0 ? 1 : reduced
    }

    public mutating func nextState() -> UInt64 {
        state = (state * 16_807) % Self.modulus
        return state
    }

    /// A value in `0..<bound`.
    public mutating func next(below bound: Int) -> Int {
        Int(nextState() % UInt64(bound))
    }
}
