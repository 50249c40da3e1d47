import RedisKit

/// Lua scripts of the Redis `JobBus`; each touches one stream and its dead-letter list (same tag).
enum RedisJobBusScripts {
    /// KEYS: stream, dead-letter list. ARGV: group, id, dead letter JSON, max dead letters.
    /// Acknowledges and records in one step, so a message is never both pending and dead. → 1
    /// when it was pending (and is now dead-lettered), 0 when someone acknowledged it already.
    static let deadLetter = RedisScript("""
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        redis.call('LPUSH', KEYS[2], ARGV[3])
        redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
        return 1
        """)

    /// KEYS: stream. ARGV: group, consumer. Removes the consumer only when it exists and has no
    /// pending entries (XGROUP DELCONSUMER would silently drop them). → 1 when removed.
    static let retireConsumer = RedisScript("""
        local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
        if not ok then return 0 end
        for _, info in ipairs(consumers) do
          local name, pending
          for i = 1, #info, 2 do
            if info[i] == 'name' then name = info[i + 1] elseif info[i] == 'pending' then pending = info[i + 1] end
          end
          if name == ARGV[2] then
            if pending ~= 0 then return 0 end
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            return 1
          end
        end
        return 0
        """)
}
