import Testing

@testable import DynamoKit

@Suite struct ConfigurationTests {
    @Test func readsCredentialsRegionAndEndpointFromTheEnvironment() throws {
        let configuration = try DynamoConfiguration.fromEnvironment([
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_SESSION_TOKEN": "TOKEN",
            "AWS_REGION": "eu-central-1", "DYNAMODB_ENDPOINT": "http://localhost:8000",
        ])
        #expect(configuration.region == "eu-central-1")
        #expect(configuration.credentials == AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN"))
        #expect(configuration.endpoint.hostHeader == "localhost:8000")
        #expect(!configuration.description.contains("SECRET"))
        #expect(!configuration.description.contains("TOKEN"))
    }

    @Test func defaultsToTheRegionalEndpoint() throws {
        let configuration = try DynamoConfiguration.fromEnvironment([
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_REGION": "ap-south-1",
        ])
        #expect(configuration.endpoint.url == "https://dynamodb.ap-south-1.amazonaws.com/")
        #expect(configuration.credentials.sessionToken == nil)
    }

    @Test(arguments: [
        (["AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "r"], "AWS_ACCESS_KEY_ID"),
        (["AWS_ACCESS_KEY_ID": "a", "AWS_REGION": "r"], "AWS_SECRET_ACCESS_KEY"),
        (["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s"], "AWS_REGION"),
        (["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s", "DYNAMODB_ENDPOINT": "ftp://x"], "DYNAMODB_ENDPOINT"),
    ])
    func namesTheMissingOrMalformedKey(_ environment: [String: String], _ key: String) {
        let error = #expect(throws: DynamoConfiguration.SettingError.self) {
            try DynamoConfiguration.fromEnvironment(environment)
        }
        #expect(error?.key == key)
    }
}
