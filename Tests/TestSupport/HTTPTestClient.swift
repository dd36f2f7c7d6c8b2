import Foundation
import Glibc

/// Shared by the test targets that talk to a live HTTP server (HTTPServingTests,
/// PipelineTests): one raw-socket client, no HTTP library in between, so a test sees
/// exactly what a curl user would.
public struct HTTPTestResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: String
}

/// A TCP connection to 127.0.0.1:`port`; nil when nothing listens. The caller closes it.
public func connectLoopback(port: Int) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// A minimal HTTP/1.1 GET to 127.0.0.1 with extra headers; nil when nothing answers.
public func httpRequest(port: Int, path: String, headers: [String: String] = [:]) -> HTTPTestResponse? {
    guard let fd = connectLoopback(port: port) else { return nil }
    defer { close(fd) }
    let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(extra)Connection: close\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else { return nil }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 8192)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 8192) }
        if n <= 0 { break }
        response += chunk[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
    let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
    guard let code = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
    var fields: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return HTTPTestResponse(status: code, headers: fields, body: String(text[headEnd.upperBound...]))
}

/// A minimal HTTP GET to 127.0.0.1: the status code and the body, nil when nothing answers.
public func httpGet(port: Int, path: String) -> (status: Int, body: String)? {
    httpRequest(port: port, path: path).map { ($0.status, $0.body) }
}
