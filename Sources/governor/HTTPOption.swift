import ArgumentParser
import HTTPServing

/// Parses an `--http host:port` value; the error says what to write instead.
func parseHTTPAddress(_ text: String) throws -> HTTPAddress {
    do { return try HTTPAddress(parsing: text) } catch { throw ValidationError(error.description) }
}
