import AnankorCore
import AnankorDistributed
import AnankorTesting
import RedisKit

extension JobBusAdapter {
    static let redis = JobBusAdapter(name: "redis") { policy in
        let server = try await DisposableRedisServer()
        let client = try RedisClient(url: server.url)
        return JobBusFixture(bus: RedisJobBus(redis: client, policy: policy), keepAlive: (server, client))
    }
}

let distributedJobBusAdapters: [JobBusAdapter] = [.redis]
