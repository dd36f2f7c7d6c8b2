import Logging

/// Loggers for tests: warnings and worse only.
let testLogger: Logger = {
    var logger = Logger(label: "topology-tests")
    logger.logLevel = .warning
    return logger
}()

func uniqueTopic(_ prefix: String = "t") -> String {
    "\(prefix)-\(UInt32.random(in: 0 ... .max))"
}
