import Foundation
import JSON
import PropertyBased
import Testing

/// The pure-Swift standard base64 used for DLQ originals.
@Suite struct Base64Tests {
    @Test func rfc4648TestVectors() {
        let vectors = [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
        ]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
    }

    @Test func agreesWithFoundationAndRoundTrips() async {
        await propertyCheck(count: 300, input: Gen<UInt8>.value(in: 0...255).array(of: 0...64)) { bytes in
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(Base64.encode(bytes[...]) == encoded, "the generic path")
            #expect(Base64.decode(encoded) == bytes)
        }
    }

    @Test(arguments: ["Zg", "Zg=", "Z===", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", "Zg==Zg==", "=Zg=", "Zm-_", "===="])
    func decodingRejectsNonCanonicalInput(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
