import Testing

@testable import AnankorSettings

@Suite("Operator settings: LAVALINK_REGIONS")
struct LavalinkRegionSettingsTests {
    let nodes = "http://:pw1@lavalink-eu:2333,http://:pw2@lavalink-us:2333,http://:pw3@spare"
    let known = ["europe", "us-east", "us-west"]

    func load(_ environment: [String: String]) async throws(SettingsError) -> AnankorSettings {
        try await AnankorSettings.load(environment: environment)
    }

    func message(_ environment: [String: String]) async -> String? {
        do {
            let settings = try await load(environment)
            try settings.validateRegions(known: known)
            return nil
        } catch {
            #expect(error.key == "LAVALINK_REGIONS")
            #expect(!error.description.contains("pw"), "no password in \(error.description)")
            return error.description
        }
    }

    @Test func regionsAreGivenPerNodeByItsName() async throws {
        let settings = try await load([
            "LAVALINK_NODES": nodes, "LAVALINK_REGIONS": " lavalink-eu:2333=europe , LAVALINK-US:2333=US-East",
        ])
        #expect(settings.lavalinkNodes.map(\.region) == ["europe", "us-east", nil])
        try settings.validateRegions(known: known)
        #expect(try await load(["LAVALINK_NODES": nodes]).lavalinkNodes.allSatisfy { $0.region == nil })
    }

    @Test(arguments: [
        ("lavalink-eu:2333", "LAVALINK_REGIONS: \"lavalink-eu:2333\" has no =, expected comma-separated node=region pairs"),
        ("lavalink-asia:2333=europe",
         "LAVALINK_REGIONS: \"lavalink-asia:2333\" is not a configured node (nodes: lavalink-eu:2333, lavalink-us:2333, spare)"),
        ("spare=", "LAVALINK_REGIONS: node spare has no region or one with characters other than a-z, 0-9 and -"),
        ("spare=europe,spare=us-east", "LAVALINK_REGIONS: node spare is given twice"),
        ("lavalink-eu:2333=mars",
         "LAVALINK_REGIONS: node lavalink-eu:2333 has the unknown region \"mars\", expected one of europe, us-east, us-west"),
    ])
    func aBadValueGetsOneLineNamingTheKey(value: String, start: String) async {
        let text = await message(["LAVALINK_NODES": nodes, "LAVALINK_REGIONS": value]) ?? "no error"
        #expect(text.hasPrefix(start), "\(text)")
    }
}
