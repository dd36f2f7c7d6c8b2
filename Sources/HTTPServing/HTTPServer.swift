import Hummingbird
import Logging
import NIOCore

/// How a server of the project behaves on the wire. Limits come from Hummingbird:
/// an idle connection is closed after `idleTimeout`, request headers are capped by
/// its HTTP/1 decoder (80 KiB), and bodies by the request context's `maxUploadSize`
/// (2 MiB) when a route collects one.
public struct HTTPServerSettings: Sendable {
    public var address: HTTPAddress
    /// A connection that sends nothing for this long is closed (slow or stuck clients).
    public var idleTimeout: Duration
    /// The `Server` header.
    public var serverName: String

    public init(address: HTTPAddress, idleTimeout: Duration = .seconds(30), serverName: String = "event-governor") {
        self.address = address
        self.idleTimeout = idleTimeout
        self.serverName = serverName
    }
}

/// Builds the Hummingbird application of every server in the project from its routes
/// and settings. An `Application` is a swift-service-lifecycle `Service`: run it in a
/// `ServiceGroup` beside the command's other services, or with `BackgroundHTTPServer`
/// beside synchronous code.
public enum HTTPServer {
    /// - Parameter onRunning: called with the bound port once the server accepts
    ///   connections (the real port when the settings asked for port 0).
    public static func application<Context: RequestContext>(
        router: Router<Context>, settings: HTTPServerSettings, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<Context>> where Context.Source == ApplicationRequestContextSource {
        let nanoseconds = settings.idleTimeout.components.seconds * 1_000_000_000
            + settings.idleTimeout.components.attoseconds / 1_000_000_000
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(nanoseconds))),
            configuration: ApplicationConfiguration(
                address: .hostname(settings.address.host, port: settings.address.port),
                serverName: settings.serverName),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.address.port) },
            logger: logger)
    }
}
