import Foundation

/// Where and as whom the client talks to DynamoDB.
public struct DynamoConfiguration: Sendable, CustomStringConvertible {
    public var region: String
    /// The base URL, e.g. `https://dynamodb.eu-west-1.amazonaws.com` or `http://127.0.0.1:8000`.
    public var endpoint: Endpoint
    public var credentials: AWSCredentials
    public var retry: RetryPolicy
    /// The limit for one HTTP request (each retry gets its own).
    public var requestTimeout: Duration

    /// - Parameters:
    ///   - endpoint: defaults to the public regional endpoint.
    public init(
        region: String, credentials: AWSCredentials, endpoint: Endpoint? = nil,
        retry: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(10)
    ) {
        self.region = region
        self.credentials = credentials
        self.endpoint = endpoint ?? Endpoint(scheme: "https", host: "dynamodb.\(region).amazonaws.com", port: nil)
        self.retry = retry
        self.requestTimeout = requestTimeout
    }

    public var description: String {
        "DynamoConfiguration(region: \(region), endpoint: \(endpoint), credentials: \(credentials))"
    }

    /// A malformed or missing setting, naming the variable and what is expected.
    public struct SettingError: Error, CustomStringConvertible, Sendable {
        public var key: String
        public var expected: String
        public var description: String { "\(key): \(expected)" }
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN`,
    /// `AWS_REGION` (falls back to `AWS_DEFAULT_REGION`; `us-east-1` when an endpoint override is
    /// set) and optional `DYNAMODB_ENDPOINT`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SettingError) -> DynamoConfiguration {
        func value(_ key: String) -> String? {
            guard let text = environment[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                return nil
            }
            return text
        }
        var endpoint: Endpoint?
        if let text = value("DYNAMODB_ENDPOINT") {
            guard let parsed = Endpoint(text) else {
                throw SettingError(key: "DYNAMODB_ENDPOINT", expected: "an http(s) URL such as http://localhost:8000")
            }
            endpoint = parsed
        }
        guard let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? (endpoint == nil ? nil : "us-east-1")
        else {
            throw SettingError(key: "AWS_REGION", expected: "the AWS region of the table, e.g. eu-west-1")
        }
        guard let accessKey = value("AWS_ACCESS_KEY_ID") else {
            throw SettingError(key: "AWS_ACCESS_KEY_ID", expected: "an AWS access key id")
        }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw SettingError(key: "AWS_SECRET_ACCESS_KEY", expected: "the secret for AWS_ACCESS_KEY_ID")
        }
        let credentials = AWSCredentials(
            accessKeyID: accessKey, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        return DynamoConfiguration(region: region, credentials: credentials, endpoint: endpoint)
    }
}

/// An HTTP(S) base URL without a path.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int?

    public init(scheme: String, host: String, port: Int?) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Parses `http://host:port` or `https://host`; a path other than `/` is refused.
    public init?(_ text: String) {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.path.isEmpty || components.path == "/"
        else { return nil }
        self.init(scheme: scheme, host: host, port: components.port)
    }

    /// The `Host` header: the port only when it is not the scheme's default.
    public var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    public var url: String { "\(scheme)://\(hostHeader)/" }

    public var description: String { url }
}

/// Exponential backoff with full jitter: attempt n waits a random time in
/// `0 ... min(maxDelay, baseDelay · 2ⁿ)`.
public struct RetryPolicy: Sendable {
    /// Total tries including the first.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 8, baseDelay: Duration = .milliseconds(25), maxDelay: Duration = .seconds(5)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before retry number `attempt` (1 for the first retry).
    public func delay(beforeRetry attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }
}
