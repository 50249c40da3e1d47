public enum HTTPVerb: String, Sendable, Hashable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
}

/// One REST call's route: the real path, the template it buckets by, and its major parameter
/// (channel, guild, or webhook id + token) because Discord splits buckets by those.
public struct RESTRoute: Sendable, Hashable, CustomStringConvertible {
    public var verb: HTTPVerb
    /// The path with real values, percent-safe (ids and tokens are URL-safe).
    var path: String
    /// `verb` + path with parameters replaced by names: safe to log.
    public var template: String
    /// Identifies the top-level resource; a token is hashed, never stored.
    var majorParameter: String
    var query: [(String, String)]
    /// Interaction callbacks and followups are exempt from the global limit.
    var countsTowardGlobal: Bool
    var authenticated: Bool

    init(_ verb: HTTPVerb, _ path: String, template: String, major: String = "", query: [(String, String)] = [],
         countsTowardGlobal: Bool = true, authenticated: Bool = true) {
        self.verb = verb
        self.path = path
        self.template = "\(verb.rawValue) \(template)"
        self.majorParameter = major
        self.query = query
        self.countsTowardGlobal = countsTowardGlobal
        self.authenticated = authenticated
    }

    public var description: String { template }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.verb == rhs.verb && lhs.path == rhs.path && lhs.query.map { "\($0)=\($1)" } == rhs.query.map { "\($0)=\($1)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(verb)
        hasher.combine(path)
    }

    /// The major parameter for routes under a webhook or interaction token: the id and a hash of the
    /// token, so the limiter's keys never hold a secret.
    static func webhookMajor(_ id: UInt64, token: String) -> String {
        var hasher = Hasher()
        hasher.combine(token)
        return "webhook:\(id):\(hasher.finalize())"
    }
}
