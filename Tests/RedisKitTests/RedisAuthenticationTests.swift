import AnankorTesting
import Foundation
import NIOCore
import NIOSSL
import RedisKit
import Testing

@Suite struct RedisAuthenticationTests {
    @Test(arguments: [3, 2])
    func passwordAndACLUsersAuthenticate(protocolVersion: Int) async throws {
        let options = RedisServer.Options(password: "s3cret-pass", aclUsers: ["alice on >wonder-land ~* &* +@all"])
        let server = try await RedisServer(options: options)
        defer { server.stop() }

        var configuration = try testConfiguration(server, protocolVersion: protocolVersion)
        configuration.password = "s3cret-pass"
        let byPassword = RedisClient(configuration: configuration)
        #expect(try await byPassword.set("k", to: "v"))
        #expect(try await byPassword.send("ACL", "WHOAMI").string == "default")
        await byPassword.close()

        let byUser = try RedisClient(url: "redis://alice:wonder-land@127.0.0.1:\(server.port)")
        #expect(try await byUser.send("ACL", "WHOAMI").string == "alice")
        await byUser.close()
    }

    @Test(arguments: [3, 2])
    func aWrongPasswordIsATypedErrorThatDoesNotRevealThePassword(protocolVersion: Int) async throws {
        let server = try await RedisServer(options: .init(password: "right-one"))
        defer { server.stop() }
        for password in ["wrong-guess-123", nil] {
            var configuration = try testConfiguration(server, protocolVersion: protocolVersion)
            configuration.password = password
            let client = RedisClient(configuration: configuration)
            let error = await #expect(throws: RedisError.self) { try await client.get("k") }
            if password != nil {
                #expect(error?.code == .authenticationFailed)
                #expect(!"\(String(describing: error))".contains("wrong-guess-123"))
            } else {
                // No password at all: the handshake (RESP3) or the first command (RESP2) is refused.
                #expect(error?.code == .authenticationFailed || error?.serverErrorPrefix == "NOAUTH")
            }
            await client.close()
        }
    }

    @Test func theDatabaseIndexSelectsAnIsolatedKeyspace() async throws {
        try await withRedis { server, client in
            let third = try RedisClient(url: "\(server.url)/3")
            try await third.set("only-in-3", to: "x")
            #expect(try await third.getString("only-in-3") == "x")
            #expect(try await client.getString("only-in-3") == nil)
            #expect(try await client.send("SELECT", 3) == .simpleString(ByteBuffer(string: "OK")))
            await third.close()
        }
    }

    @Test func tlsConnectionsWithRediss() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anankor-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        try runOpenSSL([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key.path, "-out", certificate.path,
        ])
        let server = try await RedisServer(options: .init(
            tls: .init(certificateFile: certificate, keyFile: key, caCertificateFile: certificate)))
        defer { server.stop() }
        #expect(server.url.hasPrefix("rediss://"))

        var configuration = try RedisConfiguration(url: server.url)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate.path))
        configuration.tls = tls
        let client = RedisClient(configuration: configuration)
        #expect(try await client.set("over-tls", to: "yes"))
        #expect(try await client.getString("over-tls") == "yes")
        await client.close()

        // The system trust store does not know this certificate: the handshake must fail.
        let untrusting = try RedisClient(url: server.url)
        await #expect(throws: RedisError.self) { try await untrusting.get("over-tls") }
        await untrusting.close()
    }

    private func runOpenSSL(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "openssl must be installed (scripts/test installs it)")
    }
}
