#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks, before anything starts, that the operations endpoints can listen on `host:port`, so a
/// busy port is one clear line for the operator rather than a socket error surfacing from deep
/// inside the HTTP server after the bots have begun to connect. (Another process may still take
/// the port in between; the server's own error covers that rare case.)
public enum BindProbe {
    public enum Failure: Error, Equatable, Sendable {
        case inUse
        case addressNotAvailable
        case unresolvable
        case other(errno: Int32)
    }

    public static func check(host: String, port: Int) -> Failure? {
        guard port != 0 else { return nil }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return .unresolvable }
        defer { freeaddrinfo(list) }
        let descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard descriptor >= 0 else { return .other(errno: errno) }
        defer { close(descriptor) }
        // The server sets SO_REUSEADDR too, so a socket in TIME_WAIT is not reported as busy.
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            switch errno {
            case EADDRINUSE: return .inUse
            case EADDRNOTAVAIL: return .addressNotAvailable
            case let code: return .other(errno: code)
            }
        }
        return nil
    }
}
