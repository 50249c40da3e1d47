/// All Lavalink v4 filters. Unset fields are not sent; sending `Filters()` clears every filter.
public struct Filters: Sendable, Hashable, Codable {
    public struct Band: Sendable, Hashable, Codable {
        /// 0…14 (25 Hz … 16 kHz).
        public var band: Int
        /// -0.25 (muted) … 1.0; 0 leaves the band unchanged.
        public var gain: Double
        public init(band: Int, gain: Double) {
            self.band = band
            self.gain = gain
        }
    }

    public struct Karaoke: Sendable, Hashable, Codable {
        public var level: Double?
        public var monoLevel: Double?
        public var filterBand: Double?
        public var filterWidth: Double?
        public init(level: Double? = nil, monoLevel: Double? = nil, filterBand: Double? = nil, filterWidth: Double? = nil) {
            self.level = level
            self.monoLevel = monoLevel
            self.filterBand = filterBand
            self.filterWidth = filterWidth
        }
    }

    public struct Timescale: Sendable, Hashable, Codable {
        public var speed: Double?
        public var pitch: Double?
        public var rate: Double?
        public init(speed: Double? = nil, pitch: Double? = nil, rate: Double? = nil) {
            self.speed = speed
            self.pitch = pitch
            self.rate = rate
        }
    }

    /// Tremolo (volume oscillation) and vibrato (pitch oscillation) share this shape.
    public struct Oscillation: Sendable, Hashable, Codable {
        public var frequency: Double?
        public var depth: Double?
        public init(frequency: Double? = nil, depth: Double? = nil) {
            self.frequency = frequency
            self.depth = depth
        }
    }

    public struct Rotation: Sendable, Hashable, Codable {
        public var rotationHz: Double?
        public init(rotationHz: Double? = nil) { self.rotationHz = rotationHz }
    }

    public struct Distortion: Sendable, Hashable, Codable {
        public var sinOffset: Double?
        public var sinScale: Double?
        public var cosOffset: Double?
        public var cosScale: Double?
        public var tanOffset: Double?
        public var tanScale: Double?
        public var offset: Double?
        public var scale: Double?
        public init(
            sinOffset: Double? = nil, sinScale: Double? = nil, cosOffset: Double? = nil, cosScale: Double? = nil,
            tanOffset: Double? = nil, tanScale: Double? = nil, offset: Double? = nil, scale: Double? = nil
        ) {
            self.sinOffset = sinOffset
            self.sinScale = sinScale
            self.cosOffset = cosOffset
            self.cosScale = cosScale
            self.tanOffset = tanOffset
            self.tanScale = tanScale
            self.offset = offset
            self.scale = scale
        }
    }

    public struct ChannelMix: Sendable, Hashable, Codable {
        public var leftToLeft: Double?
        public var leftToRight: Double?
        public var rightToLeft: Double?
        public var rightToRight: Double?
        public init(leftToLeft: Double? = nil, leftToRight: Double? = nil, rightToLeft: Double? = nil, rightToRight: Double? = nil) {
            self.leftToLeft = leftToLeft
            self.leftToRight = leftToRight
            self.rightToLeft = rightToLeft
            self.rightToRight = rightToRight
        }
    }

    public struct LowPass: Sendable, Hashable, Codable {
        /// Values ≤ 1 disable the filter.
        public var smoothing: Double?
        public init(smoothing: Double? = nil) { self.smoothing = smoothing }
    }

    /// 0…5, 1 = 100 %. Independent of the player volume.
    public var volume: Double?
    public var equalizer: [Band]?
    public var karaoke: Karaoke?
    public var timescale: Timescale?
    public var tremolo: Oscillation?
    public var vibrato: Oscillation?
    public var rotation: Rotation?
    public var distortion: Distortion?
    public var channelMix: ChannelMix?
    public var lowPass: LowPass?
    /// Keyed by plugin name; passed through untouched.
    public var pluginFilters: [String: JSONValue]?

    public init(
        volume: Double? = nil, equalizer: [Band]? = nil, karaoke: Karaoke? = nil, timescale: Timescale? = nil,
        tremolo: Oscillation? = nil, vibrato: Oscillation? = nil, rotation: Rotation? = nil,
        distortion: Distortion? = nil, channelMix: ChannelMix? = nil, lowPass: LowPass? = nil,
        pluginFilters: [String: JSONValue]? = nil
    ) {
        self.volume = volume
        self.equalizer = equalizer
        self.karaoke = karaoke
        self.timescale = timescale
        self.tremolo = tremolo
        self.vibrato = vibrato
        self.rotation = rotation
        self.distortion = distortion
        self.channelMix = channelMix
        self.lowPass = lowPass
        self.pluginFilters = pluginFilters
    }

    /// True when no filter is set (what `off` sends).
    public var isEmpty: Bool { self == Filters() }
}
