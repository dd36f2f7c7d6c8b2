/// The passive-event classifier (SPEC §8): events that never make a contact active for
/// `active_events` MAU, and never count against the unique-name cap (§7).
///
/// Exactly 106 names in eight named per-source lists, plus six name prefixes. The same
/// lists generate the ClickHouse MAU view (`ClickHouseMAUView`), so the two cannot drift.
public enum PassiveEvents {
    public static let sdk = PassiveEventSource(name: "sdk", names: [
        "session_start", "session_end", "session_heartbeat", "app_backgrounded", "app_foregrounded",
        "app_opened", "app_closed", "app_updated", "app_crashed", "product_impression",
        "promotion_viewed", "identify", "alias", "group", "page_leave",
        "scroll_depth", "element_visible", "sdk_initialized", "sdk_error", "device_info_updated",
    ])

    public static let ecommerce = PassiveEventSource(name: "ecommerce", names: [
        "product_created", "product_updated", "product_deleted", "inventory_updated", "price_changed",
        "catalog_synced", "collection_updated", "order_updated", "order_fulfilled", "fulfillment_created",
        "fulfillment_updated", "shipment_updated",
    ])

    public static let crm = PassiveEventSource(name: "crm", names: [
        "crm_contact_synced", "crm_company_synced", "crm_deal_synced", "crm_deal_updated", "crm_owner_changed",
        "crm_list_membership_changed", "crm_property_changed", "crm_note_created", "crm_task_created",
        "crm_engagement_logged",
    ])

    public static let analytics = PassiveEventSource(name: "analytics", names: [
        "experiment_exposure", "feature_flag_evaluated", "attribution_updated", "web_vitals",
        "performance_metric", "error_logged", "heartbeat", "utm_captured",
    ])

    public static let channelCallbacks = PassiveEventSource(name: "channel_callbacks", names: [
        "channel_delivery_status", "push_delivered", "push_sent", "email_sent", "email_delivered",
        "sms_sent", "sms_delivered", "whatsapp_delivered",
        "email.sent", "email.delivered", "email.opened", "email.clicked", "email.bounced",
        "email.complained", "email.unsubscribed", "email.failed",
        "whatsapp.sent", "whatsapp.delivered", "whatsapp.read", "whatsapp.failed",
        "sms.sent", "sms.delivered", "sms.failed",
        "rcs.sent", "rcs.delivered", "rcs.read", "rcs.failed",
        "push.sent", "push.delivered", "push.opened", "push.dismissed", "push.failed",
    ])

    public static let platformNative = PassiveEventSource(name: "platform_native", names: [
        "aegis.client.name_governor_dropped", "aegis.events.quota_exceeded", "aegis.sdk.bootstrap",
        "aegis.sdk.config_fetched", "aegis.heartbeat", "aegis.smoke_test", "aegis.consent_synced",
        "aegis.identity_merged", "aegis.segment_entered", "aegis.segment_exited", "aegis.journey_step",
        "aegis.campaign_sent",
    ])

    public static let fileUpload = PassiveEventSource(name: "file_upload", names: [
        "file_upload_started", "file_upload_completed", "file_upload_failed", "contact_import_row_skipped",
        "contact_updated_by_import", "import_validated",
    ])

    public static let warehouseSync = PassiveEventSource(name: "warehouse_sync", names: [
        "warehouse_sync_started", "warehouse_sync_completed", "warehouse_sync_failed", "warehouse_row_upserted",
        "reverse_etl_synced", "audience_synced",
    ])

    /// The per-source lists, in SPEC order.
    public static let sources: [PassiveEventSource] = [
        sdk, ecommerce, crm, analytics, channelCallbacks, platformNative, fileUpload, warehouseSync,
    ]

    /// All 106 passive names: the union of the per-source lists.
    public static let allPassiveEventNames: Set<String> = sources.reduce(into: []) { $0.formUnion($1.set) }

    /// Any name starting with one of these is passive too (channel callbacks and platform events).
    public static let passivePrefixes: [String] = ["email.", "whatsapp.", "sms.", "rcs.", "push.", "aegis."]

    /// The raw-event types that are never active, whatever their name.
    public static let neverActiveTypes: Set<String> = ["consent", "delete", "connection"]

    /// True for one of the 106 names or a name with a passive prefix (case-sensitive, on the
    /// trimmed name).
    public static func isPassive(_ name: String) -> Bool {
        passiveNames.contains(name) || hasPassivePrefix(name)
    }

    /// `allPassiveEventNames`, looked up on bytes.
    static let passiveNames = ASCIINameSet(allPassiveEventNames)

    /// `passivePrefixes.contains { name.hasPrefix($0) }`, trying `hasPrefix` (which
    /// compares characters) only for a prefix whose bytes the name starts with: no
    /// other spelling of these ASCII prefixes is canonically equivalent, so a name
    /// without the bytes cannot have the prefix.
    static func hasPassivePrefix(_ name: String) -> Bool {
        var contiguous = name
        return contiguous.withUTF8 { bytes in
            passivePrefixBytes.indices.contains { index in
                let prefix = passivePrefixBytes[index]
                return bytes.count >= prefix.count && bytes.starts(with: prefix) && name.hasPrefix(passivePrefixes[index])
            }
        }
    }

    private static let passivePrefixBytes: [[UInt8]] = passivePrefixes.map { Array($0.utf8) }

    /// True when an accepted event makes its contact active (SPEC §8): never for `consent`,
    /// `delete` or `connection`; otherwise unless its name is passive. `type` is the raw
    /// `type` field (`track`, `page`, …); `name` the event name, implicit ones filled in
    /// (`page_view`, `identify`, …), so identify, alias and group are passive by name.
    public static func isActive(type: String, name: String) -> Bool {
        !neverActiveTypes.contains(type) && !isPassive(name)
    }
}
