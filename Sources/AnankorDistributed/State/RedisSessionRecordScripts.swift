import RedisKit

/// The session record's compare-and-set. Every key is under the `{sr}` hash tag (one Cluster
/// slot); a worker's index key is built from its prefix inside the script, because the previous
/// worker is only known once the stored binding is read.
enum RedisSessionRecordScripts {
    /// KEYS: record hash (`v`, `r`), the guild's bound hash (channel → "worker:boundAtMs"), due zset.
    /// ARGV: new version, record JSON, channel, session member ("guild/channel"), worker or "",
    /// boundAtMs, dueMs or "", worker-index key prefix.
    /// → 1 when saved, 0 when the stored version is not `version - 1` or the worker is bound to
    /// another channel of the guild (nothing changes).
    static let save = RedisScript("""
        local version = tonumber(ARGV[1])
        local stored = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        if stored ~= version - 1 then return 0 end
        if ARGV[5] ~= '' then
          local bound = redis.call('HGETALL', KEYS[2])
          for i = 1, #bound, 2 do
            if bound[i] ~= ARGV[3] and string.match(bound[i + 1], '^(%d+):') == ARGV[5] then return 0 end
          end
        end
        redis.call('HSET', KEYS[1], 'v', version, 'r', ARGV[2])
        local old = redis.call('HGET', KEYS[2], ARGV[3])
        local oldWorker = old and string.match(old, '^(%d+):') or nil
        if oldWorker and oldWorker ~= ARGV[5] then redis.call('HDEL', ARGV[8] .. oldWorker, ARGV[4]) end
        if ARGV[5] == '' then
          if old then redis.call('HDEL', KEYS[2], ARGV[3]) end
        else
          redis.call('HSET', KEYS[2], ARGV[3], ARGV[5] .. ':' .. ARGV[6])
          redis.call('HSET', ARGV[8] .. ARGV[5], ARGV[4], ARGV[6])
        end
        if ARGV[7] == '' then redis.call('ZREM', KEYS[3], ARGV[4]) else redis.call('ZADD', KEYS[3], ARGV[7], ARGV[4]) end
        return 1
        """)

    /// KEYS: as `save`. ARGV: version, channel, session member, worker-index key prefix.
    /// → 1 when deleted (with its index entries), 0 when the stored version differs or nothing is stored.
    static let delete = RedisScript("""
        local stored = redis.call('HGET', KEYS[1], 'v')
        if not stored or tonumber(stored) ~= tonumber(ARGV[1]) then return 0 end
        redis.call('DEL', KEYS[1])
        local old = redis.call('HGET', KEYS[2], ARGV[2])
        if old then
          redis.call('HDEL', KEYS[2], ARGV[2])
          local worker = string.match(old, '^(%d+):')
          if worker then redis.call('HDEL', ARGV[4] .. worker, ARGV[3]) end
        end
        redis.call('ZREM', KEYS[3], ARGV[3])
        return 1
        """)
}
