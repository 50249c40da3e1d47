/// A job the master sends to one worker.
public enum Job: EnvelopeBody {
    case voiceConnect(VoiceConnectJob)
    case voiceLeave(VoiceLeaveJob)
    case playbackPlay(PlaybackPlayJob)
    case playerUpdate(PlayerUpdateJob)
    case reminderPost(ReminderPostJob)
    case voiceMove(VoiceMoveJob)
    case roleAdd(RoleAddJob)
    case roleRemove(RoleRemoveJob)
    case tempChannelCreate(TempChannelCreateJob)
    case tempChannelDelete(TempChannelDeleteJob)
    case voiceStatus(VoiceStatusJob)

    public var payload: any VersionedPayload {
        switch self {
        case .voiceConnect(let job): job
        case .voiceLeave(let job): job
        case .playbackPlay(let job): job
        case .playerUpdate(let job): job
        case .reminderPost(let job): job
        case .voiceMove(let job): job
        case .roleAdd(let job): job
        case .roleRemove(let job): job
        case .tempChannelCreate(let job): job
        case .tempChannelDelete(let job): job
        case .voiceStatus(let job): job
        }
    }

    public var kind: String { type(of: payload).kind }
    public var version: Int { type(of: payload).version }

    public func encodePayload(to encoder: any Encoder) throws { try payload.encode(to: encoder) }

    public static func decodePayload(kind: String, version: Int, from decoder: any Decoder) throws -> Job {
        try table.decode(kind: kind, version: version, from: decoder)
    }

    /// Every kind this build reads.
    public static var kinds: Set<String> { table.kinds }

    private static let table = PayloadTable<Job>([
        PayloadTable<Job>.entry(VoiceConnectJob.self) { .voiceConnect($0) },
        PayloadTable<Job>.entry(VoiceLeaveJob.self) { .voiceLeave($0) },
        PayloadTable<Job>.entry(PlaybackPlayJob.self) { .playbackPlay($0) },
        PayloadTable<Job>.entry(PlayerUpdateJob.self) { .playerUpdate($0) },
        PayloadTable<Job>.entry(ReminderPostJob.self) { .reminderPost($0) },
        PayloadTable<Job>.entry(VoiceMoveJob.self) { .voiceMove($0) },
        PayloadTable<Job>.entry(RoleAddJob.self) { .roleAdd($0) },
        PayloadTable<Job>.entry(RoleRemoveJob.self) { .roleRemove($0) },
        PayloadTable<Job>.entry(TempChannelCreateJob.self) { .tempChannelCreate($0) },
        PayloadTable<Job>.entry(TempChannelDeleteJob.self) { .tempChannelDelete($0) },
        PayloadTable<Job>.entry(VoiceStatusJob.self) { .voiceStatus($0) },
    ])
}

public typealias JobEnvelope = Envelope<Job>
