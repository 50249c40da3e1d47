import AnankorDoctor
import AnankorSettings
import ArgumentParser

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration against Discord, Lavalink, Redis and DynamoDB, and say how to fix what is wrong.",
        discussion: "Exits 1 when a problem was found (a missing token, Lavalink node or table counts).\n\n"
            + AnankorSettings.helpText(for: .doctor)
    )

    @Flag(help: "Create the DynamoDB table (with its index and TTL) when it is missing.")
    var fix = false

    func run() async throws {
        let settings = try await OperatorStartup.settings(for: .doctor)
        let logger = OperatorStartup.bootstrapTelemetry(settings)
        let findings = await Doctor(settings: settings, fix: fix, logger: logger).run()
        for finding in findings { print(finding) }
        let verdict = DoctorVerdict(findings)
        print(verdict)
        if !verdict.passed { throw ExitCode.failure }
    }
}
