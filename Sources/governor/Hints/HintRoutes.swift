import HTTPServing
import Hummingbird

extension Router {
    /// `GET /v1/sdk/bootstrap/{workspace_id}` (SPEC §7): the workspace's latest hint with
    /// `Cache-Control: max-age=<ttl_seconds>` and an `ETag`; 304 when `If-None-Match`
    /// names the current tag; 404 for a workspace without a hint; 503 while the table
    /// is still reading what the topic held at start (an unknown workspace may be
    /// one not read yet).
    func addHintRoutes(table: HintTable, caughtUp: @escaping @Sendable () -> Bool) {
        get("/v1/sdk/bootstrap/:workspace_id") { request, context -> Response in
            let workspaceID = try context.parameters.require("workspace_id")
            guard let hint = table[workspaceID] else {
                guard caughtUp() else {
                    return Response(
                        status: .serviceUnavailable, headers: [.retryAfter: "1", .contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"error":"hints are still loading"}"#)))
                }
                return Response(
                    status: .notFound, headers: [.contentType: "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"error":"unknown workspace"}"#)))
            }
            let headers: HTTPFields = [
                .contentType: "application/json", .eTag: hint.etag, .cacheControl: "max-age=\(hint.ttlSeconds)",
            ]
            if let ifNoneMatch = request.headers[.ifNoneMatch], hint.matches(ifNoneMatch: ifNoneMatch) {
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: hint.body)))
        }
    }
}
