extension Duration {
    /// The duration in seconds, as a double (for logs and metrics).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
