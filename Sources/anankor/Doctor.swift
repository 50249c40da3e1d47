import AnankorDoctor
import ArgumentParser

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration against Discord, Lavalink, Redis and DynamoDB, and say how to fix what is wrong."
    )

    @Flag(help: "Create the DynamoDB table (with its index and TTL) when it is missing.")
    var fix = false

    func run() async throws {
        let settings = try await OperatorStartup.settings(for: .doctor)
        let logger = OperatorStartup.bootstrapTelemetry(settings)
        let findings = await Doctor(settings: settings, fix: fix, logger: logger).run()
        for finding in findings { print(finding) }
        let problems = findings.filter { $0.status == .problem }.count
        print(problems == 0 ? "no problems found" : "\(problems) problem(s) found")
        if problems > 0 { throw ExitCode.failure }
    }
}
