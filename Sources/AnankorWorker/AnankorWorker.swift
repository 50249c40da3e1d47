// The worker service: holds one worker bot token (a lease), joins voice, drives Lavalink players,
// executes game jobs, and reports lifecycle events (DESIGN §1, §4).
