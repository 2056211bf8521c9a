// Feeds every real GRUB config of ../shared/corpus to the parser, whole and truncated: it must
// return (entries or diagnostics) without trapping. Fails loudly when the corpus is missing.

import BootModel
import TestSupport
import Foundation
@testable import Grub
import Testing

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
            let device = BootVolume(name: "d", files: MemoryFileView([file.path: text]))
            let config = GrubConfig.evaluate(text, path: file.path, device: device)
            entries += config.entries.count
            for cut in stride(from: 0, to: text.count, by: max(1, text.count / 7)) {
                _ = GrubConfig.evaluate(String(text.prefix(cut)), path: file.path, device: device)
            }
        }
        #expect(entries > 50)
    }

    /// Corpus configs with random GRUB syntax spliced in: every run must end, within its
    /// work limit, with entries or diagnostics — never a trap or a hang.
    @Test func mutatedGrubConfigsEvaluateWithinLimits() throws {
        let files = Corpus.files(named: ["grub.cfg"])
        #expect(!files.isEmpty, "no grub.cfg found under \(Corpus.root.path)")
        let pieces = ["{", "}", "if", "fi", "then", "else", "$", "${", "\"", "'", "\\", ";", "\n", "function f { f; }\nf\n",
                      "while true; do true; done\n", "menuentry x {", "source $prefix/grub.cfg\n", "configfile /boot/grub/grub.cfg\n",
                      "[ -f", "]", "&&", "||", "$@", "${1}", "for i in a b; do", "done", "submenu s {", "\u{0}", "\u{1b}[2J", "é"]
        var random = SeededGenerator(state: 0xBA70)
        var withDiagnostics = 0
        var options = GrubOptions()
        options.limits.steps = 20_000
        for file in files {
            let original = Array(try String(contentsOf: file, encoding: .utf8).unicodeScalars)
            for _ in 0..<20 {
                var scalars = original
                for _ in 0..<8 {
                    let at = Int(random.next() % UInt64(scalars.count + 1))
                    let piece = pieces[Int(random.next() % UInt64(pieces.count))]
                    scalars.insert(contentsOf: piece.unicodeScalars, at: at)
                }
                let text = String(String.UnicodeScalarView(scalars))
                let device = BootVolume(name: "d", files: MemoryFileView(["/boot/grub/grub.cfg": text]))
                // A trap here ends the test process, which fails the run.
                let config = GrubConfig.evaluate(text, path: "/boot/grub/grub.cfg", device: device, options: options)
                if !config.diagnostics.isEmpty { withDiagnostics += 1 }
            }
        }
        // Spliced syntax breaks the scripts: most mutants must say where (a reader that gave up
        // silently, or never saw the splice, would not).
        #expect(withDiagnostics * 2 > files.count * 20, "only \(withDiagnostics) of \(files.count * 20) mutants drew a diagnostic")
    }

    /// Corpus configs whose commands get hostile arguments in place of their own (negative,
    /// huge and malformed numbers, regex traps, empty and long words), one command line in
    /// five: every run ends with entries or diagnostics, the same ones when run again, within
    /// the entry limit — and the mutations reach the commands, which say so in diagnostics.
    @Test func grubCommandsWithHostileArgumentsStayWithinLimits() throws {
        let files = Corpus.files(named: ["grub.cfg"])
        #expect(!files.isEmpty, "no grub.cfg found under \(Corpus.root.path)")
        let hostile = ["-1", "-1:x", "99999999999999999999", "99999999999999999999:y", "x:q", "--set", "--set=",
                       "a{-1}", "a{2,1}", "[z-a]", "[[:nosuch:]]", "(", "((((((((((", "a**", "\"\"", "", "$", "${",
                       "(hd-1,gpt-1)", "(UUID=)", "(,)/x", "/../../..", String(repeating: "A", count: 4096),
                       "--fs-uuid", "--hint", "0x7fffffffffffffff", "-0", "1e9", "\u{0}", "é"]
        var random = SeededGenerator(state: 0x5EED)
        var options = GrubOptions()
        options.limits.steps = 20_000
        options.limits.menuEntries = 500
        var mutated = 0, withNewDiagnostics = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let device = BootVolume(name: "d", files: MemoryFileView(["/boot/grub/grub.cfg": text]))
            let original = GrubConfig.evaluate(text, path: "/boot/grub/grub.cfg", device: device, options: options)
            for _ in 0..<10 {
                let changed = lines.map { line -> String in
                    var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                    guard words.count > 1, !words[0].hasPrefix("#"), random.next() % 5 == 0 else { return line }
                    let at = 1 + Int(random.next() % UInt64(words.count - 1))
                    words[at] = hostile[Int(random.next() % UInt64(hostile.count))]
                    return words.joined(separator: " ")
                }.joined(separator: "\n")
                let view = MemoryFileView(["/boot/grub/grub.cfg": changed])
                let mutatedDevice = BootVolume(name: "d", files: view)
                let first = GrubConfig.evaluate(changed, path: "/boot/grub/grub.cfg", device: mutatedDevice, options: options)
                let again = GrubConfig.evaluate(changed, path: "/boot/grub/grub.cfg", device: mutatedDevice, options: options)
                #expect(first == again, "\(file.path): a mutant evaluated twice gave two answers")
                #expect(first.entries.count <= 500 * (GrubMenuBuilder.maxSubmenuDepth + 1))
                mutated += 1
                if first.diagnostics.count > original.diagnostics.count { withNewDiagnostics += 1 }
            }
        }
        // The hostile arguments reach the commands: most mutants draw a diagnostic their original did not.
        #expect(withNewDiagnostics * 2 > mutated, "only \(withNewDiagnostics) of \(mutated) mutants drew a new diagnostic")
    }
}
