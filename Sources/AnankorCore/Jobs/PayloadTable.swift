/// Maps a kind to the decoder of its payload, shared by `Job` and `WorkerEvent`.
struct PayloadTable<Body: Sendable>: Sendable {
    typealias Decode = @Sendable (Int, any Decoder) throws -> Body
    private let decoders: [String: Decode]

    init(_ entries: [(String, Decode)]) {
        decoders = Dictionary(entries, uniquingKeysWith: { first, _ in first })
    }

    static func entry<P: VersionedPayload>(_ type: P.Type, _ wrap: @escaping @Sendable (P) -> Body) -> (String, Decode) {
        (P.kind, { version, decoder in wrap(try P.decode(version: version, from: decoder)) })
    }

    func decode(kind: String, version: Int, from decoder: any Decoder) throws -> Body {
        guard let decode = decoders[kind] else { throw EnvelopeDecodingError.unknownKind(kind) }
        return try decode(version, decoder)
    }

    var kinds: Set<String> { Set(decoders.keys) }
}
