import Testing

@testable import AnankorTelemetry

#if canImport(Glibc)
import Glibc
#endif

/// What an operator sees as "port already in use" is decided here, before any service starts.
@Suite("Bind probe")
struct BindProbeTests {
    /// A listening IPv4 socket on a free loopback port; returns its descriptor and port.
    func listener() throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(descriptor, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aPortInUseIsReportedAndAFreedOneIsNot() throws {
        let (descriptor, port) = try listener()
        #expect(BindProbe.check(host: "127.0.0.1", port: port) == .inUse)
        close(descriptor)
        #expect(BindProbe.check(host: "127.0.0.1", port: port) == nil)
    }

    @Test func anAddressOfAnotherHostIsNamedAsSuch() {
        // TEST-NET-1 (RFC 5737) is never an address of this machine.
        #expect(BindProbe.check(host: "192.0.2.1", port: 9) == .addressNotAvailable)
    }

    @Test func portZeroIsLeftToTheServer() {
        #expect(BindProbe.check(host: "127.0.0.1", port: 0) == nil)
    }
}
