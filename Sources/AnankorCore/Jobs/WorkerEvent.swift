/// An event a worker publishes for the masters.
public enum WorkerEvent: EnvelopeBody {
    case trackStart(TrackStartEvent)
    case trackEnd(TrackEndEvent)
    case trackException(TrackExceptionEvent)
    case trackStuck(TrackStuckEvent)
    case queueEmpty(QueueEmptyEvent)
    case playerUpdate(PlayerUpdateEvent)
    case voiceDisconnected(VoiceDisconnectedEvent)
    case workerOnline(WorkerOnlineEvent)
    case workerOffline(WorkerOfflineEvent)
    case jobFailed(JobFailedEvent)
    case jobAcked(JobAckedEvent)
    case tempChannelCreated(TempChannelCreatedEvent)
    case segmentSkipped(SegmentSkippedEvent)

    public var payload: any VersionedPayload {
        switch self {
        case .trackStart(let event): event
        case .trackEnd(let event): event
        case .trackException(let event): event
        case .trackStuck(let event): event
        case .queueEmpty(let event): event
        case .playerUpdate(let event): event
        case .voiceDisconnected(let event): event
        case .workerOnline(let event): event
        case .workerOffline(let event): event
        case .jobFailed(let event): event
        case .jobAcked(let event): event
        case .tempChannelCreated(let event): event
        case .segmentSkipped(let event): event
        }
    }

    public var kind: String { type(of: payload).kind }
    public var version: Int { type(of: payload).version }

    /// The session whose events must be handled in the order they were published; nil for
    /// events about a whole worker or lobby, which are handled on their own, in order with all.
    public var session: SessionKey? {
        switch self {
        case .trackStart(let event): event.session
        case .trackEnd(let event): event.session
        case .trackException(let event): event.session
        case .trackStuck(let event): event.session
        case .queueEmpty(let event): event.session
        case .playerUpdate(let event): event.session
        case .voiceDisconnected(let event): event.session
        case .jobAcked(let event): event.session
        case .segmentSkipped(let event): event.session
        case .workerOnline, .workerOffline, .jobFailed, .tempChannelCreated: nil
        }
    }

    public func encodePayload(to encoder: any Encoder) throws { try payload.encode(to: encoder) }

    public static func decodePayload(kind: String, version: Int, from decoder: any Decoder) throws -> WorkerEvent {
        try table.decode(kind: kind, version: version, from: decoder)
    }

    public static var kinds: Set<String> { table.kinds }

    private static let table = PayloadTable<WorkerEvent>([
        PayloadTable<WorkerEvent>.entry(TrackStartEvent.self) { .trackStart($0) },
        PayloadTable<WorkerEvent>.entry(TrackEndEvent.self) { .trackEnd($0) },
        PayloadTable<WorkerEvent>.entry(TrackExceptionEvent.self) { .trackException($0) },
        PayloadTable<WorkerEvent>.entry(TrackStuckEvent.self) { .trackStuck($0) },
        PayloadTable<WorkerEvent>.entry(QueueEmptyEvent.self) { .queueEmpty($0) },
        PayloadTable<WorkerEvent>.entry(PlayerUpdateEvent.self) { .playerUpdate($0) },
        PayloadTable<WorkerEvent>.entry(VoiceDisconnectedEvent.self) { .voiceDisconnected($0) },
        PayloadTable<WorkerEvent>.entry(WorkerOnlineEvent.self) { .workerOnline($0) },
        PayloadTable<WorkerEvent>.entry(WorkerOfflineEvent.self) { .workerOffline($0) },
        PayloadTable<WorkerEvent>.entry(JobFailedEvent.self) { .jobFailed($0) },
        PayloadTable<WorkerEvent>.entry(JobAckedEvent.self) { .jobAcked($0) },
        PayloadTable<WorkerEvent>.entry(TempChannelCreatedEvent.self) { .tempChannelCreated($0) },
        PayloadTable<WorkerEvent>.entry(SegmentSkippedEvent.self) { .segmentSkipped($0) },
    ])
}

public typealias EventEnvelope = Envelope<WorkerEvent>
