/// Kafka's default partitioner for keyed records, as the Java client (and
/// librdkafka's `murmur2_random`) computes it: `toPositive(murmur2(key)) % n`.
/// Lets Swift code know a key's partition without asking a producer.
public enum Murmur2 {
    /// The 32-bit murmur2 hash with Kafka's seed.
    public static func hash(_ key: some Collection<UInt8>) -> UInt32 {
        let m: UInt32 = 0x5bd1_e995
        let bytes = Array(key)
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: bytes.count)
        let whole = bytes.count & ~3
        var i = 0
        while i < whole {
            var k = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
            i += 4
        }
        let tail = bytes.count & 3
        if tail == 3 { h ^= UInt32(bytes[whole + 2]) << 16 }
        if tail >= 2 { h ^= UInt32(bytes[whole + 1]) << 8 }
        if tail >= 1 {
            h ^= UInt32(bytes[whole])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }

    /// The partition of `key` among `partitionCount` partitions.
    public static func partition(for key: some Collection<UInt8>, partitionCount: Int) -> Int32 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        return Int32((hash(key) & 0x7fff_ffff) % UInt32(partitionCount))
    }

    /// The partition of the UTF-8 bytes of `key`.
    public static func partition(for key: String, partitionCount: Int) -> Int32 {
        partition(for: key.utf8, partitionCount: partitionCount)
    }
}
