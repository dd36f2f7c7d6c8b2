/// A fixed set of ASCII names whose `contains` compares bytes: the names of the same
/// length, compared byte by byte, where `Set<String>.contains` hashed the name (~400
/// instructions for the passive and standard names every accepted `track` is looked
/// up in).
///
/// Answers exactly what `Set<String>.contains` (canonical equivalence) answers: an
/// ASCII name equals an ASCII member exactly when its bytes do (ASCII text is its own
/// normal form); a name with a non-ASCII byte, which could be canonically equivalent to
/// an ASCII one (U+212A KELVIN SIGN is `K`), is looked up in the `Set`.
struct ASCIINameSet: Sendable {
    let names: Set<String>
    /// Every name's bytes, shortest first, back to back.
    private let bytes: [UInt8]
    /// Per byte length `n`: the offsets in `bytes` of the names of that length are
    /// `offsets[firstOfLength[n] ..< firstOfLength[n + 1]]`.
    private let offsets: [Int]
    private let firstOfLength: [Int]
    /// Whether every name is ASCII (otherwise every lookup goes to `names`).
    private let allASCII: Bool

    init(_ names: Set<String>) {
        self.names = names
        let sorted = names.map { Array($0.utf8) }.sorted {
            $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1)
        }
        allASCII = sorted.allSatisfy { $0.allSatisfy { $0 < 0x80 } }
        var bytes: [UInt8] = [], offsets: [Int] = []
        let longest = sorted.last?.count ?? 0
        var firstOfLength = [Int](repeating: 0, count: longest + 2)
        var index = 0
        for length in 0...(longest + 1) {
            firstOfLength[length] = index
            while index < sorted.count && sorted[index].count == length {
                offsets.append(bytes.count)
                bytes += sorted[index]
                index += 1
            }
        }
        self.bytes = bytes
        self.offsets = offsets
        self.firstOfLength = firstOfLength
    }

    func contains(_ name: String) -> Bool {
        guard allASCII else { return names.contains(name) }
        var name = name
        let answer: Bool? = name.withUTF8 { text in
            for byte in text where byte >= 0x80 { return nil }
            let n = text.count
            guard n + 1 < firstOfLength.count, let start = text.baseAddress else { return n == 0 && names.contains("") }
            return bytes.withUnsafeBufferPointer { all in
                for index in firstOfLength[n] ..< firstOfLength[n + 1] {
                    let member = all.baseAddress! + offsets[index]
                    var i = 0
                    while i < n && member[i] == start[i] { i &+= 1 }
                    if i == n { return true }
                }
                return false
            }
        }
        return answer ?? names.contains(name)
    }
}
