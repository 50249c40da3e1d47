import Foundation

extension SessionStep {
    /// Everyone listening is being moved into `channel`: the bot goes along with the queue, what
    /// plays (at its position) and the player's settings, through `SessionEffect.handOver`. The
    /// record here keeps only the jobs still in flight (their acknowledgement or deadline answers
    /// them). A bot that is not ready in voice here (still joining, its worker away) cannot be
    /// moved: the session ends at once instead, as it would after the alone timeout.
    mutating func handOver(to channel: ChannelID) {
        guard let binding = record.binding, channel != record.session.channel else { return }
        guard binding.voice == .connected, binding.awaySince == nil else {
            return end(.alone, notice: .leftAlone, waiting: nil)
        }
        var carried = record
        if var current = carried.nowPlaying {
            current.positionMs = current.position(at: now)
            current.updatedAt = now
            carried.nowPlaying = current
        }
        carried.pending = []
        for job in record.pending where job.held {
            if let waiting = job.waiting { reply(waiting.command, .notCarriedOut(.workerGone)) }
        }
        record = record.remains(now: now, pending: record.pending.filter { !$0.held })
        effects.append(.handOver(carried, to: SessionKey(guild: record.session.guild, channel: channel)))
    }

    /// A session handed over from another channel: its bot is bound here and asked to join (the
    /// worker moves it, and its Lavalink player with it); once it is in, what was playing goes on
    /// at its position. A channel with music of its own (bound, or a queue kept) refuses it, and
    /// the bot that would have come is taken out of voice: the session it left is gone.
    mutating func takeOver(_ carried: SessionRecord) {
        guard let worker = carried.binding?.worker, carried.session.guild == record.session.guild,
            carried.session != record.session
        else { return }
        guard record.binding == nil, record.entries.isEmpty else {
            effects.append(.destroyPlayer(worker))
            return
        }
        record.queue = carried.queue
        if var current = carried.nowPlaying {
            current.positionMs = current.position(at: now)
            current.updatedAt = now
            record.nowPlaying = current
        }
        record.history = carried.history
        record.loop = carried.loop
        record.autoplay = carried.autoplay
        record.volume = carried.volume
        record.filter = carried.filter
        record.textChannel = carried.textChannel ?? record.textChannel
        record.locale = carried.locale ?? record.locale
        if let old = record.boardMessage, old != carried.boardMessage { effects.append(.retireBoard(old)) }
        // The same message is edited to show the new channel (its buttons then act here).
        record.boardMessage = carried.boardMessage
        record.autoplayAsked = false
        record.playerEmptySince = nil
        bind(worker)
        // The listeners are on their way: until one is here the channel counts as empty without
        // pausing anything, so nobody arriving within the alone timeout ends the session.
        record.aloneSince = now
        if record.nowPlaying == nil, !record.queue.isEmpty { advance(.finished) }
    }
}
