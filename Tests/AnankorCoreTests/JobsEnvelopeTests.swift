import AnankorCore
import Foundation
import Testing

@Suite("Job and event envelopes")
struct JobsEnvelopeTests {
    static let t0 = Date(epochMilliseconds: 1_700_000_000_123)
    static let session = SessionKey(guild: GuildID(1), channel: ChannelID(2))
    static let entry = QueueEntry(id: QueueEntryID("e1"), track: Track(encoded: "QAAA", title: "T", author: "A", lengthMs: 1000),
                                  requester: UserID(3), addedAt: t0)
    static let change = RoleChangeJob(lobby: LobbyID("l"), guild: GuildID(1), users: [UserID(5)], role: RoleID(9))

    static let jobs: [Job] = [
        .voiceConnect(VoiceConnectJob(session: session, textChannel: ChannelID(7))),
        .voiceLeave(VoiceLeaveJob(session: session, reason: .idle)),
        .playbackPlay(PlaybackPlayJob(session: session, entry: entry, startPositionMs: 10, volume: 80)),
        .playerUpdate(PlayerUpdateJob(session: session, paused: true, filterPreset: "nightcore")),
        .reminderPost(ReminderPostJob(lobby: LobbyID("l"), guild: GuildID(1), channel: ChannelID(4), content: "soon",
                                      mentions: [UserID(5)])),
        .voiceMove(VoiceMoveJob(lobby: LobbyID("l"), guild: GuildID(1), users: [UserID(5)], channel: ChannelID(6))),
        .roleAdd(RoleAddJob(change)),
        .roleRemove(RoleRemoveJob(change)),
        .tempChannelCreate(TempChannelCreateJob(lobby: LobbyID("l"), guild: GuildID(1), name: "Raid", userLimit: 5)),
        .tempChannelDelete(TempChannelDeleteJob(lobby: LobbyID("l"), guild: GuildID(1), channel: ChannelID(6))),
        .voiceStatus(VoiceStatusJob(session: session, status: "🎶 Golden Harbour")),
        .voiceStatus(VoiceStatusJob(session: session, status: nil)),
    ]

    static let events: [WorkerEvent] = [
        .trackStart(TrackStartEvent(session: session, entry: entry.id)),
        .trackEnd(TrackEndEvent(session: session, entry: entry.id, reason: .loadFailed)),
        .trackException(TrackExceptionEvent(session: session, entry: entry.id, message: "boom", severity: "fault")),
        .trackStuck(TrackStuckEvent(session: session, entry: entry.id, thresholdMs: 10_000)),
        .queueEmpty(QueueEmptyEvent(session: session)),
        .playerUpdate(PlayerUpdateEvent(session: session, positionMs: 1, connected: true, pingMs: 20, timeMs: 5)),
        .voiceDisconnected(VoiceDisconnectedEvent(session: session, code: 4014, reason: "moved", byRemote: true)),
        .workerOnline(WorkerOnlineEvent(worker: WorkerID(8), fencingToken: FencingToken(3), guildCount: 2)),
        .workerOffline(WorkerOfflineEvent(worker: WorkerID(8), reason: "shutdown")),
        .jobFailed(JobFailedEvent(job: EnvelopeID(), jobKind: "game.role.add", reason: "missing permission")),
        .jobAcked(JobAckedEvent(job: EnvelopeID(sessionJob: SessionJobID("1/2#3")), jobKind: "music.player.update",
                                session: session)),
        .tempChannelCreated(TempChannelCreatedEvent(lobby: LobbyID("l"), guild: GuildID(1), channel: ChannelID(6))),
        .segmentSkipped(SegmentSkippedEvent(session: session, entry: entry.id,
                                            category: "sponsor", startMs: 30_000, endMs: 45_000)),
    ]

    @Test("every job kind round-trips with id, trace context and creation time", arguments: jobs)
    func jobRoundTrip(job: Job) throws {
        let envelope = JobEnvelope(body: job, trace: TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                                   createdAt: Self.t0)
        #expect(try JobEnvelope.decode(envelope.encoded()) == envelope)
    }

    @Test("every event kind round-trips", arguments: events)
    func eventRoundTrip(event: WorkerEvent) throws {
        let envelope = EventEnvelope(body: event, createdAt: Self.t0)
        #expect(try EventEnvelope.decode(envelope.encoded()) == envelope)
    }

