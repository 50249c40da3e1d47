// The Redis adapters join the contract suites once RedisKit lands.
let distributedJobBusAdapters: [JobBusAdapter] = []
