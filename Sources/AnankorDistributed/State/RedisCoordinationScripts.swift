import RedisKit

/// Lua scripts for leases, the worker registry and the schedule (see docs/state.md).
enum RedisCoordinationScripts {
    /// KEYS: lease hash (holder, fence, exp). ARGV: holder, nowMs, ttlMs.
    /// → {"acquired", fence, expMs} | {"held", holder, fence, expMs}
    /// The fence counter stays in the hash after a release, so tokens only ever rise.
    static let acquireLease = RedisScript("""
        local lease = redis.call('HMGET', KEYS[1], 'holder', 'fence', 'exp')
        local fence, exp, now = tonumber(lease[2] or '0'), tonumber(lease[3] or '0'), tonumber(ARGV[2])
        local expires = now + tonumber(ARGV[3])
        if lease[1] and exp > now then
          if lease[1] ~= ARGV[1] then return {'held', lease[1], fence, exp} end
          redis.call('HSET', KEYS[1], 'exp', expires)
          return {'acquired', fence, expires}
        end
        fence = fence + 1
        redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'fence', fence, 'exp', expires)
        return {'acquired', fence, expires}
        """)

    /// KEYS: lease hash. ARGV: holder, fence, nowMs, ttlMs. → new expMs or false when lost.
    static let renewLease = RedisScript("""
        local lease = redis.call('HMGET', KEYS[1], 'holder', 'fence', 'exp')
        if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] or tonumber(lease[3] or '0') <= tonumber(ARGV[3]) then
          return false
        end
        local expires = tonumber(ARGV[3]) + tonumber(ARGV[4])
        redis.call('HSET', KEYS[1], 'exp', expires)
        return expires
        """)

    /// KEYS: lease hash. ARGV: holder, fence. → 1 when released.
    static let releaseLease = RedisScript("""
        local lease = redis.call('HMGET', KEYS[1], 'holder', 'fence')
        if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], 'holder')
        redis.call('HSET', KEYS[1], 'exp', 0)
        return 1
        """)

    /// KEYS: the worker's token lease hash, worker expiry zset, worker info hash.
    /// ARGV: worker, fence, load, nowMs, ttlMs. → 1, or 0 when the fence is stale.
    static let heartbeat = RedisScript("""
        local lease = redis.call('HMGET', KEYS[1], 'holder', 'fence', 'exp')
        if not lease[1] or lease[2] ~= ARGV[2] or tonumber(lease[3] or '0') <= tonumber(ARGV[4]) then return 0 end
        local expires = tonumber(ARGV[4]) + tonumber(ARGV[5])
        redis.call('ZADD', KEYS[2], expires, ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[2] .. ':' .. ARGV[3] .. ':' .. ARGV[4])
        return 1
        """)

    /// KEYS: worker expiry zset, worker info hash. ARGV: nowMs, "live"|"expired".
    /// → {worker, expMs, info, …} by worker id.
    static let workers = RedisScript("""
        local ids
        if ARGV[2] == 'live' then
          ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES')
        else
          ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES')
        end
        local result = {}
        for i = 1, #ids, 2 do
          local info = redis.call('HGET', KEYS[2], ids[i])
          if info then
            table.insert(result, ids[i]); table.insert(result, ids[i + 1]); table.insert(result, info)
          end
        end
        return result
        """)

    /// KEYS: worker expiry zset, worker info hash. ARGV: worker.
    static let removeWorker = RedisScript("""
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return 1
        """)

    /// KEYS: the worker's guild set, then one guild's worker set per new guild.
    /// ARGV: worker, key prefix of guild sets, key prefix of guild role hashes, new guild ids
    /// (same order as KEYS[2…]). Guild sets and role hashes of guilds the worker left are derived
    /// from the prefixes (same `{coord}` slot).
    static let setGuilds = RedisScript("""
        local fresh = {}
        for i = 4, #ARGV do fresh[ARGV[i]] = true end
        for _, guild in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          if not fresh[guild] then
            redis.call('SREM', ARGV[2] .. guild, ARGV[1])
            redis.call('HDEL', ARGV[3] .. guild, ARGV[1])
          end
        end
        redis.call('DEL', KEYS[1])
        for i = 4, #ARGV do
          redis.call('SADD', KEYS[1], ARGV[i])
          redis.call('SADD', KEYS[i - 2], ARGV[1])
        end
        return 1
        """)

