// Feeds every real GRUB config of ../shared/corpus to the parser, whole and truncated: it must
// return (entries or diagnostics) without trapping. Fails loudly when the corpus is missing.

import Foundation
import Testing
@testable import BootConfig

enum Corpus {
    /// ../shared/corpus beside the repository, found from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static func files(named suffixes: [String]) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { url in suffixes.contains { url.lastPathComponent.hasSuffix($0) } }
            .sorted { $0.path < $1.path }
    }
}

@Suite struct CorpusRobustnessTests {
    @Test func corpusIsPresent() {
        #expect(FileManager.default.fileExists(atPath: Corpus.root.path),
                "The shared corpus is missing at \(Corpus.root.path): corpus tests cannot run. Check out ../shared beside the repo.")
    }

    @Test func everyGrubConfigParsesWholeAndTruncated() throws {
        let files = Corpus.files(named: ["grub.cfg", ".in"])
        #expect(files.count >= 20, "expected the corpus's GRUB configs, found \(files.count) under \(Corpus.root.path)")
        var entries = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let device = GrubDevice(name: "d", files: MemoryFileView([file.path: text]))
            let config = GrubConfig.evaluate(text, path: file.path, device: device)
            entries += config.entries.count
            for cut in stride(from: 0, to: text.count, by: max(1, text.count / 7)) {
                _ = GrubConfig.evaluate(String(text.prefix(cut)), path: file.path, device: device)
            }
        }
        #expect(entries > 50)
    }
}
