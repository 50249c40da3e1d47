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

    /// The counts every message is rendered with, and the CLDR category each takes per shipped
    /// language (written out here, not taken from `PluralRule`, so the two check each other).
    static let counts = [0, 1, 2, 5, 21]
    static let cldrCategories: [DiscordLocale: [PluralCategory]] = [
        .englishUS: [.other, .one, .other, .other, .other],
        .german: [.other, .one, .other, .other, .other],
        .french: [.one, .one, .other, .other, .other],
        .spanish: [.other, .one, .other, .other, .other],
        .portugueseBrazil: [.one, .one, .other, .other, .other],
        .japanese: [.other, .other, .other, .other, .other],
    ]
    static let hostile = "**bold** `tick` _it_ ~~x~~ ||spoiler||"

    /// The arguments a test renders `template` with: `count` for counts, markdown for member text.
    static func arguments(for template: String, count: Int) -> [String: String] {
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
        return arguments
    }

    /// Every message, every locale, counts 0, 1, 2, 5 and 21, member text full of markdown: no
    /// raw placeholder, no English fallback (of the template or of the rendered text), every
    /// markdown character of the member's text escaped, and each count in the form its
    /// language's CLDR rule gives it.
    @Test("every message renders completely", arguments: DiscordLocale.shipped)
    func everyMessageRenders(locale: DiscordLocale) throws {
        let categories = try #require(Self.cldrCategories[locale])
        for (index, count) in Self.counts.enumerated() {
            #expect(PluralRule.category(of: count, in: locale) == categories[index], "\(locale): \(count)")
        }
        for key in MessageKey.allCases {
            let template = try #require(catalog.template(key, in: locale), "\(locale) misses \(key.rawValue)")
            // Short texts ("Paused.", "{channel}: {overrides}") may coincide; sentences must not.
            let sentence = Self.words(in: template) >= 3
            if locale != .englishUS, sentence {
                #expect(template != catalog.template(key, in: .englishUS), "\(locale) \(key.rawValue) is English")
            }
            let names = LocalizationCatalog.placeholders(in: template)
            for (index, count) in Self.counts.enumerated() {
                let arguments = Self.arguments(for: template, count: count)
                let text = catalog.text(key, locale, arguments)
                #expect(!text.contains("{") && !text.contains("}"), "\(locale) \(key.rawValue) leaves a placeholder: \(text)")
                if locale != .englishUS, sentence {
                    #expect(text != catalog.text(key, .englishUS, arguments),
                            "\(locale) \(key.rawValue) with \(count) reads as English: \(text)")
                }
                if names.contains(where: LocalizationCatalog.memberTextPlaceholders.contains) {
                    for escaped in ["\\*\\*bold\\*\\*", "\\`tick\\`", "\\_it\\_", "\\~\\~x\\~\\~", "\\|\\|spoiler\\|\\|"] {
                        #expect(text.contains(escaped), "\(locale) \(key.rawValue) does not escape \(escaped): \(text)")
                    }
                }
                // The form of each count's plural choice is the one its CLDR category names.
                for choice in Self.pluralChoices(in: template) where LocalizationCatalog.countPlaceholders.contains(choice.name) {
                    guard let form = choice.forms[categories[index]] ?? choice.forms[.other],
                        let expected = Self.filled(form, count: count, arguments)
                    else { continue }
                    #expect(text.contains(expected),
                            "\(locale) \(key.rawValue): \(count) should read “\(expected)” (\(categories[index])): \(text)")
                }
            }
        }
    }

    /// The plural choices of a template as written: `{name, plural, one {…} other {…}}` → the
    /// argument and each category's form text (parsed here independently of `MessageTemplate`).
    static func pluralChoices(in template: String) -> [(name: String, forms: [PluralCategory: String])] {
        let characters = Array(template)
        var result: [(name: String, forms: [PluralCategory: String])] = []
        var index = 0
        /// The text up to the brace closing the one just opened, and the index after it.
        func balanced(from start: Int) -> (String, Int)? {
            var depth = 1
            var cursor = start
            while cursor < characters.count {
                if characters[cursor] == "{" { depth += 1 }
                if characters[cursor] == "}" {
                    depth -= 1
                    if depth == 0 { return (String(characters[start..<cursor]), cursor + 1) }
                }
                cursor += 1
            }
            return nil
        }
        while index < characters.count {
            guard characters[index] == "{", let (body, next) = balanced(from: index + 1) else {
                index += 1
                continue
            }
            let parts = body.split(separator: ",", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 3, parts[1] == "plural" {
                var forms: [PluralCategory: String] = [:]
                let inner = Array(parts[2])
                var cursor = 0
                while cursor < inner.count {
                    let word = String(inner[cursor...].prefix { $0.isLetter })
                    guard !word.isEmpty, let open = inner[cursor...].firstIndex(of: "{") else { cursor += 1; continue }
                    var depth = 1
                    var end = open + 1
                    while end < inner.count, depth > 0 {
                        if inner[end] == "{" { depth += 1 }
                        if inner[end] == "}" { depth -= 1 }
                        end += 1
                    }
                    if let category = PluralCategory(rawValue: word) { forms[category] = String(inner[(open + 1)..<(end - 1)]) }
                    cursor = end
                    while cursor < inner.count, inner[cursor] == " " { cursor += 1 }
                }
                result.append((parts[0], forms))
            }
            index = next
        }
        return result
    }

    @Test func pluralChoicesAreReadAsWritten() {
        let choices = Self.pluralChoices(in: "{votes, plural, one {#} other {#}}/{needed, plural, one {# vote} other {# votes}} for {title}")
        #expect(choices.map(\.name) == ["votes", "needed"])
        #expect(choices.last?.forms == [.one: "# vote", .other: "# votes"])
        #expect(Self.filled("# vote for {title}", count: 1, ["title": "a_b"]) == "1 vote for a\\_b")
        #expect(Self.filled("{/skip} # votes", count: 2, [:]) == nil)
    }

    /// A plural form as a reader sees it: `#` the count, plain `{name}` arguments filled (member
    /// text escaped); nil for forms with command names or nested choices, not checked this way.
    static func filled(_ form: String, count: Int, _ arguments: [String: String]) -> String? {
        guard !form.contains("{/"), !form.contains("{@"), !form.contains(", plural,") else { return nil }
        var text = form.replacingOccurrences(of: "#", with: "\(count)")
        for (name, value) in arguments {
            let shown = LocalizationCatalog.memberTextPlaceholders.contains(name) ? Markdown.escape(value) : value
            text = text.replacingOccurrences(of: "{\(name)}", with: shown)
        }
        return text.contains("{") ? nil : text
    }

    /// `{prefix}` carries what a manager typed but is never escaped: it is shown only inside code
    /// spans (where a backslash would show), and `/settings prefix` refuses backticks. `{detail}`
    /// is a catalog text rendered (and escaped) on its own; `{id}` comes wrapped in a code span.
    @Test("the prefix is shown only inside code spans", arguments: DiscordLocale.shipped)
    func prefixOnlyInCodeSpans(locale: DiscordLocale) throws {
        for key in MessageKey.allCases {
            let template = try #require(catalog.template(key, in: locale))
            var rest = Substring(template)
            while let range = rest.range(of: "{prefix}") {
                let before = template[..<range.lowerBound].filter { $0 == "`" }.count
                #expect(before % 2 == 1, "\(locale) \(key.rawValue): {prefix} outside a code span")
                rest = rest[range.upperBound...]
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
