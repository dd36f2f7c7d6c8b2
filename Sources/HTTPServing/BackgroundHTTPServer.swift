import Dispatch
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// An HTTP application running on Swift concurrency beside a command whose main work is
/// synchronous (`governor run` today). `start` returns once the server listens, or
/// throws why it cannot (address in use, unknown host); `stop` shuts it down gracefully.
///
/// Both block the calling thread while Swift concurrency does the work. The server's
/// own tasks run on a `DispatchTaskExecutor`, but Hummingbird and ServiceLifecycle
/// start a few unstructured tasks on the cooperative pool, so call these from a thread
/// that leaves the pool a free thread: a command's main thread is (async `main` runs
/// there); tests that call them concurrently from pool threads can exhaust a two-core
/// pool, so such suites run serialized. Commands built on a `ServiceGroup` should run
/// `HTTPServer.application` as one of its services instead.
public final class BackgroundHTTPServer: Sendable {
    /// The bound port.
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>
    private let executor: DispatchTaskExecutor

    private init(port: Int, group: ServiceGroup, task: Task<Void, Never>, executor: DispatchTaskExecutor) {
        self.port = port
        self.group = group
        self.task = task
        self.executor = executor
    }

    public static func start<Context: RequestContext>(
        router: Router<Context>, settings: HTTPServerSettings, logger: Logger, startTimeout: Duration = .seconds(30)
    ) throws -> BackgroundHTTPServer where Context.Source == ApplicationRequestContextSource {
        let started = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Int, any Error>?>(nil)
        let application = HTTPServer.application(router: router, settings: settings, logger: logger) { port in
            outcome.withLock { $0 = $0 ?? .success(port) }
            started.signal()
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let executor = DispatchTaskExecutor(label: "http-server")
        let task = Task(executorPreference: executor) {
            do {
                try await group.run()
            } catch {
                outcome.withLock { $0 = $0 ?? .failure(error) }
            }
            started.signal()
        }
        let seconds = Double(startTimeout.components.seconds) + Double(startTimeout.components.attoseconds) / 1e18
        _ = started.wait(timeout: .now() + seconds)
        switch outcome.withLock({ $0 }) {
        case .success(let port):
            return BackgroundHTTPServer(port: port, group: group, task: task, executor: executor)
        case .failure(let error):
            throw BackgroundHTTPServerError(address: settings.address, reason: "\(error)")
        case nil:
            task.cancel()
            throw BackgroundHTTPServerError(address: settings.address, reason: "not listening after \(startTimeout)")
        }
    }

    /// Stops accepting connections, finishes the open requests, and returns once the
    /// server has stopped (or after `timeout`).
    public func stop(timeout: Duration = .seconds(10)) {
        let stopped = DispatchSemaphore(value: 0)
        Task(executorPreference: executor) { [group, task] in
            await group.triggerGracefulShutdown()
            await task.value
            stopped.signal()
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        if stopped.wait(timeout: .now() + seconds) == .timedOut { task.cancel() }
    }
}

/// The server could not start.
public struct BackgroundHTTPServerError: Error, Sendable, CustomStringConvertible {
    public var address: HTTPAddress
    public var reason: String

    public var description: String {
        "cannot serve HTTP on \(address): \(reason); choose another --http address (host:port)"
    }
}
