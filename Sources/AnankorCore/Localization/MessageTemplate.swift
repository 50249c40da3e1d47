/// A catalog text, parsed once: literal runs, `{name}` arguments, `{/play}` command references
/// (the command's registered name in the reader's locale), `{@game.create.seats}` for an option's
/// name, and plural choices written as in ICU
/// MessageFormat, `{count, plural, one {# track} other {# tracks}}`, where `#` is the count and
/// the form is picked by the locale's CLDR rule (`PluralRule`).
struct MessageTemplate: Sendable {
    indirect enum Segment: Sendable {
        case literal(String)
        case argument(String)
        case command(String)
        case option(String)
        case plural(String, [PluralCategory: [Segment]])
        case count
    }

    let segments: [Segment]

    init(_ text: String) {
        var parser = Parser(characters: Array(text))
        segments = parser.segments(untilClosingBrace: false)
    }

    /// Argument names in order of first appearance, including plural counts and the arguments
    /// inside plural forms.
    var arguments: [String] {
        var names: [String] = []
        func visit(_ segments: [Segment]) {
            for segment in segments {
                switch segment {
                case .argument(let name):
                    if !names.contains(name) { names.append(name) }
                case .plural(let name, let forms):
                    if !names.contains(name) { names.append(name) }
                    for category in PluralCategory.allCases { if let form = forms[category] { visit(form) } }
                case .literal, .command, .option, .count:
                    break
                }
            }
        }
        visit(segments)
        return names
    }

    /// The arguments chosen by plural rule, with the categories given for each.
    var plurals: [String: Set<PluralCategory>] {
        var result: [String: Set<PluralCategory>] = [:]
        func visit(_ segments: [Segment]) {
            for case .plural(let name, let forms) in segments {
                result[name, default: []].formUnion(forms.keys)
                forms.values.forEach(visit)
            }
        }
        visit(segments)
        return result
    }

    /// Arguments used outside any plural choice (a count there would read "1 tracks").
    var plainArguments: Set<String> {
        var result: Set<String> = []
        func visit(_ segments: [Segment]) {
            for segment in segments {
                switch segment {
                case .argument(let name): result.insert(name)
                case .plural(_, let forms): forms.values.forEach(visit)
                default: break
                }
            }
        }
        visit(segments)
        return result
    }

    /// Command and option paths referenced with `{/path}` and `{@path}`.
    var commands: [String] {
        var result: [String] = []
        func visit(_ segments: [Segment]) {
            for segment in segments {
                if case .command(let path) = segment { result.append(path) }
                if case .option(let path) = segment { result.append(path) }
                if case .plural(_, let forms) = segment { forms.values.forEach(visit) }
            }
        }
        visit(segments)
        return result
    }

    struct Parser {
        let characters: [Character]
        var index = 0

        mutating func segments(untilClosingBrace: Bool) -> [Segment] {
            var result: [Segment] = []
            var literal = ""
            func flush() {
                if !literal.isEmpty { result.append(.literal(literal)) }
                literal = ""
            }
            while index < characters.count {
                let character = characters[index]
                if character == "}", untilClosingBrace {
                    index += 1
                    flush()
                    return result
                }
                if character == "#", untilClosingBrace {
                    index += 1
                    flush()
                    result.append(.count)
                    continue
                }
                if character == "{", let placeholder = placeholder() {
                    flush()
                    result.append(placeholder)
                    continue
                }
                literal.append(character)
                index += 1
            }
            flush()
            return result
        }

        /// At a `{`: an argument, a command reference or a plural choice; nil (and the brace
        /// kept as text) when the braces do not hold one.
        private mutating func placeholder() -> Segment? {
            let start = index
            var cursor = index + 1
            var name = ""
            while cursor < characters.count, characters[cursor] != "}", characters[cursor] != "," {
                name.append(characters[cursor])
                cursor += 1
            }
            guard cursor < characters.count, !name.isEmpty, !name.contains("{") else { return nil }
            if characters[cursor] == "}" {
                index = cursor + 1
                if name.hasPrefix("/") { return .command(String(name.dropFirst())) }
                if name.hasPrefix("@") { return .option(String(name.dropFirst())) }
                return .argument(name)
            }
            // `{name, plural, one {…} other {…}}`
            index = cursor + 1
            skipSpaces()
            guard take("plural") else { index = start; return nil }
            skipSpaces()
            guard take(",") else { index = start; return nil }
            var forms: [PluralCategory: [Segment]] = [:]
            while true {
                skipSpaces()
                guard index < characters.count else { index = start; return nil }
                if characters[index] == "}" {
                    index += 1
                    break
                }
                var selector = ""
                while index < characters.count, characters[index].isLetter {
                    selector.append(characters[index])
                    index += 1
                }
                skipSpaces()
                guard let category = PluralCategory(rawValue: selector), take("{") else { index = start; return nil }
                forms[category] = segments(untilClosingBrace: true)
            }
            return .plural(String(name.filter { $0 != " " }), forms)
        }

        private mutating func skipSpaces() {
            while index < characters.count, characters[index] == " " { index += 1 }
        }

        private mutating func take(_ word: String) -> Bool {
            let expected = Array(word)
            guard index + expected.count <= characters.count,
                Array(characters[index..<(index + expected.count)]) == expected
            else { return false }
            index += expected.count
            return true
        }
    }
}
