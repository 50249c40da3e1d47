import Foundation

/// Encodes `Encodable` Swift values as DynamoDB attribute values.
///
/// Mapping: strings → `S`; integers and floating point → `N`; `Bool` → `BOOL`; `Data` → `B`;
/// `Date` → `N` (seconds since 1970, the form DynamoDB's TTL reads); arrays → `L`; structs and
/// string-keyed dictionaries → `M`; an explicit `nil` → `NULL`. Optional properties that are `nil`
/// are left out of the item, as `encodeIfPresent` does.
public struct AttributeValueEncoder: Sendable {
    public init() {}

    /// Encodes `value` as a top-level item; it must encode to a map (a struct or a dictionary).
    public func encode<T: Encodable>(_ value: T) throws -> Item {
        guard case .m(let item) = try encodeValue(value) else {
            throw EncodingError.invalidValue(value, .init(
                codingPath: [], debugDescription: "an item must encode as a map (struct or dictionary)"))
        }
        return item
    }

    /// Encodes `value` as a single attribute value.
    public func encodeValue<T: Encodable>(_ value: T) throws -> AttributeValue {
        let box = EncodingBox()
        try box.store(value, codingPath: [])
        return box.resolve()
    }
}

/// A node of the value being built; containers hand out child boxes that are filled later.
private final class EncodingBox {
    private enum Content {
        case empty
        case leaf(AttributeValue)
        case map([String: EncodingBox])
        case list([EncodingBox])
    }

    private var content: Content = .empty

    func resolve() -> AttributeValue {
        switch content {
        case .empty: return .m([:])
        case .leaf(let value): return value
        case .map(let children): return .m(children.mapValues { $0.resolve() })
        case .list(let children): return .l(children.map { $0.resolve() })
        }
    }

    func set(_ value: AttributeValue) { content = .leaf(value) }

    func makeMap() {
        if case .map = content { return }
        content = .map([:])
    }

    func makeList() {
        if case .list = content { return }
        content = .list([])
    }

    func child(forKey key: String) -> EncodingBox {
        makeMap()
        let box = EncodingBox()
        if case .map(var children) = content {
            content = .empty  // keeps the dictionary uniquely referenced while it is edited
            children[key] = box
            content = .map(children)
        }
        return box
    }

    func appendChild() -> EncodingBox {
        makeList()
        let box = EncodingBox()
        if case .list(var children) = content {
            content = .empty
            children.append(box)
            content = .list(children)
        }
        return box
    }

    var listCount: Int {
        if case .list(let children) = content { return children.count }
        return 0
    }

    func store<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        switch value {
        case let data as Data: set(.b(Array(data)))
        case let date as Date: set(.n(AttributeNumber.format(date.timeIntervalSince1970)))
        case let decimal as Decimal: set(.n(decimal.description))
        case let attribute as AttributeValue: set(attribute)
        default: try value.encode(to: BoxEncoder(box: self, codingPath: codingPath))
        }
    }
}

enum AttributeNumber {
    /// Whole numbers without a fraction (`1700000000`, not `1700000000.0`).
    static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 9e15 { return String(Int64(value)) }
        return String(value)
    }

    static func check(_ value: Double, codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(
                codingPath: codingPath, debugDescription: "DynamoDB numbers must be finite"))
        }
    }
}

private struct BoxEncoder: Encoder {
    let box: EncodingBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.makeMap()
        return KeyedEncodingContainer(KeyedBoxContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.makeList()
        return UnkeyedBoxContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleBoxContainer(box: box, codingPath: codingPath)
    }
}

private struct KeyedBoxContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: EncodingBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.child(forKey: key.stringValue).set(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try box.child(forKey: key.stringValue).store(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        BoxEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key])
            .container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        BoxEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key])
            .unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        BoxEncoder(box: box.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        BoxEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedBoxContainer: UnkeyedEncodingContainer {
    let box: EncodingBox
    let codingPath: [any CodingKey]
    var count: Int { box.listCount }

    mutating func encodeNil() throws { box.appendChild().set(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = IndexKey(count)
        try box.appendChild().store(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let key = IndexKey(count)
        return BoxEncoder(box: box.appendChild(), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = IndexKey(count)
        return BoxEncoder(box: box.appendChild(), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        BoxEncoder(box: box.appendChild(), codingPath: codingPath)
    }
}

private struct SingleBoxContainer: SingleValueEncodingContainer {
    let box: EncodingBox
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.set(.null) }
    mutating func encode(_ value: Bool) throws { box.set(.bool(value)) }
    mutating func encode(_ value: String) throws { box.set(.s(value)) }
    mutating func encode(_ value: Double) throws {
        try AttributeNumber.check(value, codingPath: codingPath)
        box.set(.n(AttributeNumber.format(value)))
    }
    mutating func encode(_ value: Float) throws { try encode(Double(value)) }
    mutating func encode(_ value: Int) throws { box.set(.number(value)) }
    mutating func encode(_ value: Int8) throws { box.set(.number(value)) }
    mutating func encode(_ value: Int16) throws { box.set(.number(value)) }
    mutating func encode(_ value: Int32) throws { box.set(.number(value)) }
    mutating func encode(_ value: Int64) throws { box.set(.number(value)) }
    mutating func encode(_ value: UInt) throws { box.set(.number(value)) }
    mutating func encode(_ value: UInt8) throws { box.set(.number(value)) }
    mutating func encode(_ value: UInt16) throws { box.set(.number(value)) }
    mutating func encode(_ value: UInt32) throws { box.set(.number(value)) }
    mutating func encode(_ value: UInt64) throws { box.set(.number(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try box.store(value, codingPath: codingPath) }
}
