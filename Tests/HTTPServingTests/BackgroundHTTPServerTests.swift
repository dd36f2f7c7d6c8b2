import Foundation
import Glibc
import Hummingbird
import HTTPServing
import Logging
import Prometheus
import Testing

@Suite struct BackgroundHTTPServerTests {
    /// Starts on a free port, refuses a port already taken with a message naming the
    /// fix, and stops: the port no longer answers.
    @Test(.timeLimit(.minutes(1))) func startsRefusesATakenPortAndStops() throws {
        let router = Router()
        router.addOperationalRoutes(registry: PrometheusCollectorRegistry(), ready: { true })
        let logger = Logger(label: "test")
        let server = try BackgroundHTTPServer.start(router: router, settings: HTTPServerSettings(address: .loopback(port: 0)), logger: logger)
        #expect(server.port > 0)
        #expect(loopbackGet(port: server.port, path: "/healthz")?.status == 200)

        let taken = HTTPServerSettings(address: .loopback(port: server.port))
        let error = #expect(throws: BackgroundHTTPServerError.self) {
            try BackgroundHTTPServer.start(router: Router(), settings: taken, logger: logger)
        }
        #expect(error?.description.contains("--http") == true, "\(String(describing: error))")

        server.stop()
        #expect(loopbackGet(port: server.port, path: "/healthz") == nil)
    }
}

/// A minimal HTTP/1.1 GET to 127.0.0.1: the status and body, nil when nothing answers.
func loopbackGet(port: Int, path: String) -> (status: Int, body: String)? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else { return nil }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 8192)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 8192) }
        if n <= 0 { break }
        response += chunk[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let head = text.components(separatedBy: "\r\n\r\n").first,
        let code = head.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
    else { return nil }
    return (code, String(text.dropFirst(head.count + 4)))
}
