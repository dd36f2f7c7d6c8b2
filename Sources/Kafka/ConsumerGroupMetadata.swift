import CRdKafka

/// A consumer's group metadata (group id, generation, member id), which
/// `TransactionalProducer.sendOffsetsToTransaction` needs so the group
/// coordinator can reject offsets from a member that was fenced out.
public final class ConsumerGroupMetadata: @unchecked Sendable {
    // @unchecked Sendable: the pointer is immutable after init, librdkafka only
    // reads it, and it is destroyed exactly once, in deinit.
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { rd_kafka_consumer_group_metadata_destroy(pointer) }
}
