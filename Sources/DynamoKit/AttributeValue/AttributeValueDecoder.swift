import Foundation

/// Decodes `Decodable` Swift values from DynamoDB attribute values (the inverse of
/// `AttributeValueEncoder`). A missing attribute decodes as `nil` for optionals; `SS`, `NS` and
/// `BS` sets decode wherever an array is expected.
public struct AttributeValueDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from item: Item) throws -> T {
        try decode(type, from: .m(item))
    }

    public func decode<T: Decodable>(_ type: T.Type, from value: AttributeValue) throws -> T {
        try ValueDecoder(value: value, codingPath: []).decodeValue(type)
    }
}

private struct ValueDecoder: Decoder {
    let value: AttributeValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Data.Type:
            guard case .b(let bytes) = value else { throw mismatch(type, "B") }
            return try cast(Data(bytes))
        case is Date.Type:
            guard let seconds = value.doubleValue else { throw mismatch(type, "N") }
            return try cast(Date(timeIntervalSince1970: seconds))
        case is Decimal.Type:
            guard case .n(let text) = value, let decimal = Decimal(string: text) else {
                throw mismatch(type, "N")
            }
            return try cast(decimal)
        case is AttributeValue.Type:
            return try cast(value)
        default:
            return try T(from: self)
        }
    }

    private func cast<T, U>(_ value: U) throws -> T {
        guard let result = value as? T else { throw mismatch(T.self, "\(U.self)") }
        return result
    }

    func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        .typeMismatch(type, .init(
            codingPath: codingPath,
            debugDescription: "expected \(expected), found \(value.typeName)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .m(let map) = value else { throw mismatch([String: Any].self, "M") }
        return KeyedDecodingContainer(KeyedValueContainer<Key>(map: map, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let elements: [AttributeValue]
        switch value {
        case .l(let list): elements = list
        case .ss(let strings): elements = strings.map { .s($0) }
        case .ns(let numbers): elements = numbers.map { .n($0) }
        case .bs(let blobs): elements = blobs.map { .b($0) }
        default: throw mismatch([Any].self, "L")
        }
        return UnkeyedValueContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(decoder: self)
    }
}

extension AttributeValue {
    var typeName: String {
        switch self {
        case .s: "S"
        case .n: "N"
        case .b: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .m: "M"
        case .l: "L"
        case .ss: "SS"
        case .ns: "NS"
        case .bs: "BS"
        }
    }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let map: [String: AttributeValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { map.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { map[key.stringValue] != nil }

    private func child(_ key: Key) throws -> ValueDecoder {
        guard let value = map[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(
                codingPath: codingPath, debugDescription: "no attribute \(key.stringValue)"))
        }
        return ValueDecoder(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = map[key.stringValue] else { return true }
        return value == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try child(key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: map["super"] ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

private struct ElementKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedValueContainer: UnkeyedDecodingContainer {
    let elements: [AttributeValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [AttributeValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(
                codingPath: codingPath, debugDescription: "list has only \(elements.count) elements"))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: elements[currentIndex], codingPath: codingPath + [ElementKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let value) = decoder.value else { throw decoder.mismatch(type, "BOOL") }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .s(let value) = decoder.value else { throw decoder.mismatch(type, "S") }
        return value
    }

    private func number<N: LosslessStringConvertible>(_ type: N.Type) throws -> N {
        guard case .n(let text) = decoder.value else { throw decoder.mismatch(type, "N") }
        guard let value = N(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath, debugDescription: "\(text.prefix(40)) does not fit \(N.self)"))
        }
        return value
    }

    func decode(_ type: Double.Type) throws -> Double { try number(type) }
    func decode(_ type: Float.Type) throws -> Float { try number(type) }
    func decode(_ type: Int.Type) throws -> Int { try number(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try number(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try number(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try number(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try number(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try number(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try number(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try number(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try number(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try number(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}
