import Foundation
import HTTPServing
import Hummingbird
import Kafka
import Logging
import NIOCore
import Review
import Synchronization

/// `governor console`: the DLQ review at `/` and the usage dashboard at `/usage`,
/// served from the review index (the pages never read Kafka; replays and outcome
/// look-ups do).
public struct ConsoleServer: Sendable {
    public let index: ReviewIndex
    public let replayer: Replayer
    public let outcomes: ReplayOutcomeFinder
    /// Replays over HTTP need this bearer token; nil disables them.
    public let replayToken: String?
    /// Where to serve (port 0 picks a free one).
    public let address: HTTPAddress
    public let logger: Logger
    public let status: FollowerStatus

    public init(index: ReviewIndex, replayer: Replayer, outcomes: ReplayOutcomeFinder, replayToken: String?,
                address: HTTPAddress, status: FollowerStatus, logger: Logger) {
        self.index = index
        self.replayer = replayer
        self.outcomes = outcomes
        self.replayToken = replayToken
        self.address = address
        self.status = status
        self.logger = logger
    }

    /// The routes, for the server and for in-memory tests.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let api = ConsoleAPI(server: self)
        router.get("/") { _, _ in Self.html(ReviewPage.html) }
        router.get("/usage") { _, _ in Self.html(try UsagePage(index: index).render()) }
        router.get("/api/status") { _, _ in try api.status() }
        router.get("/api/facets") { _, _ in try api.facets() }
        router.get("/api/records") { request, _ in try api.records(request) }
        router.get("/api/histogram") { request, _ in try api.histogram(request) }
        router.get("/api/records/:partition/:offset") { _, context in try api.record(context) }
        router.get("/api/records/:partition/:offset/outcome") { _, context in try await api.outcome(context) }
        router.get("/api/audit") { _, _ in try api.audit() }
        router.post("/api/replay/preview") { request, _ in try await api.preview(request) }
        router.post("/api/replay") { request, _ in try await api.replay(request) }
        return router
    }

    /// Serves until the task is cancelled or the process is signalled; `onListening`
    /// hears the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let app = HTTPServer.application(
            router: router(), settings: HTTPServerSettings(address: address, serverName: "governor-console"), logger: logger,
            onRunning: { port in onListening(port) })
        try await app.runService()
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// What the follower thread did last, for `/api/status`.
public final class FollowerStatus: Sendable {
    private let state = Mutex<(batches: Int, records: Int, lastError: String?)>((0, 0, nil))

    public init() {}

    public func recordBatch(_ count: Int) { state.withLock { $0.batches += 1; $0.records += count } }
    public func recordError(_ error: String) { state.withLock { $0.lastError = error } }
    public var snapshot: (batches: Int, records: Int, lastError: String?) { state.withLock { $0 } }
}
