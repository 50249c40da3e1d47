import Foundation
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

@Suite("Localization: plurals, command names, escaping")
struct LocalizationRenderingTests {
    let catalog = LocalizationCatalog.standard

    @Test func countsReadInTheRightPluralForm() {
        #expect(catalog.text(.musicShuffled, .englishUS, ["count": "1"]) == "Shuffled 1 track.")
        #expect(catalog.text(.musicShuffled, .englishUS, ["count": "21"]) == "Shuffled 21 tracks.")
        #expect(catalog.text(.musicShuffled, .englishUS, ["count": "0"]) == "Shuffled 0 tracks.")
        #expect(catalog.text(.gameStatsSummary, .german, ["user": "<@1>", "sessions": "1", "time": "5 Minuten",
                                                          "game": "Chess", "noShows": "0"]).hasPrefix("<@1>: 1 Sitzung,"))
        #expect(catalog.text(.gameStatsSummary, .german, ["sessions": "2"]).contains("2 Sitzungen"))
        #expect(catalog.text(.musicQueuePage, .englishUS, ["page": "1", "pages": "1", "count": "1"])
            == "Queue — page 1 of 1 (1 track):")
        // French: 0 and 1 are singular; Spanish: only 1; millions take "de".
        #expect(catalog.text(.musicShuffled, .french, ["count": "0"]) == "0 titre mélangé.")
        #expect(catalog.text(.musicShuffled, .spanish, ["count": "0"]) == "0 canciones mezcladas.")
        #expect(catalog.text(.musicShuffled, .spanish, ["count": "1000000"]) == "1000000 de canciones mezcladas.")
        #expect(catalog.text(.musicShuffled, .japanese, ["count": "1"]) == "1 曲をシャッフルしました。")
    }

    @Test func pluralRulesFollowCLDR() {
        #expect(PluralRule.category(of: 1, in: .englishUS) == .one)
        #expect(PluralRule.category(of: 0, in: .englishUS) == .other)
        #expect(PluralRule.category(of: 0, in: .french) == .one)
        #expect(PluralRule.category(of: 1, in: .portugueseBrazil) == .one)
        #expect(PluralRule.category(of: 0, in: .portugueseBrazil) == .one)
        #expect(PluralRule.category(of: 0, in: .spanish) == .other)
        #expect(PluralRule.category(of: 2_000_000, in: .spanish) == .many)
        #expect(PluralRule.category(of: 1, in: .japanese) == .other)
        #expect(PluralRule.category(of: 1, in: DiscordLocale("de-AT")) == .one)
    }

    @Test("every count is chosen by plural rule, with every form the language needs", arguments: DiscordLocale.shipped)
    func countsUsePluralForms(locale: DiscordLocale) throws {
        let needed = PluralRule.categories(in: locale)
        for key in MessageKey.allCases {
            let template = try #require(catalog.template(key, in: locale))
            for (name, forms) in LocalizationCatalog.pluralUse(in: template)
            where LocalizationCatalog.countPlaceholders.contains(name) {
                // A language without plural forms may write the count plainly.
                guard needed != [.other] else { continue }
                #expect(!forms.isEmpty, "\(locale) \(key.rawValue): {\(name)} is not chosen by plural rule")
                #expect(forms.isSuperset(of: needed.subtracting([.many])) && forms.contains(.other),
                        "\(locale) \(key.rawValue): {\(name)} gives \(forms), needs \(needed)")
            }
        }
    }

    @Test("command and option references name registered paths", arguments: DiscordLocale.shipped)
    func commandReferencesExist(locale: DiscordLocale) throws {
        for key in MessageKey.allCases {
            let template = try #require(catalog.template(key, in: locale))
            for path in LocalizationCatalog.commandReferences(in: template) {
                #expect(CommandTexts.standard.entry(path, .englishUS) != nil, "\(key.rawValue) refers to \(path)")
            }
        }
    }

    @Test func commandsAreNamedAsRegisteredInTheReadersLocale() {
        #expect(catalog.text(.musicPlaybackCrashed, .german).contains("/abspielen"))
        #expect(catalog.text(.musicPlaybackCrashed, .englishUS).contains("/play"))
        #expect(catalog.command("game.start", .german) == "/spiel starten")
        #expect(catalog.option("volume.level", .german) == "stufe")
        #expect(catalog.text(.gameRoleOverSeats, .german, ["seat": "tank", "count": "2", "seats": "1"])
            .contains("`plätze`"))
    }

    /// Every message, every locale, counts 0, 1, 2, 5 and 21, member text full of markdown: no
    /// raw placeholder, no English fallback, no unescaped markdown from the member's text.
    @Test("every message renders completely", arguments: DiscordLocale.shipped)
    func everyMessageRenders(locale: DiscordLocale) throws {
        let hostile = "**bold** `tick` _it_ ~~x~~ ||spoiler||"
        for key in MessageKey.allCases {
            let template = try #require(catalog.template(key, in: locale), "\(locale) misses \(key.rawValue)")
            if locale != .englishUS, Self.words(in: template) >= 3 {
                // Short texts ("Paused.", "{channel}: {overrides}") may coincide; sentences must not.
                #expect(template != catalog.template(key, in: .englishUS), "\(locale) \(key.rawValue) is English")
            }
            for count in [0, 1, 2, 5, 21] {
                var arguments: [String: String] = [:]
                for name in LocalizationCatalog.placeholders(in: template) {
                    if LocalizationCatalog.countPlaceholders.contains(name) {
                        arguments[name] = "\(count)"
                    } else if LocalizationCatalog.memberTextPlaceholders.contains(name) {
                        arguments[name] = hostile
                    } else {
                        arguments[name] = "<#\(count)>"
                    }
                }
                let text = catalog.text(key, locale, arguments)
                #expect(!text.contains("{") && !text.contains("}"), "\(locale) \(key.rawValue) leaves a placeholder: \(text)")
                if LocalizationCatalog.placeholders(in: template).contains(where: LocalizationCatalog.memberTextPlaceholders.contains) {
                    #expect(text.contains("\\*\\*bold\\*\\*") && text.contains("\\`tick\\`") && text.contains("\\|\\|"),
                            "\(locale) \(key.rawValue) does not escape member text: \(text)")
                }
            }
        }
    }

    /// Words of a template outside its placeholders.
    static func words(in template: String) -> Int {
        var depth = 0
        var outside = ""
        for character in template {
            if character == "{" { depth += 1 } else if character == "}" { depth = max(0, depth - 1) } else if depth == 0 {
                outside.append(character)
            }
        }
        return outside.split(whereSeparator: { !$0.isLetter }).filter { $0.count > 1 }.count
    }

    @Test func markdownEscapingKeepsTheTextReadable() {
        #expect(Markdown.escape("**Best** of `90s`") == "\\*\\*Best\\*\\* of \\`90s\\`")
        #expect(Markdown.escape("# Title - live") == "\\# Title - live")
        #expect(Markdown.escape("a\nb") == "a b")
        #expect(catalog.text(.musicSkipped, .englishUS, ["title": "A_B*"]) == "Skipped **A\\_B\\***.")
    }

    @Test func durationsNameTheirUnits() {
        #expect(catalog.duration(seconds: 24, .englishUS) == "24 seconds")
        #expect(catalog.duration(seconds: 61, .englishUS) == "1 minute")
        #expect(catalog.duration(seconds: 3_720, .german) == "1 Stunde 2 Minuten")
        #expect(catalog.duration(seconds: 1, .french) == "1 seconde")
    }

    @Test func malformedPluralIsKeptAsText() {
        let catalog = LocalizationCatalog(tables: [.englishUS: [.musicPaused: "{count, plural, one {x}"]])
        #expect(catalog.text(.musicPaused, .englishUS, ["count": "1"]) == "{count, plural, one {x}")
    }
}
