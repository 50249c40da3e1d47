/// Discord's invalid-request limit ("Cloudflare ban"): too many 401, 403 and 429 answers
/// (shared-scope 429s excepted) within a window restrict the client's address for a while. All
/// emulator clients share the loopback address, so the emulator keeps one count, as Discord keeps
/// one per IP.
struct InvalidRequestLimit {
    /// Emulator times of recent invalid requests, oldest first from `head`.
    private var times: [Duration] = []
    private var head = 0
    private(set) var bannedUntil: Duration?

    var recentCount: Int { times.count - head }

    /// Whether requests are refused at `now` (the ban lifts by itself).
    mutating func isBanned(now: Duration) -> Bool {
        guard let until = bannedUntil else { return false }
        if now < until { return true }
        bannedUntil = nil
        return false
    }

    /// Counts one answer; returns true when it starts a ban.
    mutating func record(
        status: Int, scope: String?, now: Duration, limit: Int, window: Duration, ban: Duration
    ) -> Bool {
        guard status == 401 || status == 403 || (status == 429 && scope != "shared") else { return false }
        times.append(now)
        while head < times.count, now - times[head] >= window { head += 1 }
        if head > 4096, head * 2 > times.count {
            times.removeFirst(head)
            head = 0
        }
        guard recentCount >= limit else { return false }
        bannedUntil = now + ban
        times.removeAll()
        head = 0
        return true
    }
}
