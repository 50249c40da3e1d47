import Crypto
import Foundation

/// An HTTP request as AWS Signature Version 4 sees it.
public struct SigV4Request: Sendable {
    public var method: String
    /// The absolute path, not yet percent-encoded (`/`, `/example space/`).
    public var path: String
    /// Query parameters, not yet percent-encoded, in any order.
    public var query: [(name: String, value: String)]
    /// Headers in any order and case; repeated names are allowed. Must include `Host`.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        method: String, path: String = "/", query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// Every stage of a signature, so tests can compare each one with published vectors.
public struct SigV4Signature: Sendable {
    public var canonicalRequest: String
    public var stringToSign: String
    public var signature: String
    public var signedHeaders: String
    /// The value of the `Authorization` header.
    public var authorization: String
    /// Headers the signer added and the request must carry (`X-Amz-Date`, `X-Amz-Security-Token`,
    /// `Authorization`).
    public var headersToAdd: [(name: String, value: String)]
}

/// AWS Signature Version 4 (HMAC-SHA256, header form).
///
/// Paths are encoded once and never normalized, which is what DynamoDB (always `/`) and the
/// suite's `*-unnormalized` cases expect.
public struct SigV4Signer: Sendable, CustomStringConvertible {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    /// Headers that proxies may change, so they are never signed (the list botocore uses).
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
        "content-length",
    ]

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    public var description: String { "SigV4Signer(region: \(region), service: \(service))" }

    /// Signs `request` as of `date`. Adds `X-Amz-Date` unless the request already has it, and
    /// `X-Amz-Security-Token` when the credentials carry a session token.
    public func sign(_ request: SigV4Request, date: Date) -> SigV4Signature {
        let timestamp = AmzDate(date)
        var headers = request.headers
        var added: [(name: String, value: String)] = []
        if !headers.contains(where: { $0.name.lowercased() == "x-amz-date" }) {
            added.append((name: "X-Amz-Date", value: timestamp.full))
        }
        if let token = credentials.sessionToken {
            headers.removeAll { $0.name.lowercased() == "x-amz-security-token" }
            added.append((name: "X-Amz-Security-Token", value: token))
        }
        headers += added

        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let canonicalRequest = [
            request.method.uppercased(),
            Self.canonicalURI(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            "",
            signedHeaders,
            Self.hex(SHA256.hash(data: request.body)),
        ].joined(separator: "\n")

        let scope = "\(timestamp.day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256",
            timestamp.full,
            scope,
            Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        let signature = Self.hex(signingKey(day: timestamp.day).authenticate(stringToSign))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        added.append((name: "Authorization", value: authorization))
        return SigV4Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            signedHeaders: signedHeaders, authorization: authorization, headersToAdd: added)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: key.authenticate(part))
        }
        return key
    }

    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let lower = name.lowercased().trimmingCharacters(in: .whitespaces)
            guard !unsignedHeaders.contains(lower) else { continue }
            values[lower, default: []].append(trimAll(value))
        }
        let names = values.keys.sorted()
        let canonical = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))" }
        return (canonical.joined(separator: "\n"), names.joined(separator: ";"))
    }

    /// Trims the value and collapses runs of whitespace into one space.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }

    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { uriEncode(String($0)) }
            .joined(separator: "/")
    }

    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (uriEncode($0.name), uriEncode($0.value)) }
        let sorted = encoded.sorted { lhs, rhs in lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// RFC 3986 encoding: everything but `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper-case hex).
    static func uriEncode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%"
                result += hexDigits[Int(byte >> 4)]
                result += hexDigits[Int(byte & 0x0f)]
            }
        }
        return result
    }

    private static let hexDigits = "0123456789ABCDEF".map { String($0) }

    /// `A-Z a-z 0-9 - . _ ~`
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: true
        default: false
        }
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension SymmetricKey {
    fileprivate func authenticate(_ message: String) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: self)
    }
}

/// `20150830T123600Z` and `20150830`, computed in UTC without a calendar or locale.
struct AmzDate {
    let full: String
    let day: String

    init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, dayOfMonth) = Self.civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        day = pad(year, 4) + pad(month, 2) + pad(dayOfMonth, 2)
        full = day + "T" + pad(secondOfDay / 3600, 2) + pad(secondOfDay / 60 % 60, 2)
            + pad(secondOfDay % 60, 2) + "Z"
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
