extension String {
    /// Bytes already checked to be ASCII (by a scan), as text. Up to 15 bytes are
    /// copied into a small string with only its ASCII bit test: `String(decoding:as:)`
    /// validated the UTF-8 the scan had checked (~180 instructions a string).
    @inline(__always)
    package init(checkedASCII bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            self = ""
            return
        }
        self.init(unsafeUninitializedCapacity: bytes.count) { buffer in
            buffer.baseAddress!.initialize(from: base, count: bytes.count)
            return bytes.count
        }
    }
}
