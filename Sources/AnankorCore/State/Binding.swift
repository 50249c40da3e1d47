import Foundation

/// A music session bound to the worker that plays it.
public struct Binding: Sendable, Hashable, Codable {
    public var session: SessionKey
    public var worker: WorkerID
    public var boundAt: Date

    public init(session: SessionKey, worker: WorkerID, boundAt: Date) {
        self.session = session
        self.worker = worker
        self.boundAt = boundAt
    }
}
