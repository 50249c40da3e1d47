import AnankorTesting
import Testing

/// Starts one `moto_server` for a whole suite and stops it when the suite ends; tests read it
/// from `MotoServerTrait.current`.
struct MotoServerTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: MotoServer?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await MotoServer.run { server in
            try await Self.$current.withValue(server) { try await function() }
        }
    }

    struct NotRunning: Error, CustomStringConvertible {
        var description: String { "moto_server is not running: the suite needs the .motoServer trait" }
    }

    static func server() throws -> MotoServer {
        guard let current else { throw NotRunning() }
        return current
    }
}

extension Trait where Self == MotoServerTrait {
    static var motoServer: Self { MotoServerTrait() }
}