    /// KEYS: the worker's guild set, the guild's worker set, the guild's role hash.
    /// ARGV: worker, guild, 1|0.
    static let setMembership = RedisScript("""
        if ARGV[3] == '1' then
          redis.call('SADD', KEYS[1], ARGV[2]); redis.call('SADD', KEYS[2], ARGV[1])
        else
          redis.call('SREM', KEYS[1], ARGV[2]); redis.call('SREM', KEYS[2], ARGV[1])
          redis.call('HDEL', KEYS[3], ARGV[1])
        end
        return 1
        """)

    // MARK: - Schedule (`{sched}`): ready zset (id → readyAtMs), items hash (id → JSON),
    // claims hash (id → "token:attempts:claimant"), group sets (group → ids).

    /// KEYS: ready zset, items hash, the group set (or the items hash again when no group).
    /// ARGV: id, dueMs, item JSON, "1" when grouped. → 1 when added, 0 when the id exists.
    static let schedule = RedisScript("""
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        if ARGV[4] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) end
        return 1
        """)

    /// KEYS: ready zset, items hash, claims hash. ARGV: nowMs, limit, claimant, leaseUntilMs.
    /// → {id, item JSON, token, attempt, …}. A claimed item's ready time moves to the end of its
    /// lease, so it comes back only if the claimer does not complete it in time.
    static let claimDue = RedisScript("""
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        local result = {}
        for _, id in ipairs(ids) do
          local item = redis.call('HGET', KEYS[2], id)
          if item then
            local token, attempts = 0, 0
            local claim = redis.call('HGET', KEYS[3], id)
            if claim then
              local t, a = string.match(claim, '^(%d+):(%d+):')
              token, attempts = tonumber(t), tonumber(a)
            end
            token, attempts = token + 1, attempts + 1
            redis.call('HSET', KEYS[3], id, token .. ':' .. attempts .. ':' .. ARGV[3])
            redis.call('ZADD', KEYS[1], ARGV[4], id)
            table.insert(result, id); table.insert(result, item)
            table.insert(result, token); table.insert(result, attempts)
          else
            redis.call('ZREM', KEYS[1], id)
          end
        end
        return result
        """)

    private static let forget = """
        local function forget(id, groupPrefix)
          local item = redis.call('HGET', KEYS[2], id)
          if not item then return 0 end
          local group = cjson.decode(item).group
          if type(group) == 'string' then redis.call('SREM', groupPrefix .. group, id) end
          redis.call('HDEL', KEYS[2], id)
          redis.call('HDEL', KEYS[3], id)
          redis.call('ZREM', KEYS[1], id)
          return 1
        end

        """

    /// KEYS: ready zset, items hash, claims hash. ARGV: id, token, claimant, group key prefix.
    /// → 1 when this claim was current and the item is gone.
    static let complete = RedisScript(forget + """
        local claim = redis.call('HGET', KEYS[3], ARGV[1])
        if not claim then return 0 end
        local token, claimant = string.match(claim, '^(%d+):%d+:(.*)$')
        if token ~= ARGV[2] or claimant ~= ARGV[3] then return 0 end
        return forget(ARGV[1], ARGV[4])
        """)

    /// KEYS: ready zset, items hash, claims hash. ARGV: id, group key prefix. → 1 when removed.
    static let cancel = RedisScript(forget + """
        return forget(ARGV[1], ARGV[2])
        """)

    /// KEYS: ready zset, items hash, claims hash, group set. ARGV: group key prefix. → count.
    static let cancelGroup = RedisScript(forget + """
        local count = 0
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[4])) do count = count + forget(id, ARGV[1]) end
        redis.call('DEL', KEYS[4])
        return count
        """)
}
