/// A parsed and validated `PATCH …/players/{guildId}` body.
///
/// Everything a client can get wrong is checked here, before the node changes anything, so a
/// 400 leaves the player as it was.
struct PlayerUpdate {
    enum TrackChange {
        case stop
        case play(Track)
        /// Only `userData`: replaces the current track's user data.
        case userData(JSONValue)
    }

    /// Absent, explicitly null, or a value: `endTime: null` clears, absence keeps.
    enum Field<Value> {
        case absent, null, value(Value)
    }

    var track: TrackChange?
    var position: Int64?
    var endTime: Field<Int64> = .absent
    var volume: Int?
    var paused: Bool?
    var filters: Filters?
    var voice: VoiceState?

    static func parse(_ body: JSONValue, catalogue: Catalogue) throws(LavalinkHTTPError) -> PlayerUpdate {
        guard body.objectValue != nil else { throw .badRequest("the body must be a JSON object") }
        var update = PlayerUpdate()
        update.track = try parseTrack(body, catalogue: catalogue)

        if let position = body["position"], !position.isNull {
            guard let value = position.int64Value, value >= 0 else { throw .badRequest("position must be a non-negative integer") }
            update.position = value
        }
        if let endTime = body["endTime"] {
            if endTime.isNull {
                update.endTime = .null
            } else {
                guard let value = endTime.int64Value else { throw .badRequest("endTime must be an integer") }
                guard value > 0 else { throw .badRequest("endTime must be greater than 0") }
                update.endTime = .value(value)
            }
        }
        if let volume = body["volume"], !volume.isNull {
            guard let value = volume.int64Value else { throw .badRequest("volume must be an integer") }
            guard (0...1000).contains(value) else { throw .badRequest("volume must be between 0 and 1000") }
            update.volume = Int(value)
        }
        if let paused = body["paused"], !paused.isNull {
            guard let value = paused.boolValue else { throw .badRequest("paused must be a boolean") }
            update.paused = value
        }
        if let filters = body["filters"], !filters.isNull {
            do {
                update.filters = try Filters(parsing: filters)
            } catch {
                throw .badRequest("Invalid filters: \(error.message)")
            }
        }
        if let voice = body["voice"], !voice.isNull {
            update.voice = try parseVoice(voice)
        }
        return update
    }

    private static func parseTrack(_ body: JSONValue, catalogue: Catalogue) throws(LavalinkHTTPError) -> TrackChange? {
        // v4's `track` object, or the deprecated top-level `encodedTrack` / `identifier`.
        let trackObject = body["track"].flatMap { $0.isNull ? nil : $0 }
        if let trackObject, trackObject.objectValue == nil { throw .badRequest("track must be an object") }
        let deprecatedEncoded = body["encodedTrack"]
        let deprecatedIdentifier = body["identifier"]
        if trackObject != nil, deprecatedEncoded != nil || deprecatedIdentifier != nil {
            throw .badRequest("Cannot specify both track and encodedTrack/identifier")
        }
        let encoded = trackObject?["encoded"] ?? deprecatedEncoded
        let identifier = trackObject?["identifier"] ?? deprecatedIdentifier
        if encoded != nil, identifier != nil {
            throw .badRequest("Cannot specify both encoded and identifier")
        }
        var userData: JSONValue = [:]
        if let data = trackObject?["userData"], !data.isNull {
            guard data.objectValue != nil else { throw .badRequest("track.userData must be an object") }
            userData = data
        }
        if let encoded {
            if encoded.isNull { return .stop }
            guard let text = encoded.stringValue else { throw .badRequest("track.encoded must be a string or null") }
            let decoded: (info: TrackInfo, position: Int64)
            do {
                decoded = try LavaplayerTrackCodec.decode(text)
            } catch {
                throw .badRequest("Failed to decode track: \(error.description)")
            }
            // Without LavaSrc the node has no source manager that can play its tracks.
            if Catalogue.LavaSrcSource(rawValue: decoded.info.sourceName) != nil, !catalogue.plugins.current.lavaSrc {
                throw .badRequest("Failed to decode track: no source manager for \(decoded.info.sourceName)")
            }
            // LavaSrc's tracks carry their album and artist fields wherever they appear.
            let pluginInfo = catalogue.lavaSrcPluginInfo(decoded.info) ?? [:]
            return .play(Track(info: decoded.info, encoded: text, userData: userData, pluginInfo: pluginInfo))
        }
        if let identifier {
            guard let text = identifier.stringValue else { throw .badRequest("track.identifier must be a string") }
            switch catalogue.load(text) {
            case .track(var track):
                track.userData = userData
                return .play(track)
            case .playlist, .search:
                throw .badRequest("Cannot play a playlist or search result")
            case .empty:
                throw .badRequest("No matches found for identifier")
            case .error(let exception):
                throw .badRequest(exception.message ?? "Failed to load the track")
            }
        }
        if trackObject != nil {
            guard trackObject?["userData"] != nil else { throw .badRequest("track must contain encoded or identifier") }
            return .userData(userData)
        }
        return nil
    }

    private static func parseVoice(_ voice: JSONValue) throws(LavalinkHTTPError) -> VoiceState {
        guard voice.objectValue != nil else { throw .badRequest("voice must be an object") }
        func field(_ name: String) throws(LavalinkHTTPError) -> String {
            guard let value = voice[name], !value.isNull else { throw .badRequest("voice.\(name) is required") }
            guard let text = value.stringValue else { throw .badRequest("voice.\(name) must be a string") }
            return text
        }
        let state = VoiceState(
            token: try field("token"), endpoint: try field("endpoint"),
            sessionId: try field("sessionId"), channelId: try field("channelId")
        )
        if state.token.isEmpty || state.endpoint.isEmpty || state.sessionId.isEmpty {
            throw .badRequest("Partial voice state update")
        }
        if state.channelId.isEmpty { throw .badRequest("voice.channelId is required") }
        return state
    }
}
