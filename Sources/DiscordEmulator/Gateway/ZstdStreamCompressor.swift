#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `compress=zstd-stream`: one zstd stream per connection, each payload flushed (`ZSTD_e_flush`)
/// into one binary frame, as Discord sends it.
///
/// zstd is bound at run time from the system's shared library (`libzstd.so.1`), so building needs
/// no zstd headers; where the library is missing the emulator answers `zstd-stream` with plain
/// text frames, like any other `compress` value it does not offer.
final class ZstdStreamCompressor {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let library: ZstdCompressionLibrary
    private let context: OpaquePointer

    /// nil when libzstd cannot be loaded.
    init?() {
        guard let library = ZstdCompressionLibrary.shared, let context = library.createCCtx() else { return nil }
        self.library = library
        self.context = context
    }

    deinit { _ = library.freeCCtx(context) }

    func compress(_ text: String) throws -> [UInt8] {
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: max(256, input.count / 2 + 128))
        var written = 0
        try input.withUnsafeMutableBytes { source in
            var inBuffer = ZstdBuffer(pointer: source.baseAddress, size: source.count, position: 0)
            while true {
                if written == output.count { output.append(contentsOf: repeatElement(0, count: output.count)) }
                let remaining = try output.withUnsafeMutableBytes { destination in
                    var outBuffer = ZstdBuffer(pointer: destination.baseAddress, size: destination.count, position: written)
                    defer { written = outBuffer.position }
                    let result = library.compressStream2(context, &outBuffer, &inBuffer, 1)  // ZSTD_e_flush
                    guard library.isError(result) == 0 else {
                        throw Failure(description: "zstd compression failed: \(library.errorName(result))")
                    }
                    return result
                }
                // 0: the input is consumed and everything is flushed.
                if remaining == 0 && inBuffer.position == inBuffer.size { break }
            }
        }
        return Array(output[..<written])
    }
}

/// `ZSTD_inBuffer` / `ZSTD_outBuffer`: a pointer and two `size_t`s, laid out as in C.
struct ZstdBuffer {
    var pointer: UnsafeMutableRawPointer?
    var size: Int
    var position: Int
}

/// The few libzstd functions the emulator needs, looked up once with `dlopen`/`dlsym`.
///
/// `@unchecked Sendable`: every stored property is an immutable C function pointer set in
/// `init`; libzstd's functions are safe to call from any thread on distinct contexts, and each
/// context (`ZstdStreamCompressor`) is used by one connection's writer task only.
final class ZstdCompressionLibrary: @unchecked Sendable {
    typealias CreateCCtx = @convention(c) () -> OpaquePointer?
    typealias FreeCCtx = @convention(c) (OpaquePointer?) -> Int
    typealias CompressStream2 = @convention(c) (
        OpaquePointer?, UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int32
    ) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32
    typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>?

    let createCCtx: CreateCCtx
    let freeCCtx: FreeCCtx
    private let compressStream2Function: CompressStream2
    let isError: IsError
    private let errorNameFunction: ErrorName

    static let shared = ZstdCompressionLibrary()

    private init?() {
        var handle: UnsafeMutableRawPointer?
        for name in ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib"] {
            handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)
            if handle != nil { break }
        }
        guard let handle,
            let create = dlsym(handle, "ZSTD_createCCtx"), let free = dlsym(handle, "ZSTD_freeCCtx"),
            let compress = dlsym(handle, "ZSTD_compressStream2"), let isError = dlsym(handle, "ZSTD_isError"),
            let errorName = dlsym(handle, "ZSTD_getErrorName")
        else { return nil }
        self.createCCtx = unsafeBitCast(create, to: CreateCCtx.self)
        self.freeCCtx = unsafeBitCast(free, to: FreeCCtx.self)
        self.compressStream2Function = unsafeBitCast(compress, to: CompressStream2.self)
        self.isError = unsafeBitCast(isError, to: IsError.self)
        self.errorNameFunction = unsafeBitCast(errorName, to: ErrorName.self)
    }

    func compressStream2(
        _ context: OpaquePointer, _ output: inout ZstdBuffer, _ input: inout ZstdBuffer, _ directive: Int32
    ) -> Int {
        withUnsafeMutableBytes(of: &output) { outPointer in
            withUnsafeMutableBytes(of: &input) { inPointer in
                compressStream2Function(context, outPointer.baseAddress!, inPointer.baseAddress!, directive)
            }
        }
    }

    func errorName(_ code: Int) -> String {
        errorNameFunction(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
