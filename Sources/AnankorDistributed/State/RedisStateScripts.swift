import RedisKit

/// The Lua scripts of the Redis `StateStore`, one per multi-key invariant. Every script touches
/// keys of a single hash tag (one guild, `{coord}`, `{sched}` or `{act}`), so it runs atomically on
/// one Redis Cluster slot. docs/state.md lists what each one guarantees.
enum RedisStateScripts {
    /// KEYS: bindings hash (channel → "worker:boundAtMs"), bound-workers hash (worker → channel).
    /// ARGV: channel, worker, cap, nowMs.
    /// → {"existing", value} | {"workerBusy", channel, value} | {"full", channel, value, …} | {"bound"}
    static let bind = RedisScript("""
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if existing then return {'existing', existing} end
        local busy = redis.call('HGET', KEYS[2], ARGV[2])
        if busy then
          local value = redis.call('HGET', KEYS[1], busy)
          if value then return {'workerBusy', busy, value} end
          redis.call('HDEL', KEYS[2], ARGV[2])
        end
        if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
          local reply = redis.call('HGETALL', KEYS[1])
          table.insert(reply, 1, 'full')
          return reply
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[4])
        redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
        return {'bound'}
        """)

    /// KEYS: bindings hash, bound-workers hash. ARGV: channel, expected worker or "".
    /// → the removed value or false.
    static let unbind = RedisScript("""
        local value = redis.call('HGET', KEYS[1], ARGV[1])
        if not value then return false end
        local worker = string.match(value, '^(%d+):')
        if ARGV[2] ~= '' and worker ~= ARGV[2] then return false end
        redis.call('HDEL', KEYS[1], ARGV[1])
        if redis.call('HGET', KEYS[2], worker) == ARGV[1] then redis.call('HDEL', KEYS[2], worker) end
        return value
        """)

    /// Shared by the queue scripts: the session hash holds loop, np (entry JSON), npid, pos,
    /// paused, at.
    private static let setNowPlaying = """
        local function setNowPlaying(key, entry, now)
          if entry then
            redis.call('HSET', key, 'np', entry, 'npid', cjson.decode(entry).id, 'pos', 0, 'paused', 0, 'at', now)
          else
            redis.call('HDEL', key, 'np', 'npid')
            redis.call('HSET', key, 'pos', 0, 'paused', 0, 'at', now)
          end
        end

        """

    /// KEYS: queue list, history list, session hash. ARGV: expected entry id or "", reason
    /// ("finished"|"skipped"), nowMs, history limit.
    /// → {"stale", currentId} | {"playing", entry} | {"ended"}
    static let advance = RedisScript(setNowPlaying + """
        local current = redis.call('HGET', KEYS[3], 'np')
        local currentId = redis.call('HGET', KEYS[3], 'npid') or ''
        if currentId ~= ARGV[1] then return {'stale', currentId} end
        local mode = redis.call('HGET', KEYS[3], 'loop') or 'off'
        local nextEntry
        if current and mode == 'track' and ARGV[2] == 'finished' then
          nextEntry = current
        else
          if current then
            redis.call('RPUSH', KEYS[2], current)
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
            if mode == 'queue' then redis.call('RPUSH', KEYS[1], current) end
          end
          nextEntry = redis.call('LPOP', KEYS[1])
        end
        setNowPlaying(KEYS[3], nextEntry, ARGV[3])
        if nextEntry then return {'playing', nextEntry} end
        return {'ended'}
        """)

    /// KEYS: queue list, history list, session hash. ARGV: nowMs. → the entry now playing or false.
    static let previous = RedisScript(setNowPlaying + """
        local previous = redis.call('RPOP', KEYS[2])
        if not previous then return false end
        local current = redis.call('HGET', KEYS[3], 'np')
        if current then redis.call('LPUSH', KEYS[1], current) end
        setNowPlaying(KEYS[3], previous, ARGV[1])
        return previous
        """)

