import AnankorCore
import Foundation

/// What the worker answered a music job: `jobAcked` once it took effect, or `jobFailed` with a
/// reason. Kept by the hold (`AnsweredJobs`), so a copy of the same envelope id is answered the
/// same way without acting again (the master may have missed the answer). `stored` is its form
/// in a claim store's result, as workers kept it before.
enum JobAnswer: Sendable, Hashable {
    case acked
    case failed(reason: String, missingPermission: Bool)

    /// The longest reason kept (the claim store holds at most 32 KiB per result).
    static let reasonLimit = 2_000

    private struct Stored: Codable {
        var failed: String?
        var missingPermission: Bool?
    }

    /// The claim result: empty for an acknowledgement (what workers stored before answers were
    /// kept, so an old completed claim reads as acknowledged), JSON for a failure.
    var stored: [UInt8] {
        switch self {
        case .acked:
            return []
        case .failed(let reason, let missingPermission):
            let data = try? JSONEncoder().encode(Stored(failed: String(reason.prefix(Self.reasonLimit)),
                                                        missingPermission: missingPermission ? true : nil))
            return data.map { Array($0) } ?? []
        }
    }

    init(stored: [UInt8]) {
        guard !stored.isEmpty, let decoded = try? JSONDecoder().decode(Stored.self, from: Data(stored)),
            let reason = decoded.failed
        else {
            self = .acked
            return
        }
        self = .failed(reason: reason, missingPermission: decoded.missingPermission ?? false)
    }

    /// The event that tells the masters, for a job of `envelope` about `session`.
    func event(for envelope: JobEnvelope, session: SessionKey) -> WorkerEvent {
        switch self {
        case .acked:
            return .jobAcked(JobAckedEvent(job: envelope.id, jobKind: envelope.body.kind, session: session))
        case .failed(let reason, let missingPermission):
            return .jobFailed(JobFailedEvent(
                job: envelope.id, jobKind: envelope.body.kind, reason: reason, guild: session.guild,
                missingPermission: missingPermission, session: session))
        }
    }
}
