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
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
