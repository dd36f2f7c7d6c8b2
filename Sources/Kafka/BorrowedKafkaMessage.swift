import CRdKafka

/// A message librdkafka returned, read in place: valid only inside the
/// `KafkaConsumer.poll(maxMessages:timeout:visit:)` call that hands it out, and
/// nothing is copied unless asked. For readers that look at a few fields of many
/// records (the bench's verdict watcher), where `KafkaMessage`'s copies of key,
/// value and every header are most of the cost.
public struct BorrowedKafkaMessage {
    let message: UnsafePointer<rd_kafka_message_t>

    public var partition: Int32 { message.pointee.partition }
    public var offset: Int64 { message.pointee.offset }
    /// The record timestamp in ms since the epoch (CreateTime or LogAppendTime), or -1.
    public var timestampMs: Int64 {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        return rd_kafka_message_timestamp(message, &type)
    }

    /// Calls `body` with the value of the last header called `name` (nil when there
    /// is none or its value is null); the bytes are librdkafka's, valid inside `body`.
    public func withHeader<R>(_ name: String, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return body(nil) }
        var value: UnsafeRawPointer?
        var size = 0
        guard name.withCString({ rd_kafka_header_get_last(list, $0, &value, &size) }) == RD_KAFKA_RESP_ERR_NO_ERROR,
              let value else { return body(nil) }
        return body(UnsafeRawBufferPointer(start: value, count: size))
    }

    /// The whole message, copied.
    public var copied: KafkaMessage { KafkaMessage(copying: message) }
}
