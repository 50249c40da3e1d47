import Foundation

/// moto's DynamoDB-compatible server (`moto_server`, from `pip install 'moto[server]'`) on a free
/// loopback port, for tests of DynamoKit and the DynamoDB ledger. It accepts any credentials;
/// the dummy ones below keep real keys out of tests.
public final class MotoServer: Sendable {
    public static let accessKeyID = "testing-access-key"
    public static let secretAccessKey = "testing-secret-key"
    public static let region = "us-east-1"

    public let process: LocalServerProcess

    private init(process: LocalServerProcess) {
        self.process = process
    }

    /// Starts `moto_server`; throws (telling the reader that `scripts/test` installs it) when it
    /// is missing.
    /// - Parameter oneRequestAtATime: serve requests one after another. DynamoDB applies a
    ///   conditional write atomically; moto's threaded server checks the condition and writes in
    ///   two steps, so two concurrent compare-and-set writes can both succeed and one update is
    ///   lost. Tests of concurrency need the real behaviour; load generators may prefer threads.
    public static func start(readyTimeout: Duration = .seconds(60), oneRequestAtATime: Bool = true) async throws
        -> MotoServer
    {
        // `moto_server` on PATH is what `scripts/test` installs; its Python serves either way.
        guard !oneRequestAtATime || LocalServerProcess.isInstalled("moto_server") else {
            throw LocalServerProcess.LaunchError(description: "moto_server is not installed; run scripts/test, which installs it")
        }
        let process = try await LocalServerProcess(
            name: "moto_server",
            executable: oneRequestAtATime ? "python3" : "moto_server",
            arguments: { port in
                oneRequestAtATime ? ["-c", serialServer, "127.0.0.1", String(port)] : ["-H", "127.0.0.1", "-p", String(port)]
            },
            environment: [
                "AWS_ACCESS_KEY_ID": accessKeyID,
                "AWS_SECRET_ACCESS_KEY": secretAccessKey,
                "AWS_DEFAULT_REGION": region,
                // Flask's request log is noise in failure output.
                "PYTHONUNBUFFERED": "1",
            ],
            readyTimeout: readyTimeout)
        return MotoServer(process: process)
    }

    /// moto's own server, without threads (werkzeug then closes each connection after its answer,
    /// so one client cannot hold the server).
    private static let serialServer = """
        import os, sys
        from werkzeug.serving import run_simple
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        os.environ.setdefault("MOTO_PORT", sys.argv[2])
        run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)
        """

    /// Starts a server, runs `body` with it and stops it, whether `body` returns or throws.
    public static func run<T>(_ body: (MotoServer) async throws -> T) async throws -> T {
        let server = try await start()
        defer { server.stop() }
        return try await body(server)
    }

    public var port: Int { process.port }

    /// `http://127.0.0.1:<port>`, the value for `DYNAMODB_ENDPOINT`.
    public var endpoint: String { "http://127.0.0.1:\(process.port)" }

    /// The environment a DynamoDB client reads (`DynamoConfiguration.fromEnvironment`).
    public var environment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": Self.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": Self.secretAccessKey,
            "AWS_REGION": Self.region,
            "DYNAMODB_ENDPOINT": endpoint,
        ]
    }

    /// Ends the server with SIGKILL: moto_server (plain Python, no SIGTERM handler) keeps running
    /// on SIGTERM when the test runner passes SIGTERM down as ignored, and it holds nothing that
    /// needs a clean shutdown.
    public func stop() { process.kill() }
}
