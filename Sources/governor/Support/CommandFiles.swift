import ArgumentParser
import Foundation

/// Checks of the files and directories a command line names, run in `validate()`,
/// so a mistake is reported with its fix before anything starts (a cluster, a run).

/// Throws a usage error naming the fix when `path` (other than "-" for standard
/// input) is missing, a directory or unreadable.
func validateRecordFile(_ path: String, option: String = "the record file") throws {
    guard path != "-" else { return }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ValidationError("\(option) \(path) does not exist. Give a readable record file (JSON lines), or - for standard input.")
    }
    if isDirectory.boolValue {
        throw ValidationError("\(option) \(path) is a directory. Give a record file (JSON lines), or - for standard input.")
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
        throw ValidationError("\(option) \(path) is not readable. Give a readable record file, or - for standard input.")
    }
}

/// Creates the `--outputs` directory (with its parents, as `mkdir -p`) and checks
/// that files can be created in it; throws a usage error naming the fix otherwise.
func prepareOutputsDirectory(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
        throw ValidationError("--outputs \(path) is a file, not a directory. Give --outputs a directory (it is created when missing).")
    }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        // Foundation's error text is a bare code: name the part of the path that is in the way.
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, ancestor != "/", !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        let why = ancestor.isEmpty || isDirectory.boolValue ? "\(ancestor.isEmpty ? "." : ancestor) is not writable" : "\(ancestor) is a file"
        throw ValidationError("--outputs \(path) cannot be created: \(why). Give --outputs a directory you can write to.")
    }
    guard FileManager.default.isWritableFile(atPath: path) else {
        throw ValidationError("--outputs \(path) is not writable. Give --outputs a directory you can write to.")
    }
}
