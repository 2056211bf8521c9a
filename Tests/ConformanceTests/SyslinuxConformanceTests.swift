// The syslinux conformance suite: every peer expectation and Debian tree, one tally per source and
// one for all ("syslinux conformance: N of M expectations met"), each failing below its record.

import BootModel
import TestSupport
import Syslinux
import Testing

@Suite struct SyslinuxConformanceTests {
    /// Expectations met when last recorded; raise them as conformance improves.
    static let recorded = ["u-root": 561, "petitboot": 47, "debian-installer": 98, "live-build": 350]

    @Test func syslinuxConformance() throws {
        guard Corpus.require() else { return }
        var all = ConformanceTally("syslinux")
        var used: Set<String> = []
        let suites: [(String, (inout SyslinuxTally) throws -> Void)] = [
            ("u-root", SyslinuxPeerConformance.uroot),
            ("petitboot", SyslinuxPeerConformance.petitboot),
            ("debian-installer", SyslinuxDebianConformance.debianInstaller),
            ("live-build", SyslinuxDebianConformance.liveBuild),
        ]
        for (name, run) in suites {
            var tally = SyslinuxTally("syslinux/\(name)")
            try run(&tally)
            tally.tally.finish(recorded: Self.recorded[name] ?? 0)
            for (id, count) in tally.metThrough.sorted(by: { $0.key < $1.key }) {
                print("  met through divergence \(id): \(count)")
            }
            used.formUnion(tally.usedDivergences)
            for _ in 0..<tally.tally.met { all.expect(true, "") }
            for miss in tally.tally.misses { all.expect(false, "\(name): \(miss)") }
        }
        all.finish(recorded: Self.recorded.values.reduce(0, +))
        // Every intended divergence is still needed; a stale one would hide nothing but mislead.
        for divergence in SyslinuxDivergences.all where !used.contains(divergence.id) {
            Issue.record("divergence \(divergence.id) (\(divergence.peer)) is listed but no expectation needs it")
        }
    }
}
