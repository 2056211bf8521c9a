// Conformance helpers: a corpus tree seen as a mounted filesystem, and the tally of expectations.

import BootModel
import TestSupport
import Foundation
import Syslinux
import Testing

/// A read-only file view over a real directory (a corpus tree seen as a mounted filesystem).
struct DirectoryView: FileView {
    let root: URL

    func contents(of path: String) -> [UInt8]? {
        let url = root.appendingPathComponent(String(Path.normalized(path).dropFirst()))
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return (try? Data(contentsOf: url)).map { [UInt8]($0) }
    }

    func list(_ path: String) -> [String] {
        let url = root.appendingPathComponent(String(Path.normalized(path).dropFirst()))
        return ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(String(Path.normalized(path).dropFirst())).path)
    }
}

/// Counts expectations met per suite, prints one summary line, and fails when fewer are met than
/// the number recorded for the suite (so any regression fails, and progress is recorded by raising it).
struct ConformanceTally {
    let suite: String
    private(set) var met = 0
    private(set) var total = 0
    private(set) var misses: [String] = []

    init(_ suite: String) { self.suite = suite }

    mutating func expect(_ ok: Bool, _ what: @autoclosure () -> String) {
        total += 1
        if ok { met += 1 } else { misses.append(what()) }
    }

    /// Prints the summary and the misses; fails below `recorded` met or when `recorded` exceeds the total.
    func finish(recorded: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        print("\(suite) conformance: \(met) of \(total) expectations met")
        for miss in misses.prefix(200) { print("  miss: \(miss)") }
        if met < recorded {
            Issue.record("\(suite) conformance regressed: \(met) met, \(recorded) recorded", sourceLocation: sourceLocation)
        }
        if total == 0 {
            Issue.record("\(suite) conformance ran no expectation", sourceLocation: sourceLocation)
        }
    }
}
