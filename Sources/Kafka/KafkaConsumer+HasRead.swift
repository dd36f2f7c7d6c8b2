extension KafkaConsumer {
    /// Whether every partition of `topic` in `ends` was read up to (excluding) its end
    /// offset. `reached` is the next offset after the last record handed out, per
    /// partition; where that falls short, the consumer's position decides: a
    /// transaction's commit marker takes an offset (often a partition's last) and is
    /// never handed out, and librdkafka moves the position past it. Positions are asked
    /// for (a local call) only when the records do not say so.
    public func hasRead(_ topic: String, upTo ends: [Int32: Int64], reached: [Int32: Int64]) throws(KafkaError) -> Bool {
        let short = ends.filter { reached[$0.key, default: 0] < $0.value }
        guard !short.isEmpty else { return true }
        return try position(short.keys.map { TopicPartition(topic, $0) })
            .allSatisfy { $0.offset >= short[$0.partition, default: .max] }
    }
}
