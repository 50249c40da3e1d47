public import AnankorTesting
public import Testing

/// Starts one `moto_server` for a whole suite and stops it when the suite ends; tests read it
/// from `MotoServerTrait.server()`. Lives in a test-only target because it imports `Testing`,
/// which the benchmarks that link `AnankorTesting` must not.
public struct MotoServerTrait: SuiteTrait, TestScoping {
    @TaskLocal public static var current: MotoServer?

    public var isRecursive: Bool { false }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await MotoServer.run { server in
            try await Self.$current.withValue(server) { try await function() }
        }
    }

    public struct NotRunning: Error, CustomStringConvertible {
        public var description: String { "moto_server is not running: the suite needs the .motoServer trait" }
    }

    public static func server() throws -> MotoServer {
        guard let current else { throw NotRunning() }
        return current
    }
}

extension Trait where Self == MotoServerTrait {
    public static var motoServer: Self { MotoServerTrait() }
}
