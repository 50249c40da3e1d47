import AsyncHTTPClient
import NIOCore

extension LavalinkREST {
    /// The HTTP client LavalinkKit uses unless given one. Unlike `HTTPClient.shared` it does not
    /// retry refused connections until the request deadline: a dead node must fail at once so
    /// failover starts without waiting out a timeout. Lives for the whole process, like `shared`.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        // Connections per node: a master resolves the searches of up to 256 commands at once and
        // a worker changes many players at once; with the default 8, requests queued behind each
        // other until the connect timeout and failed while the node had time to answer.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
