import RedisKit

/// The Lua scripts of the Redis `StateStore` for lobbies. Every script touches keys of a single
/// hash tag, so it runs atomically on one Redis Cluster slot. docs/state.md lists what each one
/// guarantees.
enum RedisStateScripts {
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
}
