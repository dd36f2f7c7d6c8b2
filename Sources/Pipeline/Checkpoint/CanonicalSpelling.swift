import Foundation

extension String {
    /// The string in Unicode NFC: one byte spelling for all canonically equivalent
    /// strings (which Swift's `==` and hashing already treat as one). ASCII, the
    /// common case, is returned as is.
    var canonicalSpelling: String {
        if utf8.allSatisfy({ $0 < 0x80 }) { return self }
        return precomposedStringWithCanonicalMapping
    }
}

extension CodingUserInfoKey {
    /// Set to `true` to have `BinaryStateEncoder` write every string in NFC
    /// (`canonicalSpelling`): changelog keys compare by bytes.
    static let canonicalStrings = CodingUserInfoKey(rawValue: "governor.canonicalStrings")!
    /// Set to `true` to have `BinaryStateEncoder` take every value through its
    /// `encode(to:)`: the reference the `BinaryStateEncodable` fast paths are tested against.
    static let genericBinaryState = CodingUserInfoKey(rawValue: "governor.genericBinaryState")!
}
