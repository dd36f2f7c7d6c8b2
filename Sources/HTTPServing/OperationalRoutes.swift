import Hummingbird
import Prometheus

extension Router {
    /// The routes every long-running command serves for its operators:
    /// `/metrics` (Prometheus text format of `registry`), `/healthz` (the process
    /// answers) and `/readyz` (200 once `ready()` is true, 503 before, so a load
    /// balancer or Kubernetes sends no work until then).
    public func addOperationalRoutes(
        registry: PrometheusCollectorRegistry, ready: @escaping @Sendable () -> Bool
    ) {
        get("/metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        get("/healthz") { _, _ in plainText("ok\n") }
        get("/readyz") { _, _ in
            ready() ? plainText("ready\n") : plainText("not ready\n", status: .serviceUnavailable)
        }
    }
}

/// A `text/plain` response.
public func plainText(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
        status: status, headers: [.contentType: "text/plain; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
}