    @Test("kind names are the documented wire names, all distinct")
    func kindNames() {
        #expect(Job.kinds == ["music.playback.play", "music.voice.connect", "music.voice.leave", "music.player.update",
                              "game.reminder.post", "game.voice.move", "game.role.add", "game.role.remove",
                              "game.channel.create", "game.channel.delete", "music.voice.status"])
        #expect(Set(Self.events.map(\.kind)) == WorkerEvent.kinds)
        #expect(WorkerEvent.kinds.isSuperset(of: ["trackStart", "trackEnd", "trackException", "trackStuck", "queueEmpty",
                                                   "playerUpdate", "voiceDisconnected", "workerOnline"]))
    }

    @Test("a session job's envelope id follows from its id alone, the same on every master, and differs per job")
    func sessionJobEnvelopeIDs() {
        let ids = (1...500).map { EnvelopeID(sessionJob: SessionJobID("10/20#\($0)")) }
        #expect(ids[0] == EnvelopeID(sessionJob: SessionJobID("10/20#1")))
        #expect(Set(ids).count == ids.count)
        #expect(EnvelopeID(sessionJob: SessionJobID("10/20#1")) != EnvelopeID(sessionJob: SessionJobID("10/21#1")))
        #expect(ids[0].description.count == 36, "an ordinary UUID on the wire")
    }

    @Test("the wire form carries kind, version, trace and milliseconds")
    func wireForm() throws {
        let envelope = JobEnvelope(body: Self.jobs[0], trace: TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                                   createdAt: Self.t0)
        let object = try #require(try JSONSerialization.jsonObject(with: envelope.encoded()) as? [String: Any])
        #expect(object["kind"] as? String == "music.voice.connect")
        #expect(object["v"] as? Int == 1)
        #expect(object["createdAt"] as? Int == 1_700_000_000_123)
        #expect(object["traceparent"] as? String == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(object["id"] as? String == envelope.id.description)
    }

    @Test("unknown kinds, newer versions and malformed bytes fail with a reason, never a crash",
          arguments: [
            (#"{"id":"A5B0CB3C-A2F6-4E2F-9C0D-6F1D9A0B1C2D","kind":"music.teleport","v":1,"createdAt":0,"payload":{}}"#,
             EnvelopeDecodingError.Code.unknownKind),
            (#"{"id":"A5B0CB3C-A2F6-4E2F-9C0D-6F1D9A0B1C2D","kind":"music.voice.leave","v":2,"createdAt":0,"payload":{}}"#,
             .unsupportedVersion),
            (#"{"id":"A5B0CB3C-A2F6-4E2F-9C0D-6F1D9A0B1C2D","kind":"music.voice.leave","v":1,"createdAt":0,"payload":{"session":{}}}"#,
             .malformed),
            (#"{"kind":"music.voice.leave"}"#, .malformed),
            ("not json at all", .malformed),
            ("", .malformed),
          ])
    func undecodable(text: String, code: EnvelopeDecodingError.Code) {
        #expect { try JobEnvelope.decode(Data(text.utf8)) } throws: { ($0 as? EnvelopeDecodingError)?.code == code }
    }

    @Test("an unknown leave reason or track end reason from a newer peer is kept, not fatal")
    func lenientEnums() throws {
        let text = #"{"id":"A5B0CB3C-A2F6-4E2F-9C0D-6F1D9A0B1C2D","kind":"music.voice.leave","v":1,"createdAt":0,"payload":{"session":{"guild":"1","channel":"2"},"reason":"quantum"}}"#
        let envelope = try JobEnvelope.decode(Data(text.utf8))
        #expect(envelope.body == .voiceLeave(VoiceLeaveJob(session: Self.session, reason: .unknown)))
        #expect(TrackEndReason(rawValue: "exploded") == .other("exploded"))
        #expect(TrackEndReason.finished.mayStartNext && !TrackEndReason.replaced.mayStartNext)
    }

    @Test("trace contexts are validated; a bad one on the wire is dropped, not fatal")
    func traceContext() throws {
        #expect(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") != nil)
        #expect(TraceContext(traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx") == nil)
        let text = #"{"id":"A5B0CB3C-A2F6-4E2F-9C0D-6F1D9A0B1C2D","kind":"queueEmpty","v":1,"createdAt":0,"traceparent":"garbage","payload":{"session":{"guild":"1","channel":"2"}}}"#
        let envelope = try EventEnvelope.decode(Data(text.utf8))
        #expect(envelope.trace == nil)
    }
}
