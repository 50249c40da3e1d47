import Testing

@testable import AnankorCore

@Suite("Localization catalog")
struct LocalizationTests {
    let catalog = LocalizationCatalog.standard

    @Test("every shipped locale has every key", arguments: DiscordLocale.shipped)
    func everyKeyPresent(locale: DiscordLocale) {
        let missing = MessageKey.allCases.filter { catalog.template($0, in: locale) == nil }
        #expect(missing.isEmpty, "\(locale) misses \(missing.map(\.rawValue))")
    }

    @Test("translations use exactly the placeholders of en-US", arguments: DiscordLocale.shipped)
    func placeholdersMatch(locale: DiscordLocale) throws {
        for key in MessageKey.allCases {
            let base = try #require(catalog.template(key, in: .englishUS))
            guard let translated = catalog.template(key, in: locale) else { continue }
            #expect(
                Set(LocalizationCatalog.placeholders(in: translated))
                    == Set(LocalizationCatalog.placeholders(in: base)),
                "\(locale) \(key.rawValue): \(translated)")
        }
    }

    @Test func fillsPlaceholdersInTheRequestedLocale() {
        let text = catalog.text(.musicVolumeSet, .german, ["volume": "80"])
        #expect(text == "Lautstärke auf 80 % gesetzt.")
        #expect(catalog.text(.musicVolumeSet, .englishUS, ["volume": "80"]) == "Volume set to 80%.")
    }

    @Test func unshippedLocalesAreServedByTheirClosestRelative() {
        #expect(DiscordLocale("en-GB").servedBy == .englishUS)
        #expect(DiscordLocale("es-419").servedBy == .spanish)
        #expect(DiscordLocale("ko").servedBy == .englishUS)
        #expect(catalog.text(.musicPaused, DiscordLocale("es-419")) == "En pausa.")
    }

    @Test func argumentsAreNotRescannedForPlaceholders() {
        // A track title typed by a user must not pull another argument into the reply.
        let text = catalog.text(.musicSkipped, .englishUS, ["title": "{position}", "position": "3"])
        #expect(text == "Skipped **{position}**.")
    }

    @Test func missingArgumentsStayVisible() {
        #expect(catalog.text(.musicLeft, .englishUS) == "Left {channel}.")
    }
}
