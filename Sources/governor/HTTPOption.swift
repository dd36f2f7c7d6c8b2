import ArgumentParser
import HTTPServing

/// Parses an `--http host:port` value; the error says what to write instead.
func parseHTTPAddress(_ text: String) throws -> HTTPAddress {
    do { return try HTTPAddress(parsing: text) } catch { throw ValidationError(error.description) }
}

/// The fix for a server that could not listen on `address`, or nil when `error` is
/// something else. NIO reports a failed bind as the C library's text, so the text is
/// what is matched (glibc's strerror wording).
func httpListenProblem(_ error: any Error, address: String) -> String? {
    let text = "\(error)"
    let reasons = [
        ("Address already in use", "another process is listening there"),
        ("Cannot assign requested address", "no interface of this machine has that address"),
        ("Permission denied", "ports below 1024 need privileges"),
    ]
    guard let reason = reasons.first(where: { text.contains($0.0) })?.1 else { return nil }
    return "cannot serve HTTP on \(address): \(reason). Choose another --http host:port (port 0 picks a free one)."
}
