import Foundation
import Synchronization

/// The JSON that stores write (session records, lobbies, schedules): the same JSON as
/// `JSONEncoder()` with its default strategies, read back by `JSONDecoder` to the same value,
/// written in one pass straight into bytes.
///
/// Why: every change to a session rewrites its whole record (queue and history included), and
/// `JSONEncoder` first builds a tree of every value and then serializes it; that was the largest
/// single cost of a command in the profile (docs/performance.md). The writer here appends each
/// value where it goes as the value encodes itself.
///
/// It handles what synthesized `Codable` and single-value coding do: containers used in order,
/// each nested container finished before its parent goes on. Anything else (a `superEncoder`, a
/// container written to after a later sibling, a non-finite number, `Decimal`) makes it give up,
/// and the value is encoded by `JSONEncoder` instead, with `JSONEncoder`'s result or error.
/// Object keys keep the order they were encoded in (`JSONEncoder` does not promise any order).
public enum StoredJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        if let bytes = JSONStreamWriter.encode(value) { return Data(bytes) }
        return try JSONEncoder().encode(value)
    }
}

/// Why the streaming writer gave up; never leaves `StoredJSON`.
struct JSONStreamUnsupported: Error {}

/// The shared state of one encoding: the bytes written so far and the open containers.
final class JSONStreamWriter {
    struct Frame {
        var id: Int
        var isObject: Bool
        var count: Int
        /// The value slot the container was opened for (0 for nested containers).
        var slot: Int
    }

    // Unchecked exclusivity: one writer belongs to one `encode` call on one thread, and no access
    // to these two overlaps another (each append or frame change is done before the next starts);
    // the dynamic checks were a fifth of the writer's time.
    @exclusivity(unchecked) var out: [UInt8] = []
    /// Open containers, innermost last. Their closing brackets are written lazily: when an outer
    /// container writes again, or when the value that opened them is done.
    @exclusivity(unchecked) var frames: [Frame] = []
    var nextID = 0
    /// The value slot waiting for its value (after a key, an array separator, at the top), and
    /// whether something was written into it yet.
    var slot = 0
    var slotFilled = true
    var failed = false

    static func encode<T: Encodable>(_ value: T) -> [UInt8]? {
        let writer = JSONStreamWriter()
        writer.out.reserveCapacity(1024)
        do {
            let (slot, depth) = writer.beginSlot()
            try writer.writeValue(value, slot: slot)
            writer.closeFrames(downTo: depth)
        } catch {
            return nil
        }
        return writer.failed ? nil : writer.out
    }

    /// One entry as any value is written (never from the remembered ones).
    static func encode(_ entry: QueueEntry) -> [UInt8]? {
        let writer = JSONStreamWriter()
        writer.out.reserveCapacity(512)
        do {
            let (slot, depth) = writer.beginSlot()
            try entry.encode(to: JSONStreamEncoder(writer: writer, slot: slot))
            writer.finishSlot(slot, depth: depth)
        } catch {
            return nil
        }
        return writer.failed ? nil : writer.out
    }

    // MARK: Slots and frames

    func beginSlot() -> (slot: Int, depth: Int) {
        nextID += 1
        slot = nextID
        slotFilled = false
        return (nextID, frames.count)
    }

