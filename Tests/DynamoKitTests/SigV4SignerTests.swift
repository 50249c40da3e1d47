import Foundation
import Testing

@testable import DynamoKit

@Suite struct SigV4SignerTests {
    let signer = SigV4Signer(
        credentials: AWSCredentials(accessKeyID: SigV4Vector.accessKeyID, secretAccessKey: SigV4Vector.secretAccessKey),
        region: "us-east-1", service: "service")

    @Test("AWS test suite vector", arguments: SigV4Vector.all)
    func publishedVector(_ vector: SigV4Vector) {
        let request = SigV4Request(
            method: vector.method, path: vector.path, query: vector.query, headers: vector.headers,
            body: Array(vector.body.utf8))
        let signed = signer.sign(request, date: Date(timeIntervalSince1970: SigV4Vector.epochSeconds))
        #expect(signed.canonicalRequest == vector.canonicalRequest)
        #expect(signed.stringToSign == vector.stringToSign)
        #expect(signed.signature == vector.signature)
        #expect(signed.authorization.hasSuffix("Signature=\(vector.signature)"))
        #expect(signed.authorization.hasPrefix(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders="))
    }

    @Test func addsDateAndSessionTokenHeadersAndSignsThem() {
        var credentials = signer.credentials
        credentials.sessionToken = "session-token-value"
        let tokenSigner = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
        let signed = tokenSigner.sign(
            SigV4Request(method: "GET", headers: [SigV4Vector.host]),
            date: Date(timeIntervalSince1970: SigV4Vector.epochSeconds))
        let added = Dictionary(uniqueKeysWithValues: signed.headersToAdd.map { ($0.name, $0.value) })
        #expect(added["X-Amz-Date"] == "20150830T123600Z")
        #expect(added["X-Amz-Security-Token"] == "session-token-value")
        #expect(signed.signedHeaders == "host;x-amz-date;x-amz-security-token")
    }

    @Test(arguments: [
        (0.0, "19700101T000000Z"), (951_782_400, "20000229T000000Z"), (1_709_251_199, "20240229T235959Z"),
        (4_102_444_800, "21000101T000000Z"),
    ])
    func formatsTimestampsInUTC(_ seconds: Double, _ expected: String) {
        #expect(AmzDate(Date(timeIntervalSince1970: seconds)).full == expected)
    }

    @Test func descriptionsNeverShowKeys() {
        let credentials = AWSCredentials(accessKeyID: "AKIAEXAMPLEKEYID", secretAccessKey: "s3cr3t/value+xyz", sessionToken: "tok-123456")
        for text in [credentials.description, "\(credentials)", String(reflecting: credentials), signer.description] {
            #expect(!text.contains("AKIAEXAMPLEKEYID"))
            #expect(!text.contains("s3cr3t"))
            #expect(!text.contains("tok-123456"))
        }
    }
}
