import Foundation
import Governance
import Hummingbird
import HTTPTypes
import JSON
import NIOCore
import Review

/// The JSON API behind the review page.
struct ConsoleAPI: Sendable {
    let server: ConsoleServer
    var index: ReviewIndex { server.index }

    func status() throws -> Response {
        let counts = try index.indexedCounts()
        let follower = server.status.snapshot
        return json([
            "dlq_records": .int(counts.dlq), "replays": .int(counts.replays), "usage_snapshots": .int(counts.snapshots),
            "notifications": .int(counts.notifications), "follower_records": .int(follower.records),
            "follower_error": .string(follower.lastError), "replay_enabled": .bool(server.replayToken != nil),
        ])
    }

    func facets() throws -> Response {
        let facets = try index.facets()
        func list(_ items: [(name: String, count: Int)]) -> JSONValue {
            .array(items.map { ["name": .string($0.name), "count": .int($0.count)] })
        }
        return json(["reasons": list(facets.reasons), "workspaces": list(facets.workspaces), "total": .int(facets.total)])
    }

    func records(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let filter = try Self.filter(query)
        let limit = query.get("limit", as: Int.self) ?? 50
        let cursor = query.get("cursor").flatMap(DLQCursor.init)
        let page = try index.list(filter, after: cursor, limit: min(max(limit, 1), 500))
        let replayed = try index.replayedLocators(page)
        return json([
            "total": .int(try index.count(filter)),
            "records": .array(page.map { ConsoleJSON.summary($0, replayed: replayed.contains($0.locator)) }),
            "next": page.count == min(max(limit, 1), 500) ? .string(page.last?.cursor.text) : .null,
        ])
    }

    func histogram(_ request: Request) throws -> Response {
        let histogram = try index.histogram(try Self.filter(request.uri.queryParameters))
        return json([
            "bucket_ms": .int(histogram.bucketMs),
            "buckets": .array(histogram.buckets.map { .int($0) }),
            "series": .array(histogram.series.map { ["reason": .string($0.reason), "counts": .array($0.counts.map { .int($0) })] }),
        ])
    }

    func record(_ context: BasicRequestContext) throws -> Response {
        let entry = try Self.entry(context, index)
        return json(ConsoleJSON.detail(entry, replays: try index.replays(of: entry)))
    }

    /// The verdict of the latest replay of a record (looked up in the output topics).
    func outcome(_ context: BasicRequestContext) async throws -> Response {
        let entry = try Self.entry(context, index)
        guard let replay = try index.replays(of: entry).last else {
            return json(["status": "not_replayed"])
        }
        guard let partition = replay.toPartition, let offset = replay.toOffset else {
            return json(["status": "unknown", "detail": "the audit does not say where the replay was written"])
        }
        let written = Origin(topic: replay.toTopic, partition: partition, offset: offset)
        let finder = server.outcomes
        let found = try await Task.detached { try finder.outcome(of: written, replayedAtMs: replay.atMs) }.value
        guard let found else { return json(["status": "pending", "replay_id": .string(replay.replayID)]) }
        return json([
            "status": "found", "replay_id": .string(replay.replayID), "verdict": .string(found.verdict),
            "reason": .string(found.reason), "topic": .string(found.topic),
            "partition": .int(Int64(found.partition)), "offset": .int(found.offset),
        ])
    }

    func audit() throws -> Response {
        json(["replays": .array(try index.auditLog().map(ConsoleJSON.audit))])
    }

    func preview(_ request: Request) async throws -> Response {
        let body = try await Self.body(request)
        let selection = try selection(body)
        let plan = try server.replayer.preview(selection, options: ReplayOptions(reviewer: "-", via: "console"))
        return json([
            "by_topic": .object(JSONObject(plan.byTopic.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: .int($0.value)) })),
            "total": .int(plan.byTopic.values.reduce(0, +)), "refused_trait": .int(plan.refused),
            "already_replayed": .int(plan.alreadyReplayed),
        ])
    }

    func replay(_ request: Request) async throws -> Response {
        guard let token = server.replayToken else {
            throw HTTPError(.forbidden, message: "replays are disabled: start the console with --replay-token or --replay-token-file")
        }
        let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 } ?? ""
        guard Self.constantTimeEqual(presented, token) else {
            throw HTTPError(.unauthorized, message: "a valid replay token is required (Authorization: Bearer TOKEN)")
        }
        let body = try await Self.body(request)
        guard let reviewer = body["reviewer"]?.stringValue?.trimmingCharacters(in: .whitespaces), !reviewer.isEmpty else {
            throw HTTPError(.badRequest, message: "name the reviewer (\"reviewer\") for the audit")
        }
        let selection = try selection(body)
        if case .filter(let filter) = selection, filter == DLQFilter() {
            throw HTTPError(.badRequest, message: "choose a filter or records: replaying the whole DLQ at once is refused")
        }
        let result = try await server.replayer.replay(selection, options: ReplayOptions(reviewer: reviewer, via: "console"))
        // The index learns of the audit from dlq-replays too; recording it now shows it at once.
        return json([
            "replay_id": .string(result.replayID), "replayed": .int(result.replayedCount),
            "by_topic": .object(JSONObject(result.replayed.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: .int($0.value)) })),
            "refused_trait": .int(result.refusedTrait),
            "note": "a second replay of the same record is a filtered/duplicate verdict by design (SPEC §6 step 11)",
        ])
    }

    // MARK: Helpers

    private func selection(_ body: JSONValue) throws -> ReplaySelection {
        if let references = body["records"]?.arrayValue {
            let entries = try references.compactMap(\.stringValue).map { reference -> DLQEntry in
                let parts = reference.split(separator: ":")
                guard parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]),
                    let entry = try index.entry(partition: partition, offset: offset)
                else { throw HTTPError(.badRequest, message: "no DLQ record \(reference)") }
                return entry
            }
            return .records(entries)
        }
        let filter = body["filter"] ?? .object(JSONObject())
        return .filter(try Self.filter { filter[$0]?.stringValue })
    }

    static func filter(_ query: Parameters) throws -> DLQFilter {
        try filter { query.get($0) }
    }

    static func filter(_ value: (String) -> String?) throws -> DLQFilter {
        func time(_ name: String) throws -> Int64? {
            guard let text = value(name), !text.isEmpty else { return nil }
            guard let ms = DLQTime.parse(text) else {
                throw HTTPError(.badRequest, message: "\(name): give an ISO-8601 time or epoch ms")
            }
            return ms
        }
        let scope = value("scope").flatMap { $0.isEmpty ? nil : $0 }
        if let scope, DLQScopeFilter(rawValue: scope) == nil {
            throw HTTPError(.badRequest, message: "scope must be event, trait or outbound")
        }
        return DLQFilter(reason: value("reason"), workspaceID: value("workspace"), scope: scope.flatMap(DLQScopeFilter.init),
                         since: try time("since"), until: try time("until"), text: value("q"))
    }

    private static func entry(_ context: BasicRequestContext, _ index: ReviewIndex) throws -> DLQEntry {
        guard let partition = context.parameters.get("partition", as: Int32.self),
            let offset = context.parameters.get("offset", as: Int64.self),
            let entry = try index.entry(partition: partition, offset: offset)
        else { throw HTTPError(.notFound, message: "no such DLQ record") }
        return entry
    }

    private static func body(_ request: Request) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        guard let value = try? JSONParser.parse(Array(buffer.readableBytesView)).value, value.objectValue != nil else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object")
        }
        return value
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serializedBytes)))
    }
}
