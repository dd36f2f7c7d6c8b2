/// The Kafka headers of a DLQ record, in the spirit of Kafka Connect's
/// `__connect.errors.*`: a reviewer or a replay tool can filter by reason and
/// find the original without parsing the value. The origin headers
/// (`OriginHeaders`) follow them on every DLQ record.
public enum DLQHeaders {
    /// `event` or `trait`.
    public static let scope = "governor.dlq.scope"
    /// The `DLQReason` or `TraitReason` raw value.
    public static let reason = "governor.dlq.reason"
    /// The offending field, only for `missing_field` / `invalid_field`.
    public static let field = "governor.dlq.field"
    /// The human-readable detail.
    public static let detail = "governor.dlq.detail"
    /// The parts of the original left out of the record (`value`, `key`, `headers`,
    /// comma-separated), only when some part was over its `DLQEchoBounds` bound.
    public static let echoOmitted = "governor.dlq.echo_omitted"
}
