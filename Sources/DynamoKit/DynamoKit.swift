/// DynamoDB JSON-protocol client with SigV4. Knows nothing of Anankor.
public enum DynamoAPI {
    /// The `X-Amz-Target` prefix of every DynamoDB operation.
    public static let targetPrefix = "DynamoDB_20120810"
}
