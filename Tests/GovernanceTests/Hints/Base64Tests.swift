import Foundation
import PropertyBased
import Testing
@testable import Governance

@Suite struct Base64Tests {
    /// RFC 4648 §10.
    @Test func matchesTheRFCVectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors { #expect(Base64.encode(Array(plain.utf8)) == encoded) }
    }

    @Test func agreesWithFoundation() async {
        await propertyCheck(input: Gen.uint8().array(of: 0...300)) { bytes in
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
        }
    }
}