    /// KEYS: queue list. ARGV: index. → the removed entry or false.
    static let removeAt = RedisScript("""
        local index = tonumber(ARGV[1])
        if index < 0 or index >= redis.call('LLEN', KEYS[1]) then return false end
        local entry = redis.call('LINDEX', KEYS[1], index)
        redis.call('LSET', KEYS[1], index, '\\0removed')
        redis.call('LREM', KEYS[1], 1, '\\0removed')
        return entry
        """)

    private static let rewrite = """
        local function rewrite(key, items)
          redis.call('DEL', key)
          for start = 1, #items, 1000 do
            redis.call('RPUSH', key, unpack(items, start, math.min(start + 999, #items)))
          end
        end

        """

    /// KEYS: queue list. ARGV: from, to. → the moved entry or false.
    static let move = RedisScript(rewrite + """
        local items = redis.call('LRANGE', KEYS[1], 0, -1)
        local from, to = tonumber(ARGV[1]) + 1, tonumber(ARGV[2]) + 1
        if from < 1 or from > #items or to < 1 or to > #items then return false end
        local entry = table.remove(items, from)
        table.insert(items, to, entry)
        rewrite(KEYS[1], items)
        return entry
        """)

    /// KEYS: queue list. ARGV: the generator's initial state (seed already reduced, 1…2^31-2).
    /// Fisher–Yates with the Park–Miller generator, exactly as `QueueRules.shuffle`.
    static let shuffle = RedisScript(rewrite + """
        local items = redis.call('LRANGE', KEYS[1], 0, -1)
        local state = tonumber(ARGV[1])
        for i = #items - 1, 1, -1 do
          state = (state * 16807) % 2147483647
          local j = state % (i + 1)
          if j ~= i then items[i + 1], items[j + 1] = items[j + 1], items[i + 1] end
        end
        if #items > 1 then rewrite(KEYS[1], items) end
        return #items
        """)

    /// KEYS: queue list. → how many entries it held.
    static let clear = RedisScript("""
        local count = redis.call('LLEN', KEYS[1])
        redis.call('DEL', KEYS[1])
        return count
        """)

    /// KEYS: session hash. ARGV: entry id, positionMs, paused (0/1, empty: keep), atMs. → 1 when recorded.
    static let updatePosition = RedisScript("""
        if redis.call('HGET', KEYS[1], 'npid') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'pos', ARGV[2], 'at', ARGV[4])
        if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'paused', ARGV[3]) end
        return 1
        """)

    /// KEYS: session details hash (`v`, `json`). ARGV: expected version, details JSON (with the new
    /// version). → 1 when saved, 0 when another writer saved first.
    static let saveDetails = RedisScript("""
        local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        if current ~= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'v', current + 1, 'json', ARGV[2])
        return 1
        """)

    /// KEYS: lobby hash (`v`, `json`), the guild's open-lobby zset. ARGV: expected version, lobby
    /// JSON (with the new version), lobby id, created-at ms, 1 when still active. → 1 when saved,
    /// 0 when another writer saved first. Both keys carry the guild's hash tag.
    static let saveLobby = RedisScript("""
        local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        if current ~= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'v', current + 1, 'json', ARGV[2])
        if ARGV[5] == '1' then
          redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
        else
          redis.call('ZREM', KEYS[2], ARGV[3])
        end
        return 1
        """)

    /// KEYS: activity zset, stay set. ARGV: cutoffMs, limit. → sessions, oldest first.
    static let idleSessions = RedisScript("""
        local result, offset, limit = {}, 0, tonumber(ARGV[2])
        while #result < limit do
          local page = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', offset, 100)
          if #page == 0 then break end
          for _, session in ipairs(page) do
            if #result < limit and redis.call('SISMEMBER', KEYS[2], session) == 0 then table.insert(result, session) end
          end
          offset = offset + #page
        end
        return result
        """)
}
