import CompressNIO
public import NIOCore

/// Gateway transport compression (`compress=zlib-stream`): one inflate context for the whole
/// connection; binary frames are buffered until one ends with `00 00 FF FF` (Z_SYNC_FLUSH), then
/// the buffered bytes inflate to exactly one JSON payload.
///
/// Not thread-safe by design: one per connection, used by the task that reads that connection.
public final class ZlibStreamInflater {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Reason: Sendable { case corrupt, tooLarge }
        public let reason: Reason
        public var description: String {
            switch reason {
            case .corrupt: "the compressed gateway stream is corrupt"
            case .tooLarge: "a compressed gateway payload inflates beyond the size limit"
            }
        }
    }

    private let decompressor: ZlibDecompressor
    private var pending: ByteBuffer
    private let maxPayloadSize: Int
    private static let suffix: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    public init(maxPayloadSize: Int = 32 << 20) throws {
        self.decompressor = try ZlibDecompressor(algorithm: .zlib)
        self.pending = ByteBuffer()
        self.maxPayloadSize = maxPayloadSize
    }

    /// Feeds one binary frame; returns the inflated payload when the frame completed one.
    public func feed(_ frame: ByteBuffer) throws -> ByteBuffer? {
        guard pending.readableBytes + frame.readableBytes <= maxPayloadSize else {
            pending.clear()
            throw Failure(reason: .tooLarge)
        }
        var frame = frame
        pending.writeBuffer(&frame)
        guard pending.readableBytes >= 4,
              pending.getBytes(at: pending.writerIndex - 4, length: 4) == Self.suffix
        else { return nil }
        defer { pending.clear() }
        return try inflate(&pending)
    }

    private func inflate(_ input: inout ByteBuffer) throws -> ByteBuffer {
        var output = ByteBuffer()
        output.reserveCapacity(max(1024, input.readableBytes * 4))
        while true {
            if output.writableBytes == 0 {
                guard output.capacity < maxPayloadSize else { throw Failure(reason: .tooLarge) }
                output.reserveCapacity(min(maxPayloadSize, output.capacity * 2))
            }
            do {
                try decompressor.inflate(from: &input, to: &output)
                if input.readableBytes == 0 { return output }
            } catch let error as CompressNIOError where error == .bufferOverflow {
                continue
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                return output
            } catch {
                throw Failure(reason: .corrupt)
            }
        }
    }
}
