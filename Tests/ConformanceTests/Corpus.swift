// Conformance helpers: a corpus tree seen as a mounted filesystem, the tally of one tree's
// expectations, and the known misses each tree's tally is compared with.

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

/// Counts the expectations met on one corpus tree and keeps what was missed, for `KnownMisses`.
struct ConformanceTally {
    private(set) var met = 0
    private(set) var total = 0
    private(set) var misses: [String] = []
    /// Divergences some expectation went through (met with GRUB's evidence, or not).
    var divergencesUsed: Set<String> = []

    mutating func expect(_ ok: Bool, _ what: @autoclosure () -> String) {
        total += 1
        if ok { met += 1 } else { misses.append(what()) }
    }

    /// What the tree's section of the known-misses file holds.
    var record: [String] {
        ["met \(met) of \(total)"] + misses.map { "miss: " + $0 } + divergencesUsed.sorted().map { "divergence: " + $0 }
    }

    /// Compares this tree's result with its known misses (or records it, see `KnownMisses`).
    func finish(suite: String, tree: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        if total == 0 { Issue.record("\(suite) \(tree): no expectation ran", sourceLocation: sourceLocation) }
        KnownMisses.check(suite: suite, tree: tree, record: record, sourceLocation: sourceLocation)
    }
}

/// The known misses of each conformance suite, one section per corpus tree, in
/// `Tests/ConformanceTests/KnownMisses/<suite>.txt`. A tree whose result differs from its section
/// fails — a new miss and a new pass alike — until the file is re-recorded with
/// `BATON_RECORD_GOLDEN=1 swift test --filter ConformanceTests` and the diff is reviewed.
enum KnownMisses {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("KnownMisses")
    static let recordVariable = "BATON_RECORD_GOLDEN"
    static var recording: Bool { ProcessInfo.processInfo.environment[recordVariable] == "1" }
    /// Parameterised cases run in parallel; recording rewrites one file per suite.
    static let fileLock = NSLock()

    static func url(_ suite: String) -> URL { folder.appendingPathComponent("\(suite).txt") }

    /// The sections of a suite's file: tree → lines.
    static func sections(_ suite: String) -> [String: [String]] {
        guard let text = try? String(contentsOf: url(suite), encoding: .utf8) else { return [:] }
        var sections: [String: [String]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## ") {
                current = String(line.dropFirst(3))
                sections[current ?? ""] = []
            } else if let current, !line.isEmpty {
                sections[current, default: []].append(line)
            }
        }
        return sections
    }

    static func write(_ suite: String, _ sections: [String: [String]]) throws {
        var text = """
            # Known misses of the \(suite) conformance suite, one section per corpus tree.
            # Re-record: \(recordVariable)=1 swift test --filter ConformanceTests (then review the diff).

            """
        for tree in sections.keys.sorted() {
            text += "\n## \(tree)\n" + sections[tree, default: []].map { $0 + "\n" }.joined()
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: url(suite), atomically: true, encoding: .utf8)
    }

    /// One line per record line: newlines inside a miss are escaped.
    static func escaped(_ record: [String]) -> [String] {
        record.map { $0.replacingOccurrences(of: "\n", with: "\\n") }
    }

    static func check(suite: String, tree: String, record: [String], sourceLocation: Testing.SourceLocation) {
        let actual = escaped(record)
        fileLock.lock()
        defer { fileLock.unlock() }
        var all = sections(suite)
        if recording {
            all[tree] = actual
            do { try write(suite, all) } catch { Issue.record("cannot record \(url(suite).path): \(error)", sourceLocation: sourceLocation) }
            return
        }
        guard let known = all[tree] else {
            Issue.record("\(suite) \(tree): not in \(url(suite).lastPathComponent); record it with \(recordVariable)=1", sourceLocation: sourceLocation)
            return
        }
        guard known != actual else { return }
        let added = actual.filter { !known.contains($0) }.map { "  + " + $0 }
        let gone = known.filter { !actual.contains($0) }.map { "  - " + $0 }
        Issue.record("""
            \(suite) \(tree) differs from its known misses (re-record with \(recordVariable)=1 and review the diff):
            \((gone + added).joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
    }

    /// Every tree of the suite has a section and every section a tree; every listed divergence is
    /// still used by some tree.
    static func checkSuite(_ suite: String, trees: [String], divergences: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        if recording {
            fileLock.lock()
            defer { fileLock.unlock() }
            var all = sections(suite)
            for tree in Set(all.keys).subtracting(trees) { all[tree] = nil }
            do { try write(suite, all) } catch { Issue.record("cannot record \(url(suite).path): \(error)", sourceLocation: sourceLocation) }
            return
        }
        let all = sections(suite)
        for tree in Set(all.keys).subtracting(trees).sorted() {
            Issue.record("\(suite): \(url(suite).lastPathComponent) has a section for '\(tree)', which is no corpus tree any more", sourceLocation: sourceLocation)
        }
        for tree in Set(trees).subtracting(all.keys).sorted() {
            Issue.record("\(suite): no known misses recorded for '\(tree)'", sourceLocation: sourceLocation)
        }
        let used = Set(all.values.joined().filter { $0.hasPrefix("divergence: ") }.map { String($0.dropFirst("divergence: ".count)) })
        for divergence in Set(divergences).subtracting(used).sorted() {
            Issue.record("\(suite): divergence '\(divergence)' is listed but no expectation needs it any more", sourceLocation: sourceLocation)
        }
    }
}
