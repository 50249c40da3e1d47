/// The filter presets Anankor offers. Each preset is a complete filter set: applying one replaces
/// whatever was active, and `off` clears everything.
public enum FilterPreset: String, Sendable, Hashable, CaseIterable, Codable {
    case off
    case bassBoost
    case nightcore
    case vaporwave
    case eightD
    case karaoke

    public var filters: Filters {
        switch self {
        case .off:
            return Filters()
        case .bassBoost:
            // Lift the lowest bands, taper off so the mids stay clean.
            let gains: [Double] = [0.25, 0.2, 0.15, 0.1, 0.05]
            return Filters(equalizer: gains.enumerated().map { Filters.Band(band: $0.offset, gain: $0.element) })
        case .nightcore:
            // Faster and higher together, like a sped-up record.
            return Filters(timescale: Filters.Timescale(speed: 1.2, pitch: 1.2, rate: 1.0))
        case .vaporwave:
            // Slower and lower, with a slight bass lift and a soft tremolo.
            return Filters(
                equalizer: [Filters.Band(band: 0, gain: 0.1), Filters.Band(band: 1, gain: 0.1)],
                timescale: Filters.Timescale(speed: 0.85, pitch: 0.8, rate: 1.0),
                tremolo: Filters.Oscillation(frequency: 1.0, depth: 0.3)
            )
        case .eightD:
            // Slow panning around the listener's head.
            return Filters(rotation: Filters.Rotation(rotationHz: 0.2))
        case .karaoke:
            // Cancel the centre (vocal) band around 220 Hz.
            return Filters(karaoke: Filters.Karaoke(level: 1.0, monoLevel: 1.0, filterBand: 220.0, filterWidth: 100.0))
        }
    }
}