    /// After a value at `slot` encoded itself: its containers close, and a value that wrote
    /// nothing is an empty object, as with `JSONEncoder`.
    func finishSlot(_ id: Int, depth: Int) {
        closeFrames(downTo: depth)
        if slot == id && !slotFilled { out.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
        if slot == id { slot = 0 }
        slotFilled = true
    }

    func closeFrames(downTo depth: Int) {
        while frames.count > depth {
            let frame = frames.removeLast()
            out.append(frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Opens a container in the waiting slot `slot`; nil when that slot is not the one waiting.
    func open(isObject: Bool, slot id: Int) -> (index: Int, id: Int)? {
        if slot == id && !slotFilled {
            slotFilled = true
            return push(isObject: isObject, slot: id)
        }
        // The same value asking for its container again gets the same one.
        if let index = frames.lastIndex(where: { $0.slot == id }), frames[index].isObject == isObject,
           index == frames.count - 1 {
            return (index, frames[index].id)
        }
        failed = true
        return nil
    }

    func push(isObject: Bool, slot: Int) -> (index: Int, id: Int) {
        nextID += 1
        frames.append(Frame(id: nextID, isObject: isObject, count: 0, slot: slot))
        out.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        return (frames.count - 1, nextID)
    }

    /// Before a container at `index` writes an element: closes what was opened inside it since,
    /// writes the separator. Throws when that container was already closed (used out of order).
    func prepareWrite(index: Int, id: Int) throws {
        guard index >= 0, index < frames.count, frames[index].id == id, !failed else {
            failed = true
            throw JSONStreamUnsupported()
        }
        closeFrames(downTo: index + 1)
        if frames[index].count > 0 { out.append(UInt8(ascii: ",")) }
        frames[index].count += 1
        slot = 0
        slotFilled = true
    }

    func writeKey(_ key: some CodingKey) {
        writeString(key.stringValue)
        out.append(UInt8(ascii: ":"))
    }

    // MARK: Values

    func writeValue<T: Encodable>(_ value: T, slot id: Int) throws {
        if T.self == String.self {
            try fillSlot(id)
            writeString(unsafeBitCast(value, to: String.self))
        } else if T.self == Date.self {
            // JSONEncoder's default strategy (`deferredToDate`): seconds since 2001 as a number.
            try fillSlot(id)
            try writeDouble(unsafeBitCast(value, to: Date.self).timeIntervalSinceReferenceDate)
        } else if T.self == Data.self {
            // JSONEncoder's default strategy: base64.
            try fillSlot(id)
            writeString(unsafeBitCast(value, to: Data.self).base64EncodedString())
        } else if T.self == URL.self {
            try fillSlot(id)
            writeString(unsafeBitCast(value, to: URL.self).absoluteString)
        } else if T.self == Decimal.self {
            failed = true
            throw JSONStreamUnsupported()
        } else if T.self == QueueEntry.self {
            try writeQueueEntries(CollectionOfOne(unsafeBitCast(value, to: QueueEntry.self)), asArray: false, slot: id)
        } else if T.self == [QueueEntry].self {
            try writeQueueEntries(unsafeBitCast(value, to: [QueueEntry].self), asArray: true, slot: id)
        } else {
            let depth = frames.count
            try value.encode(to: JSONStreamEncoder(writer: self, slot: id))
            finishSlot(id, depth: depth)
        }
    }

    /// Queue or history entries: the bytes each had the last time it was written, when it is
    /// still the same entry, else written on their own and remembered. A queue is written whole,
    /// without a container per entry.
    private func writeQueueEntries(_ entries: some Collection<QueueEntry>, asArray: Bool, slot id: Int) throws {
        try fillSlot(id)
        var written = StoredQueueEntries.shared.bytes(of: entries)
        for index in written.indices where written[index] == nil {
            let entry = entries[entries.index(entries.startIndex, offsetBy: index)]
            guard let bytes = Self.encode(entry) else {
                failed = true
                throw JSONStreamUnsupported()
            }
            StoredQueueEntries.shared.remember(entry, bytes: bytes)
            written[index] = bytes
        }
        if asArray { out.append(UInt8(ascii: "[")) }
        for (index, bytes) in written.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if let bytes { out.append(contentsOf: bytes) }
        }
        if asArray { out.append(UInt8(ascii: "]")) }
    }

    /// A primitive goes into the waiting slot `id`.
    func fillSlot(_ id: Int) throws {
        guard slot == id, !slotFilled, !failed else {
            failed = true
            throw JSONStreamUnsupported()
        }
        slotFilled = true
    }

    func writeString(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            out.reserveCapacity(out.count + bytes.count + 2)
            out.append(UInt8(ascii: "\""))
            var start = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                // Most bytes need no escape: a quote, a backslash, a slash (as JSONEncoder writes
                // it) and control characters do.
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") else {
                    index += 1
                    continue
                }
                if start < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                }
                index += 1
                start = index
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Decimal digits (every integer type here is at most 64 bits wide).
    func writeInteger(_ value: some BinaryInteger) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            writeDigits(UInt64(value.magnitude))
        } else {
            writeDigits(UInt64(value))
        }
    }

    private func writeDigits(_ value: UInt64) {
        var rest = value
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64.max's 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    func writeBool(_ value: Bool) {
        if value {
            out.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            out.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"),
                                    UInt8(ascii: "e")])
        }
    }

    func writeNull() {
        out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    /// As JSONEncoder writes numbers: the shortest text that reads back to the same value, without
    /// a trailing `.0`. Infinity and NaN are JSONEncoder's error, so the writer gives up on them.
    func writeDouble(_ value: Double) throws {
        guard value.isFinite else {
            failed = true
            throw JSONStreamUnsupported()
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
    }

    func writeFloat(_ value: Float) throws {
        guard value.isFinite else {
            failed = true
            throw JSONStreamUnsupported()
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
    }
}

/// The `Encoder` a value sees: one slot of the writer.
struct JSONStreamEncoder: Encoder {
    let writer: JSONStreamWriter
    let slot: Int
    // Nothing in the stored types reads the path; an error makes `StoredJSON` encode again with
    // JSONEncoder, whose error carries the real path.
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let frame = writer.open(isObject: true, slot: slot) ?? (-1, -1)
        return KeyedEncodingContainer(JSONStreamKeyedContainer<Key>(writer: writer, index: frame.index, id: frame.id))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let frame = writer.open(isObject: false, slot: slot) ?? (-1, -1)
        return JSONStreamUnkeyedContainer(writer: writer, index: frame.index, id: frame.id)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONStreamSingleValueContainer(writer: writer, slot: slot)
    }
}

struct JSONStreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONStreamWriter
    let index: Int
    let id: Int
    var codingPath: [any CodingKey] { [] }

    private func begin(_ key: Key) throws {
        try writer.prepareWrite(index: index, id: id)
        writer.writeKey(key)
    }

    mutating func encodeNil(forKey key: Key) throws { try begin(key); writer.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key); writer.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key); writer.writeString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try begin(key); try writer.writeDouble(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try begin(key); try writer.writeFloat(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        let (slot, _) = writer.beginSlot()
        try writer.writeValue(value, slot: slot)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        do {
            try begin(key)
            let frame = writer.push(isObject: true, slot: 0)
            return KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(writer: writer, index: frame.index, id: frame.id))
        } catch {
            return KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(writer: writer, index: -1, id: -1))
        }
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        do {
            try begin(key)
            let frame = writer.push(isObject: false, slot: 0)
            return JSONStreamUnkeyedContainer(writer: writer, index: frame.index, id: frame.id)
        } catch {
            return JSONStreamUnkeyedContainer(writer: writer, index: -1, id: -1)
        }
    }

    mutating func superEncoder() -> any Encoder { unsupported() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { unsupported() }

    private func unsupported() -> any Encoder {
        writer.failed = true
        return JSONStreamEncoder(writer: writer, slot: -1)
    }
}

