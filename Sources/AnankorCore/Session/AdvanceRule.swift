import Foundation

/// The one queue-advance rule of a music session. Both store adapters and `MusicSession` follow
/// it; it works on plain arrays so it stays a pure function.
public enum AdvanceRule {
    /// History entries kept per session for `/previous`.
    public static let historyLimit = 50

    /// Moves on from `current`: a finished track repeats under `LoopMode.track`; otherwise the
    /// current entry goes to the history (oldest dropped beyond `historyLimit`) and, under
    /// `LoopMode.queue`, back to the end of the queue; the head of the queue comes next.
    /// Returns the entry to play now, or nil when nothing is left.
    public static func next(after current: QueueEntry?, mode: LoopMode, reason: AdvanceReason,
                            queue: inout [QueueEntry], history: inout [QueueEntry],
                            historyLimit: Int = historyLimit) -> QueueEntry? {
        if let current, mode == .track, reason == .finished { return current }
        if let current {
            history.append(current)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
            if mode == .queue { queue.append(current) }
        }
        return queue.isEmpty ? nil : queue.removeFirst()
    }
}
