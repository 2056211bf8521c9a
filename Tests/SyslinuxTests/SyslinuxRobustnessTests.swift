// Property tests: every syslinux-family file of ../shared/corpus, truncated and mutated at random
// (seeded, so failures reproduce), must load without trapping, in bounded time, with a sane result;
// and configurations built to explode (include and CONFIG fan-out, deep nesting) stay bounded.

import BootModel
import TestSupport
import Foundation
@testable import Syslinux
import Testing

@Suite struct SyslinuxRobustnessTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")

    /// Each tree as a file view's contents (path in the view → bytes), with the files to mutate.
    static func trees() -> [(name: String, files: [String: [UInt8]], targets: [String])] {
        func load(_ folder: String, matching keep: (String) -> Bool) -> [String: [UInt8]] {
            let root = corpus.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [:] }
            var files: [String: [UInt8]] = [:]
            for case let url as URL in walker {
                let relative = String(url.path.dropFirst(root.path.count))
                guard keep(relative), let data = FileManager.default.contents(atPath: url.path), !url.hasDirectoryPath else { continue }
                files[Path.normalized(relative)] = [UInt8](data)
            }
            return files
        }
        let isConfig = { (p: String) in p.hasSuffix(".cfg") || p.hasSuffix(".conf") || p.hasSuffix("/default") || p.hasSuffix(".in") }
        var trees: [(String, [String: [UInt8]], [String])] = []
        for tree in ["debian_9_install", "debian_10_install", "fedora_27_install", "qubes_3_2_install"] {
            let files = load("u-root/pkg/boot/syslinux/testdata/\(tree)", matching: isConfig)
            trees.append((tree, files, files.keys.sorted()))
        }
        let petitboot = load("petitboot/test/parser", matching: { $0.contains("syslinux") && $0.hasSuffix(".cfg") })
        trees.append(("petitboot", petitboot, petitboot.keys.sorted()))
        let installer = load("debian-installer-12", matching: isConfig)
        trees.append(("debian-installer", installer, installer.keys.sorted()))
        let live = load("debian-live-build", matching: { isConfig($0) && !$0.contains("grub") })
        trees.append(("live-build", live, live.keys.sorted()))
        return trees
    }

    /// Lines that stress the parser's state: includes and CONFIG of the tree's own files, open
    /// blocks, odd numbers, bytes syslinux treats as blanks.
    static func hostileLines(_ names: [String]) -> [String] {
        let some = names.prefix(4)
        return some.flatMap { ["include \($0)", "menu include \($0) Tag", "label c\n config \($0)", "label m\n com32 vesamenu.c32 \($0)"] } + [
            "menu begin", "menu end", "menu end", "text help", "endtext", "label", "label x", "default x",
            "default x extra opts", "ui vesamenu.c32", "ontimeout x", "kernel mboot.c32", "append --- --- ---",
            "append initrd=,,,", "initrd ,", "timeout 99999999999999999999", "totaltimeout -1",
            "sysappend 0xffffffffffffffffffffff", "f99 x", "menu default", "menu hide", "menu label ^", "menu title",
            "localboot", "config", "com32 ifcpu64.c32 x -- x", "label x\n com32 ifcpu64.c32 x -- x", "implicit 0",
            "prompt 1", "\u{0}\u{1}\u{7f}", "kernel ::", "kernel \\\\..\\..\\", "include /", "include ../../../../x",
        ]
    }

    static func mutate(_ bytes: [UInt8], names: [String], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        let operation = Int.random(in: 0..<7, using: &rng)
        switch operation {
        case 0:  // truncate
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
        case 1:  // delete a range
            if !bytes.isEmpty {
                let start = Int.random(in: 0..<bytes.count, using: &rng)
                let end = min(bytes.count, start + Int.random(in: 1...200, using: &rng))
                bytes.removeSubrange(start..<end)
            }
        case 2:  // flip bytes, including NUL, CR and invalid UTF-8
            for _ in 0..<Int.random(in: 1...8, using: &rng) where !bytes.isEmpty {
                let values: [UInt8] = [0, 0x0D, 0x0A, 0x20, 0x09, 0x23, 0x5E, 0x80, 0xFF, 0xC3]
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] =
                    Bool.random(using: &rng) ? values.randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
            }
        case 3, 4:  // insert hostile lines
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let line = Array((hostileLines(names).randomElement(using: &rng) ?? "").utf8)
                lines.insert(line, at: Int.random(in: 0...lines.count, using: &rng))
            }
            bytes = Array(lines.joined(separator: [0x0A]))
        case 5:  // duplicate or swap line ranges
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if lines.count > 1 {
                let a = Int.random(in: 0..<lines.count, using: &rng)
                let b = Int.random(in: 0..<lines.count, using: &rng)
                if Bool.random(using: &rng) { lines.swapAt(a, b) } else { lines.insert(contentsOf: lines[min(a, b)...max(a, b)], at: a) }
            }
            bytes = Array(lines.joined(separator: [0x0A]))
        default:  // a very long line
            bytes += Array(repeating: UInt8(ascii: "x"), count: Int.random(in: 4000...9000, using: &rng))
        }
        return bytes
    }

    static func checkSane(_ config: BootConfiguration, _ what: String) {
        #expect(config.entries.isEmpty ? config.defaultIndex == 0 : config.entries.indices.contains(config.defaultIndex), "\(what)")
        #expect(config.timeout.map { $0 >= 0 } ?? true, "\(what)")
        #expect(config.entries.allSatisfy { !$0.title.isEmpty && $0.kernel.map { $0.path.hasPrefix("/") } ?? true }, "\(what)")
    }

    @Test func mutatedCorpusFilesLoadWithoutTrapping() throws {
        let trees = Self.trees()
        #expect(trees.reduce(0) { $0 + $1.targets.count } >= 50, "the shared corpus is missing at \(Self.corpus.path)")
        var rng = SeededGenerator(state: 0x5EED_BA70)
        let clock = ContinuousClock()
        var loads = 0
        let elapsed = clock.measure {
            for tree in trees {
                for target in tree.targets {
                    for round in 0..<6 {
                        var view = MemoryFileView([:])
                        view.files = tree.files
                        view.files[target] = Self.mutate(tree.files[target] ?? [], names: tree.targets, using: &rng)
                        let what = "\(tree.name) \(target) round \(round)"
                        if let config = SyslinuxConfig.load(from: view, path: target) { Self.checkSane(config, what) }
                        if let config = SyslinuxConfig.load(from: view, path: target, workingDirectory: "/") { Self.checkSane(config, what) }
                        if let config = SyslinuxConfig.load(from: view) { Self.checkSane(config, what) }
                        loads += 3
                    }
                }
            }
        }
        print("syslinux robustness: \(loads) loads of mutated corpus files in \(elapsed)")
        #expect(elapsed < .seconds(120))
    }

    @Test func configFanOutIsBounded() throws {
        // Ten CONFIG labels to ten CONFIG labels …: 10^8 file reads if each were read anew.
        var files: [String: String] = [:]
        for level in 0..<8 {
            files["/\(level).cfg"] = (0..<10).map { "label l\(level)x\($0)\n config \(level + 1).cfg\n" }.joined()
        }
        files["/8.cfg"] = "label x\n kernel /x"
        files["/syslinux.cfg"] = "ui menu.c32\ninclude 0.cfg"
        let clock = ContinuousClock()
        var config: BootConfiguration?
        let elapsed = clock.measure { config = SyslinuxConfig.load(from: MemoryFileView(files)) }
        #expect(elapsed < .seconds(30))
        // Each file is resolved once per chain of configs around it, so the work is linear; the
        // chain is cut at the depth limit, and that is said a bounded number of times.
        let diagnostics = config?.diagnostics ?? []
        #expect(diagnostics.contains { $0.message.contains("nests deeper than") })
        #expect(diagnostics.count < 100)
    }

    @Test func manyLabelsAndLookupsStayFast() throws {
        // 10 500 ifcpu64 labels each naming the next one, and an ONTIMEOUT label with options.
        var text = "ui menu.c32\nontimeout l0 extra\ntimeout 10\n"
        for n in 0..<10_500 { text += "label l\(n)\n kernel ifcpu64.c32\n append l\(n + 1) -- l\(n)\n" }
        let clock = ContinuousClock()
        var config: BootConfiguration?
        let elapsed = clock.measure { config = SyslinuxConfig.load(from: MemoryFileView(["/syslinux.cfg": text])) }
        #expect(elapsed < .seconds(30))
        #expect(config?.entries.count == SyslinuxResolver.Builder.maxEntries + 1)
        #expect(config?.diagnostics.contains { $0.message.contains("entries; the rest are not listed") } == true)
    }

    @Test func deepSubmenusAndLongLinesAreBounded() throws {
        let long = String(repeating: "y", count: 10_000)
        var text = "ui menu.c32\n"
        for n in 0..<200 { text += "menu begin \(long)\(n)\n" }
        text += "label deep\n menu label \(long)\n kernel /k\n"
        for _ in 0..<300 { text += "text help\n\(long)\nendtext\n" }
        for _ in 0..<200 { text += "menu end\n" }
        let config = try #require(SyslinuxConfig.load(from: MemoryFileView(["/syslinux.cfg": text])))
        let entry = try #require(config.entries.first)
        #expect(entry.title.count < (SyslinuxParser.maxMenuDepth + 1) * (SyslinuxResolver.maxTitleLength + 3))
        #expect((entry.help?.count ?? 0) <= SyslinuxParser.maxHelpLength)
        #expect(config.diagnostics.contains { $0.message.contains("nest deeper") })
    }
}
