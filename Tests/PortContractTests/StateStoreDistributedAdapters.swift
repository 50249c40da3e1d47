// The Redis adapters join the contract suites once RedisKit lands.
let distributedStateStoreAdapters: [StateStoreAdapter] = []
