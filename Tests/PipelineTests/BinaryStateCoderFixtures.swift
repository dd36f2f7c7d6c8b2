/// Values for `BinaryStateCoderTests`.

/// A synthesized-`Codable` struct with every kind of member.
struct Sample: Codable, Equatable {
    var number: Int64
    var name: String
    var flag: Bool
    var nothing: Int?
    var list: [UInt8]

    static let example = Sample(number: -42, name: "sample", flag: true, nothing: nil, list: [0, 255])

    /// Writes `nothing` as an explicit nil (synthesized code omits it), so decoders see the key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(name, forKey: .name)
        try container.encode(flag, forKey: .flag)
        try container.encodeNil(forKey: .nothing)
        try container.encode(list, forKey: .list)
    }
}

/// Reads a `Sample` through the keyed container's introspection, out of order.
struct KeyProbe: Decodable {
    var keys: [String]
    var containsMissing: Bool
    var nothingIsNil: Bool
    var numberFirst: Int64

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        numberFirst = try container.decode(Int64.self, forKey: AnyKey(stringValue: "number"))
        keys = container.allKeys.map(\.stringValue)
        containsMissing = container.contains(AnyKey(stringValue: "missing"))
        nothingIsNil = try container.decodeNil(forKey: AnyKey(stringValue: "nothing"))
    }
}

/// Uses nested keyed and unkeyed containers, super encoders and interleaved writes.
struct Containers: Codable, Equatable {
    var base: Sample
    var pairs: [[Int]]
    var tags: [String: String]
    var extra: Sample

    static let example = Containers(
        base: .example, pairs: [[1, 2], [], [3]], tags: ["b": "2", "a": "1"],
        extra: Sample(number: 7, name: "extra", flag: false, nothing: nil, list: []))

    private enum CodingKeys: String, CodingKey { case pairs, tags, extra }
    private enum TagKeys: CodingKey { case key, value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try base.encode(to: container.superEncoder())
        var pairsContainer = container.nestedUnkeyedContainer(forKey: .pairs)
        var tagList = container.nestedUnkeyedContainer(forKey: .tags)
        try extra.encode(to: container.superEncoder(forKey: .extra))
        for pair in pairs {
            var inner = pairsContainer.nestedUnkeyedContainer()
            for number in pair { try inner.encode(number) }
        }
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            var tag = tagList.nestedContainer(keyedBy: TagKeys.self)
            try tag.encode(key, forKey: .key)
            try tag.encode(value, forKey: .value)
        }
        var trailer = pairsContainer.superEncoder().singleValueContainer()
        try trailer.encodeNil()
    }

    init(base: Sample, pairs: [[Int]], tags: [String: String], extra: Sample) {
        (self.base, self.pairs, self.tags, self.extra) = (base, pairs, tags, extra)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        extra = try Sample(from: container.superDecoder(forKey: .extra))
        base = try Sample(from: container.superDecoder())
        var pairsContainer = try container.nestedUnkeyedContainer(forKey: .pairs)
        pairs = []
        while !pairsContainer.isAtEnd {
            if try pairsContainer.decodeNil() { continue }
            var inner = try pairsContainer.nestedUnkeyedContainer()
            var pair: [Int] = []
            while !inner.isAtEnd { pair.append(try inner.decode(Int.self)) }
            pairs.append(pair)
        }
        var tagList = try container.nestedUnkeyedContainer(forKey: .tags)
        tags = [:]
        while !tagList.isAtEnd {
            let tag = try tagList.nestedContainer(keyedBy: TagKeys.self)
            tags[try tag.decode(String.self, forKey: .key)] = try tag.decode(String.self, forKey: .value)
        }
    }
}
