import Foundation
import Glibc
import HTTPServing
import Hummingbird
import Logging
import Prometheus
import Testing
import TestSupport

@Suite(.serialized) struct BackgroundHTTPServerTests {
    /// Starts on a free port, refuses a port already taken with a message naming the
    /// fix, and stops: the port no longer answers.
    @Test(.timeLimit(.minutes(1))) func startsRefusesATakenPortAndStops() throws {
        let router = Router()
        router.addOperationalRoutes(registry: PrometheusCollectorRegistry(), ready: { true })
        let logger = Logger(label: "test")
        let server = try BackgroundHTTPServer.start(router: router, settings: HTTPServerSettings(address: .loopback(port: 0)), logger: logger)
        #expect(server.port > 0)
        #expect(httpGet(port: server.port, path: "/healthz")?.status == 200)

        let taken = HTTPServerSettings(address: .loopback(port: server.port))
        let error = #expect(throws: BackgroundHTTPServerError.self) {
            try BackgroundHTTPServer.start(router: Router(), settings: taken, logger: logger)
        }
        #expect(error?.description.contains("--http") == true, "\(String(describing: error))")

        server.stop()
        #expect(httpGet(port: server.port, path: "/healthz") == nil)
    }
}

extension BackgroundHTTPServerTests {
    /// The framework's limits hold: a connection that sends nothing is closed after the
    /// idle timeout, and a request whose headers exceed the decoder's 80 KiB gets no answer
    /// but a 4xx error.
    @Test(.timeLimit(.minutes(1))) func idleConnectionsCloseAndHugeHeadersAreRefused() throws {
        let router = Router()
        router.addOperationalRoutes(registry: PrometheusCollectorRegistry(), ready: { true })
        let settings = HTTPServerSettings(address: .loopback(port: 0), idleTimeout: .milliseconds(300))
        let server = try BackgroundHTTPServer.start(router: router, settings: settings, logger: Logger(label: "test"))
        defer { server.stop() }

        let idle = try #require(connectLoopback(port: server.port))
        defer { close(idle) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(idle, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = ContinuousClock.now
        var byte: UInt8 = 0
        #expect(read(idle, &byte, 1) == 0, "the server closes the idle connection")
        #expect(ContinuousClock.now - started < .seconds(8))

        let huge = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(String(repeating: "a", count: 100 * 1024))\r\nConnection: close\r\n\r\n"
        let fd = try #require(connectLoopback(port: server.port))
        defer { close(fd) }
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(huge.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var response = [UInt8](repeating: 0, count: 4096)
        let n = response.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
        let text = n > 0 ? String(decoding: response[0..<n], as: UTF8.self) : ""
        #expect(text.hasPrefix("HTTP/1.1 4"), "\(text)")
    }
}
