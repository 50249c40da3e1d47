import AnankorCore
import Metrics
import Synchronization

/// Counts what the SQLite adapters send to the database, one per transaction (SQLite is in
/// process: a transaction is the unit a networked store would pay a round trip for), as
/// `anankor_store_round_trips_total{store="sqlite", operation, origin}` (origin: `StoreWork`). The operation is the port
/// method's name, a bounded set; the benchmark divides the total by the commands it sent.
final class StoreRoundTrips: Sendable {
    static let sqlite = StoreRoundTrips(store: "sqlite")

    let store: String
    private let counters = Mutex<[String: Counter]>([:])

    init(store: String) { self.store = store }

    /// One round trip made by `function` (a `#function` such as `bind(_:to:cap:now:)`).
    func count(_ function: String) {
        let operation = String(function.prefix { $0 != "(" })
        let origin = StoreWork.origin
        counters.withLock { counters in
            let key = origin + "/" + operation
            if let counter = counters[key] { return counter }
            let made = Counter(label: "anankor_store_round_trips_total",
                               dimensions: [("store", store), ("operation", operation), ("origin", origin)])
            counters[key] = made
            return made
        }.increment()
    }
}
