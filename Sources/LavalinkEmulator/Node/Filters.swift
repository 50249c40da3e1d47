/// A player's filters, validated as Lavalink validates them and echoed back in its shape.
struct Filters: Equatable {
    /// The validated filters object; `[:]` when none are set.
    private(set) var json: JSONValue = [:]
    /// Timescale speed × rate: how fast playback position moves.
    private(set) var playbackRate: Double = 1

    init() {}

    struct Invalid: Error {
        var message: String
    }

    /// Parses a `filters` object (it replaces all filters); throws with Lavalink-like messages.
    init(parsing value: JSONValue) throws(Invalid) {
        guard let members = value.objectValue else { throw Invalid(message: "filters must be an object") }
        var out: [(String, JSONValue)] = []
        for (key, member) in members where !member.isNull {
            switch key {
            case "volume":
                out.append((key, .double(try Self.number(member, key, 0...5))))
            case "equalizer":
                guard let bands = member.arrayValue else { throw Invalid(message: "equalizer must be an array") }
                var seen = Set<Int64>()
                var parsed: [JSONValue] = []
                for band in bands {
                    guard let index = band["band"]?.int64Value, (0...14).contains(index) else {
                        throw Invalid(message: "equalizer band must be between 0 and 14")
                    }
                    let gain = try Self.number(band["gain"] ?? .null, "equalizer gain", -0.25...1.0)
                    guard seen.insert(index).inserted else { throw Invalid(message: "equalizer band \(index) appears twice") }
                    parsed.append(["band": .int(index), "gain": .double(gain)])
                }
                out.append((key, .array(parsed)))
            case "karaoke":
                out.append((key, try Self.object(member, key, [
                    ("level", 0...1), ("monoLevel", 0...1), ("filterBand", 0...Double.greatestFiniteMagnitude),
                    ("filterWidth", 0...Double.greatestFiniteMagnitude),
                ])))
            case "timescale":
                let any = 0...Double.greatestFiniteMagnitude
                let object = try Self.object(member, key, [("speed", any), ("pitch", any), ("rate", any)])
                playbackRate = (object["speed"]?.doubleValue ?? 1) * (object["rate"]?.doubleValue ?? 1)
                out.append((key, object))
            case "tremolo":
                out.append((key, try Self.object(member, key, [("frequency", .ulpOfOne...Double.greatestFiniteMagnitude), ("depth", .ulpOfOne...1)])))
            case "vibrato":
                out.append((key, try Self.object(member, key, [("frequency", .ulpOfOne...14), ("depth", .ulpOfOne...1)])))
            case "rotation":
                out.append((key, try Self.object(member, key, [("rotationHz", -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)])))
            case "distortion":
                let any = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
                out.append((key, try Self.object(member, key, [
                    ("sinOffset", any), ("sinScale", any), ("cosOffset", any), ("cosScale", any),
                    ("tanOffset", any), ("tanScale", any), ("offset", any), ("scale", any),
                ])))
            case "channelMix":
                out.append((key, try Self.object(member, key, [
                    ("leftToLeft", 0...1), ("leftToRight", 0...1), ("rightToLeft", 0...1), ("rightToRight", 0...1),
                ])))
            case "lowPass":
                out.append((key, try Self.object(member, key, [("smoothing", -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)])))
            case "pluginFilters":
                // No plugins are installed, so plugin filters are accepted and kept as given.
                guard member.objectValue != nil else { throw Invalid(message: "pluginFilters must be an object") }
                out.append((key, member))
            default:
                // Lavalink's JSON reader ignores unknown keys.
                continue
            }
        }
        json = .object(out)
    }

    private static func number(_ value: JSONValue, _ name: String, _ range: ClosedRange<Double>) throws(Invalid) -> Double {
        guard let number = value.doubleValue else { throw Invalid(message: "\(name) must be a number") }
        guard range.contains(number) else {
            throw Invalid(message: "\(name) must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    private static func object(
        _ value: JSONValue, _ name: String, _ fields: [(String, ClosedRange<Double>)]
    ) throws(Invalid) -> JSONValue {
        guard value.objectValue != nil else { throw Invalid(message: "\(name) must be an object") }
        var out: [(String, JSONValue)] = []
        for (field, range) in fields {
            guard let member = value[field], !member.isNull else { continue }
            out.append((field, .double(try number(member, "\(name).\(field)", range))))
        }
        return .object(out)
    }
}
