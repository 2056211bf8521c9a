// What several test targets share: ../shared/corpus (real configs from other projects' test
// suites, never copied into this repository; when it is missing, tests fail and say so), and a
// seedable random generator for the mutation tests.

import Foundation
import Testing

public enum Corpus {
    /// ../shared/corpus beside the repository, found from this file's path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    public static var isPresent: Bool { FileManager.default.fileExists(atPath: root.path) }

    /// Records a failing expectation, loudly, when the corpus is missing; returns whether it is there.
    @discardableResult
    public static func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        if !isPresent {
            Issue.record("""
                The shared corpus is missing at \(root.path): corpus tests cannot run. \
                Clone ../shared beside the repository.
                """, sourceLocation: sourceLocation)
        }
        return isPresent
    }

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func text(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }

    public static func json(_ relative: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(relative)))
    }

    /// Immediate children of a corpus folder, sorted.
    public static func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url(relative).path)) ?? []).sorted()
    }

    /// Every file of the corpus whose name ends with one of the suffixes, sorted by path.
    public static func files(named suffixes: [String]) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { url in suffixes.contains { url.lastPathComponent.hasSuffix($0) } }
            .sorted { $0.path < $1.path }
    }
}

/// SplitMix64: small, seedable, good enough to pick mutations.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