struct JSONStreamUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONStreamWriter
    let index: Int
    let id: Int
    var codingPath: [any CodingKey] { [] }
    private var written = 0
    var count: Int { written }

    init(writer: JSONStreamWriter, index: Int, id: Int) {
        self.writer = writer
        self.index = index
        self.id = id
    }

    private mutating func begin() throws {
        try writer.prepareWrite(index: index, id: id)
        written += 1
    }

    mutating func encodeNil() throws { try begin(); writer.writeNull() }
    mutating func encode(_ value: Bool) throws { try begin(); writer.writeBool(value) }
    mutating func encode(_ value: String) throws { try begin(); writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try begin(); try writer.writeDouble(value) }
    mutating func encode(_ value: Float) throws { try begin(); try writer.writeFloat(value) }
    mutating func encode(_ value: Int) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        let (slot, _) = writer.beginSlot()
        try writer.writeValue(value, slot: slot)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        do {
            try begin()
            let frame = writer.push(isObject: true, slot: 0)
            return KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(writer: writer, index: frame.index, id: frame.id))
        } catch {
            return KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(writer: writer, index: -1, id: -1))
        }
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        do {
            try begin()
            let frame = writer.push(isObject: false, slot: 0)
            return JSONStreamUnkeyedContainer(writer: writer, index: frame.index, id: frame.id)
        } catch {
            return JSONStreamUnkeyedContainer(writer: writer, index: -1, id: -1)
        }
    }

    mutating func superEncoder() -> any Encoder {
        writer.failed = true
        return JSONStreamEncoder(writer: writer, slot: -1)
    }
}

struct JSONStreamSingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONStreamWriter
    let slot: Int
    var codingPath: [any CodingKey] { [] }

    private func fill() throws { try writer.fillSlot(slot) }

    mutating func encodeNil() throws { try fill(); writer.writeNull() }
    mutating func encode(_ value: Bool) throws { try fill(); writer.writeBool(value) }
    mutating func encode(_ value: String) throws { try fill(); writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try fill(); try writer.writeDouble(value) }
    mutating func encode(_ value: Float) throws { try fill(); try writer.writeFloat(value) }
    mutating func encode(_ value: Int) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try fill(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try fill(); writer.writeInteger(value) }

    /// A value coded as another (a wrapper's single value) goes into the same slot.
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.writeValue(value, slot: slot) }
}

/// The JSON of queue and history entries written lately, by entry id.
///
/// Why: every change to a session rewrites its whole record, and its entries (up to the queue's
/// length plus `AdvanceRule.historyLimit`) are what most of the record is, while they almost never
/// change. Writing them was the largest cost of a command (docs/performance.md). A hit needs the
/// whole entry equal, not only its id, so a changed entry is never written with its old text.
/// Bounded: when full, it starts over (the entries of active sessions come back at their next write).
final class StoredQueueEntries: Sendable {
    static let shared = StoredQueueEntries(capacity: 4096)

    /// A class, so a lookup copies a reference rather than the entry's strings.
    private final class Remembered: Sendable {
        let entry: QueueEntry
        let bytes: [UInt8]
        init(entry: QueueEntry, bytes: [UInt8]) {
            self.entry = entry
            self.bytes = bytes
        }
    }

    private let capacity: Int
    private let remembered = Mutex<[QueueEntryID: Remembered]>([:])

    init(capacity: Int) { self.capacity = capacity }

    /// The remembered bytes of each entry, nil where there are none for that very entry.
    func bytes(of entries: some Collection<QueueEntry>) -> [[UInt8]?] {
        remembered.withLock { remembered in
            entries.map { entry in
                guard let hit = remembered[entry.id], hit.entry == entry else { return nil }
                return hit.bytes
            }
        }
    }

    func remember(_ entry: QueueEntry, bytes: [UInt8]) {
        remembered.withLock { remembered in
            if remembered.count >= capacity && remembered[entry.id] == nil { remembered.removeAll(keepingCapacity: true) }
            remembered[entry.id] = Remembered(entry: entry, bytes: bytes)
        }
    }
}
