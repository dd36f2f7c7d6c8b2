import ArgumentParser
import Topology

/// Reads `--topics`/`--file`: the given topics file, or the topics built into the
/// binary (the repository's topics.yaml) when none is given.
func loadTopics(_ path: String?, option: String) throws -> TopicsFile {
    do {
        return try path.map { path throws(TopicsFileError) in try TopicsFile.load(path: path) } ?? TopicsFile.builtIn()
    } catch {
        printError("error: \(error). Fix the file, or leave out \(option) to use the built-in topics.")
        throw ExitCode(2)
    }
}
