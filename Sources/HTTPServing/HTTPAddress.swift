/// Where an HTTP server listens: `host:port`, or `[v6-address]:port`. Port 0 asks the
/// system for a free port (tests); `127.0.0.1` keeps a server off the network, which is
/// the default of every command, and `0.0.0.0` (or `[::]`) opens it to every interface.
public struct HTTPAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The loopback address on `port`.
    public static func loopback(port: Int) -> HTTPAddress { HTTPAddress(host: "127.0.0.1", port: port) }

    /// Parses `host:port` or `[v6]:port`; the error says what to write instead.
    public init(parsing text: String) throws(HTTPAddressError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw HTTPAddressError(text: text, problem: "an IPv6 address needs brackets and a port, e.g. [::1]:9464")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw HTTPAddressError(text: text, problem: "give host and port, e.g. 127.0.0.1:9464 (0.0.0.0:9464 for every interface)")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else {
                throw HTTPAddressError(text: text, problem: "write an IPv6 address in brackets, e.g. [::1]:9464")
            }
        }
        guard !host.isEmpty else {
            throw HTTPAddressError(text: text, problem: "the host is missing, e.g. 127.0.0.1:9464 (0.0.0.0:9464 for every interface)")
        }
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw HTTPAddressError(text: text, problem: "the port must be a number from 0 to 65535, e.g. 127.0.0.1:9464")
        }
        self.init(host: String(host), port: port)
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// An `--http` value that is not an address.
public struct HTTPAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String

    public var description: String { "\"\(text)\" is not an HTTP address: \(problem)" }
}
