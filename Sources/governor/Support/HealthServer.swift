import Foundation
import Glibc

/// A small HTTP/1.1 server for the operational endpoints of `governor run`:
/// `/metrics` (Prometheus text), `/healthz` (alive) and `/readyz` (restored and
/// consuming). One thread accepts and answers connections one at a time, which is
/// plenty for probes and scrapes.
final class HealthServer: @unchecked Sendable {
    // @unchecked: `fd` is set once in init and only read afterwards; the handlers are
    // immutable @Sendable closures.
    private let fd: Int32
    private let metrics: @Sendable () -> String
    private let ready: @Sendable () -> Bool

    init(port: Int, metrics: @escaping @Sendable () -> String, ready: @escaping @Sendable () -> Bool) throws {
        self.metrics = metrics
        self.ready = ready
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HealthServerError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw HealthServerError("cannot listen on port \(port): \(reason); choose another --metrics-port")
        }
        let thread = Thread { [self] in serve() }
        thread.name = "health-server"
        thread.start()
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while request.count < 65_536 {
            let n = chunk.withUnsafeMutableBytes { read(client, $0.baseAddress, 4096) }
            if n <= 0 { break }
            request += chunk[0..<n]
            if request.count >= 4, request.suffix(4).elementsEqual([13, 10, 13, 10]) { break }
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let path = parts.count > 1 ? String(parts[1]) : ""
        let (status, type, body): (String, String, String) = switch path {
        case "/metrics": ("200 OK", "text/plain; version=0.0.4; charset=utf-8", metrics())
        case "/healthz": ("200 OK", "text/plain", "ok\n")
        case "/readyz": ready() ? ("200 OK", "text/plain", "ready\n") : ("503 Service Unavailable", "text/plain", "not ready\n")
        default: ("404 Not Found", "text/plain", "try /metrics, /healthz or /readyz\n")
        }
        let bodyBytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(bodyBytes.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + bodyBytes
        var offset = 0
        while offset < response.count {
            let n = response[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
    }
}

struct HealthServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
