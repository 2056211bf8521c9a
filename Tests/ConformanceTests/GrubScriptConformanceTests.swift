// GNU GRUB's own script tests, as u-root keeps them (../shared/corpus/u-root/pkg/boot/grub/testdata):
// each `.in` runs as a configuration, and the arguments of every `echo` must be those in the `.out`
// (written as Go string slices). What GRUB prints for them is compared in the grub-oracle suite.

import BootModel
import TestSupport
import Foundation
@testable import Grub
import Testing

@Suite struct GrubScriptConformanceTests {
    static let folder = "u-root/pkg/boot/grub/testdata"

    /// `echo:[]string{"a", "b\\n"}` → ["a", "b\n"].
    static func arguments(_ line: String) -> [String]? {
        guard line.hasPrefix("echo:[]string{"), line.hasSuffix("}") else { return nil }
        var chars = line.dropFirst("echo:[]string{".count).dropLast()[...]
        var out: [String] = []
        while let c = chars.popFirst() {
            guard c == "\"" else { continue }
            var s = ""
            while let d = chars.popFirst(), d != "\"" {
                guard d == "\\" else {
                    s.append(d)
                    continue
                }
                switch chars.popFirst() {
                case "n"?: s += "\n"
                case "t"?: s += "\t"
                case "\\"?: s += "\\"
                case "\""?: s += "\""
                case let other?: s.append(other)
                case nil: break
                }
            }
            out.append(s)
        }
        return out
    }

    static let suite = "grub-scripts"

    static func names() -> [String] { Corpus.list(folder).filter { $0.hasSuffix(".in") }.map { String($0.dropLast(3)) } }

    @Test func grubScriptTests() {
        guard Corpus.require() else { return }
        let names = Self.names()
        #expect(names.count == 4, "expected 4 script tests, found \(names.count)")
        KnownMisses.checkSuite(Self.suite, trees: names, divergences: [])
    }

    @Test(arguments: names()) func grubScriptTest(_ name: String) throws {
        var tally = GrubTally(divergences: [])
        defer { tally.finish(suite: Self.suite, tree: name) }
        let input = name + ".in"
        let script = try Corpus.text("\(Self.folder)/\(input)")
        let expected = try Corpus.text("\(Self.folder)/\(name).out").split(separator: "\n").compactMap { Self.arguments(String($0)) }
        let device = BootVolume(name: "hd0", files: MemoryFileView(["/boot/grub/grub.cfg": script]))
        let echoed = GrubRun(script, path: "/boot/grub/grub.cfg", device: device).evaluation.machine.echoed
        tally.expect(echoed.count == expected.count, "\(name): \(echoed.count) echo commands ran, expected \(expected.count)")
        for (n, args) in expected.enumerated() {
            let actual = n < echoed.count ? echoed[n] : nil
            tally.expect(actual == args, "\(name): echo \(n) got \(actual.map { "\($0)" } ?? "nothing"), expected \(args)")
        }
    }
}
