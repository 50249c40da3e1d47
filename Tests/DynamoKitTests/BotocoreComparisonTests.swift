import Foundation
import Testing

@testable import DynamoKit

/// Signs the same requests with botocore's `SigV4Auth` (the signer of the AWS CLI and boto3) and
/// with ours; the `Authorization` headers must be identical.
@Suite struct BotocoreComparisonTests {
    struct Case: Encodable {
        var method: String
        var url: String
        var headers: [[String]]
        var body: String
        var accessKey: String
        var secretKey: String
        var token: String?
        var service: String
        var region: String
    }

    /// Fixed instant for both signers: 2026-02-03T04:05:06Z.
    static let epochSeconds = 1_770_091_506

    static let script = """
        import datetime, json, sys
        import botocore.auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        spec = json.load(sys.stdin)
        fixed = datetime.datetime.fromtimestamp(spec["time"], datetime.timezone.utc).replace(tzinfo=None)
        botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
        out = []
        for case in spec["cases"]:
            request = AWSRequest(method=case["method"], url=case["url"], headers=dict(case["headers"]),
                                 data=case["body"].encode())
            credentials = Credentials(case["accessKey"], case["secretKey"], case.get("token"))
            botocore.auth.SigV4Auth(credentials, case["service"], case["region"]).add_auth(request)
            out.append(request.headers["Authorization"])
        print(json.dumps(out))
        """

    static let cases: [Case] = [
        Case(
            method: "POST", url: "https://dynamodb.eu-west-1.amazonaws.com/",
            headers: [
                ["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", "DynamoDB_20120810.PutItem"],
            ],
            body: #"{"TableName":"anankor","Item":{"pk":{"S":"GUILD#1"},"sk":{"S":"SETTINGS"}}}"#,
            accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token: nil,
            service: "dynamodb", region: "eu-west-1"),
        Case(
            method: "POST", url: "https://dynamodb.us-west-2.amazonaws.com/",
            headers: [
                ["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", "DynamoDB_20120810.Query"],
            ],
            body: ##"{"TableName":"t","KeyConditionExpression":"#pk = :pk"}"##,
            accessKey: "ASIATEMPORARYKEY", secretKey: "temporary/secret+key", token: "FwoGZXIvYXdzEXAMPLE//token==",
            service: "dynamodb", region: "us-west-2"),
        Case(
            method: "POST", url: "http://127.0.0.1:8000/",
            headers: [
                ["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", "DynamoDB_20120810.GetItem"],
            ],
            body: "{}", accessKey: "local", secretKey: "local", token: nil, service: "dynamodb",
            region: "us-east-1"),
        Case(
            method: "GET", url: "https://example.amazonaws.com/some/path",
            headers: [["My-Header", "  spaced   value  "], ["X-Custom", "x"]], body: "", accessKey: "AKID",
            secretKey: "secret", token: nil, service: "service", region: "ap-southeast-2"),
    ]

    @Test func authorizationHeadersMatchBotocore() async throws {
        struct Spec: Encodable {
            var time: Int
            var cases: [Case]
        }
        let input = try JSONEncoder().encode(Spec(time: Self.epochSeconds, cases: Self.cases))
        let output = try await runPython(Self.script, stdin: input)
        let expected = try JSONDecoder().decode([String].self, from: output)
        try #require(expected.count == Self.cases.count)
        for (index, testCase) in Self.cases.enumerated() {
            #expect(try sign(testCase) == expected[index], "case \(index): \(testCase.url)")
        }
    }

    private func sign(_ testCase: Case) throws -> String {
        let url = try #require(URLComponents(string: testCase.url))
        let endpoint = Endpoint(scheme: url.scheme ?? "https", host: url.host ?? "", port: url.port)
        let path = url.path
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: testCase.accessKey, secretAccessKey: testCase.secretKey, sessionToken: testCase.token),
            region: testCase.region, service: testCase.service)
        let headers = [(name: "Host", value: endpoint.hostHeader)]
            + testCase.headers.map { (name: $0[0], value: $0[1]) }
        let request = SigV4Request(
            method: testCase.method, path: path.isEmpty ? "/" : path, headers: headers, body: Array(testCase.body.utf8))
        return signer.sign(request, date: Date(timeIntervalSince1970: Double(Self.epochSeconds))).authorization
    }
}

/// Runs `python3 -c script` with `stdin`, failing (never hanging) after 60 seconds.
func runPython(_ script: String, stdin: Data) async throws -> Data {
    struct PythonError: Error, CustomStringConvertible {
        var description: String
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    do {
        try process.run()
    } catch {
        throw PythonError(description: "python3 could not be started (\(error)); scripts/test installs botocore")
    }
    input.fileHandleForWriting.write(stdin)
    try input.fileHandleForWriting.close()
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(60))
    while process.isRunning {
        guard clock.now < deadline else {
            process.terminate()
            throw PythonError(description: "python3 did not finish within 60 s")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    guard process.terminationStatus == 0 else {
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw PythonError(description: "python3 failed (scripts/test installs botocore): \(message.suffix(600))")
    }
    return data
}
