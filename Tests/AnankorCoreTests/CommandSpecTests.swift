import Testing

@testable import AnankorCore

/// The registered commands must satisfy Discord's application-command rules in every locale, or
/// the bulk overwrite is refused and no command works.
@Suite("Slash command definitions")
struct CommandSpecTests {
    let texts = CommandTexts.standard

    /// Discord's name rule: 1–32 of `-_'`, letters and digits; lowercase where a letter has case.
    static func isValidName(_ name: String) -> Bool {
        (1...32).contains(name.count)
            && name.unicodeScalars.allSatisfy { scalar in
                "-_'".unicodeScalars.contains(scalar) || scalar.properties.isAlphabetic
                    || scalar.properties.numericType != nil
            }
            && name.lowercased() == name
    }

    @Test("every path has a name and description in every shipped locale", arguments: DiscordLocale.shipped)
    func complete(locale: DiscordLocale) {
        for command in CommandSpec.all {
            for (path, isChoice) in command.textPaths {
                let entry = texts.entry(path, locale)
                #expect(entry != nil, "\(locale) misses \(path)")
                if !isChoice { #expect(entry?.description != nil, "\(locale) has no description for \(path)") }
            }
        }
    }

    @Test("names and descriptions fit Discord's limits", arguments: DiscordLocale.shipped)
    func withinLimits(locale: DiscordLocale) throws {
        for command in CommandSpec.all {
            var total = 0
            for (path, isChoice) in command.textPaths {
                let entry = try #require(texts.entry(path, locale))
                if isChoice {
                    #expect((1...100).contains(entry.name.count), "\(locale) \(path)")
                } else {
                    #expect(Self.isValidName(entry.name), "\(locale) \(path): \(entry.name)")
                    #expect((1...100).contains(entry.description?.count ?? 0), "\(locale) \(path)")
                }
                total += entry.name.count + (entry.description?.count ?? 0)
            }
            // Discord caps a command's names, descriptions and choice values at 4000 characters.
            #expect(total <= 4000, "\(locale) \(command.name): \(total)")
        }
    }

    @Test("sibling names stay unique after translation", arguments: DiscordLocale.shipped)
    func uniqueSiblings(locale: DiscordLocale) {
        let topLevel = CommandSpec.all.compactMap { texts.entry($0.name, locale)?.name }
        #expect(Set(topLevel).count == topLevel.count, "\(locale): \(topLevel)")
        func check(_ options: [CommandOptionSpec], prefix: String) {
            let names = options.compactMap { texts.entry("\(prefix).\($0.name)", locale)?.name }
            #expect(Set(names).count == names.count, "\(locale) \(prefix): \(names)")
            for option in options { check(option.options, prefix: "\(prefix).\(option.name)") }
        }
        for command in CommandSpec.all { check(command.options, prefix: command.name) }
    }

    @Test func defaultNamesAreTheSpecNames() throws {
        for command in CommandSpec.all {
            for (path, isChoice) in command.textPaths where !isChoice {
                let last = String(path.split(separator: ".").last ?? "")
                #expect(try #require(texts.entry(path, .englishUS)).name == last)
            }
        }
    }

    @Test func optionShapesFollowDiscordsRules() {
        func check(_ options: [CommandOptionSpec], at path: String) {
            #expect(options.count <= 25, "\(path) has \(options.count) options")
            // Required options come before optional ones.
            let firstOptional = options.firstIndex { !$0.required } ?? options.endIndex
            #expect(options[firstOptional...].allSatisfy { !$0.required }, "\(path): required after optional")
            for option in options {
                #expect(option.choices.count <= 25)
                #expect(!(option.autocomplete && !option.choices.isEmpty), "\(path).\(option.name)")
                check(option.options, at: "\(path).\(option.name)")
            }
        }
        for command in CommandSpec.all { check(command.options, at: command.name) }
        #expect(Set(CommandSpec.all.map(\.name)).count == CommandSpec.all.count)
    }

    @Test func localizationsExcludeTheDefaultLocale() {
        let names = texts.nameLocalizations("play")
        #expect(names["de"] == "abspielen")
        #expect(names["en-US"] == nil)
        #expect(names.count == DiscordLocale.shipped.count - 1)
        #expect(texts.descriptionLocalizations("loop.mode.track").isEmpty)
    }
}
