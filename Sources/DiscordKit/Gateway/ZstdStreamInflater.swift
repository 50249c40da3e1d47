#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import NIOCore

/// Gateway transport compression (`compress=zstd-stream`): one zstd decompression context for the
/// whole connection; every binary frame is one flushed block of the stream and decompresses to
/// exactly one JSON payload.
///
/// zstd is bound at run time from the system's shared library (`libzstd.so.1`) so that building
/// needs no zstd headers; `isAvailable` says whether it loaded, and `GatewayShard` falls back to
/// `zlib-stream` when it did not.
///
/// Not thread-safe by design: one per connection, used by the task that reads that connection.
public final class ZstdStreamInflater: GatewayFrameInflater {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Reason: Sendable { case unavailable, corrupt, tooLarge }
        public let reason: Reason
        public var description: String {
            switch reason {
            case .unavailable: "libzstd (libzstd.so.1) could not be loaded"
            case .corrupt: "the compressed gateway stream is corrupt"
            case .tooLarge: "a compressed gateway payload inflates beyond the size limit"
            }
        }
    }

    /// Whether the system's libzstd could be loaded.
    public static var isAvailable: Bool { ZstdDecompressionLibrary.shared != nil }

    private let library: ZstdDecompressionLibrary
    private let context: OpaquePointer
    private let maxPayloadSize: Int

    public init(maxPayloadSize: Int = 32 << 20) throws {
        guard let library = ZstdDecompressionLibrary.shared, let context = library.createDCtx() else {
            throw Failure(reason: .unavailable)
        }
        self.library = library
        self.context = context
        self.maxPayloadSize = maxPayloadSize
    }

    deinit { _ = library.freeDCtx(context) }

    /// Decompresses one binary frame into its payload.
    public func feed(_ frame: ByteBuffer) throws -> ByteBuffer? {
        var input = Array(frame.readableBytesView)
        var output = [UInt8](repeating: 0, count: max(1024, input.count * 4))
        var written = 0
        try input.withUnsafeMutableBytes { source in
            var inBuffer = ZstdStreamBuffer(pointer: source.baseAddress, size: source.count, position: 0)
            while true {
                if written == output.count {
                    guard output.count < maxPayloadSize else { throw Failure(reason: .tooLarge) }
                    output.append(contentsOf: repeatElement(0, count: min(output.count, maxPayloadSize - output.count)))
                }
                try output.withUnsafeMutableBytes { destination in
                    var outBuffer = ZstdStreamBuffer(pointer: destination.baseAddress, size: destination.count,
                                                     position: written)
                    defer { written = outBuffer.position }
                    let result = library.decompressStream(context, &outBuffer, &inBuffer)
                    guard library.isError(result) == 0 else { throw Failure(reason: .corrupt) }
                }
                // Done when the frame is consumed and the output was not filled (nothing held back).
                if inBuffer.position == inBuffer.size && written < output.count { break }
            }
        }
        return written == 0 ? nil : ByteBuffer(bytes: output[..<written])
    }
}

/// One way of undoing a gateway connection's transport compression, frame by frame.
public protocol GatewayFrameInflater: AnyObject {
    /// Feeds one binary frame; returns a payload when the frame completed one.
    func feed(_ frame: ByteBuffer) throws -> ByteBuffer?
}

extension ZlibStreamInflater: GatewayFrameInflater {}

/// `ZSTD_inBuffer` / `ZSTD_outBuffer`: a pointer and two `size_t`s, laid out as in C.
struct ZstdStreamBuffer {
    var pointer: UnsafeMutableRawPointer?
    var size: Int
    var position: Int
}

/// The few libzstd functions DiscordKit needs, looked up once with `dlopen`/`dlsym`.
///
/// `@unchecked Sendable`: every stored property is an immutable C function pointer set in
/// `init`; libzstd's functions are safe to call from any thread on distinct contexts, and each
/// context (`ZstdStreamInflater`) is used by one connection's reader only.
final class ZstdDecompressionLibrary: @unchecked Sendable {
    typealias CreateDCtx = @convention(c) () -> OpaquePointer?
    typealias FreeDCtx = @convention(c) (OpaquePointer?) -> Int
    typealias DecompressStream = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32

    let createDCtx: CreateDCtx
    let freeDCtx: FreeDCtx
    private let decompressStreamFunction: DecompressStream
    let isError: IsError

    static let shared = ZstdDecompressionLibrary()

    private init?() {
        var handle: UnsafeMutableRawPointer?
        for name in ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib"] {
            handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)
            if handle != nil { break }
        }
        guard let handle,
            let create = dlsym(handle, "ZSTD_createDCtx"), let free = dlsym(handle, "ZSTD_freeDCtx"),
            let decompress = dlsym(handle, "ZSTD_decompressStream"), let isError = dlsym(handle, "ZSTD_isError")
        else { return nil }
        self.createDCtx = unsafeBitCast(create, to: CreateDCtx.self)
        self.freeDCtx = unsafeBitCast(free, to: FreeDCtx.self)
        self.decompressStreamFunction = unsafeBitCast(decompress, to: DecompressStream.self)
        self.isError = unsafeBitCast(isError, to: IsError.self)
    }

    func decompressStream(_ context: OpaquePointer, _ output: inout ZstdStreamBuffer, _ input: inout ZstdStreamBuffer) -> Int {
        withUnsafeMutableBytes(of: &output) { outPointer in
            withUnsafeMutableBytes(of: &input) { inPointer in
                decompressStreamFunction(context, outPointer.baseAddress!, inPointer.baseAddress!)
            }
        }
    }
}
