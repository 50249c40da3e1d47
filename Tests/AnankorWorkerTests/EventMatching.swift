import AnankorCore

/// Pattern helpers so tests can say `recorder.wait(for: …) { $0.trackStart }`.
extension WorkerEvent {
    var trackStart: TrackStartEvent? { if case .trackStart(let event) = self { event } else { nil } }
    var trackEnd: TrackEndEvent? { if case .trackEnd(let event) = self { event } else { nil } }
    var voiceDisconnected: VoiceDisconnectedEvent? {
        if case .voiceDisconnected(let event) = self { event } else { nil }
    }
    var workerOnline: WorkerOnlineEvent? { if case .workerOnline(let event) = self { event } else { nil } }
    var workerOffline: WorkerOfflineEvent? { if case .workerOffline(let event) = self { event } else { nil } }
    var jobFailed: JobFailedEvent? { if case .jobFailed(let event) = self { event } else { nil } }
    var jobAcked: JobAckedEvent? { if case .jobAcked(let event) = self { event } else { nil } }
    var tempChannelCreated: TempChannelCreatedEvent? {
        if case .tempChannelCreated(let event) = self { event } else { nil }
    }
    var playerUpdate: PlayerUpdateEvent? { if case .playerUpdate(let event) = self { event } else { nil } }
}
