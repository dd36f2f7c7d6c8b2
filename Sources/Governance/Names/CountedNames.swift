/// Which event names count against the unique-event-name cap (SPEC §7): custom `track`
/// names, i.e. not one of the 30 standard names, not passive (§8), not prefixed `aegis.`.
public enum CountedNames {
    /// The standard names: exempt from the cap, active for MAU.
    public static let standardEventNames: Set<String> = [
        "page_view", "screen_view", "button_click", "form_submit", "search", "login", "logout", "sign_up",
        "product_viewed", "product_list_viewed", "add_to_cart", "remove_from_cart", "checkout_started",
        "purchase", "order_completed", "order_placed", "order_paid", "cart_created", "cart_updated",
        "customer_created", "refund_requested", "app_installed", "deep_link_clicked", "contact_imported",
        "crm_contact_created", "crm_contact_updated", "crm_lead_created", "crm_lead_updated",
        "notification_opened", "share",
    ]

    /// True when an event of raw `type` with the trimmed `name` is counted and so goes
    /// through the name registry (stage 15); every other event skips the stage.
    public static func isCounted(type: String, name: String) -> Bool {
        type == "track" && !standardNames.contains(name) && !PassiveEvents.isPassive(name)
            && !name.hasPrefix("aegis.")
    }

    /// `standardEventNames`, looked up on bytes.
    static let standardNames = ASCIINameSet(standardEventNames)
}
