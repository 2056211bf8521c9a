// The syslinux conformance suite: every peer expectation and Debian tree, one parameterised case
// per tree ("u-root/debian_9_install", "petitboot/test-syslinux-…", "debian-installer",
// "live-build/isolinux", …), each compared with its section of KnownMisses/syslinux.txt.

import BootModel
import TestSupport
import Syslinux
import Testing

@Suite struct SyslinuxConformanceTests {
    static let suite = "syslinux"

    /// Every tree of the suite, named "<source>/<tree>".
    static func trees() -> [String] {
        SyslinuxPeerConformance.urootCases.map { "u-root/\($0)" }
            + SyslinuxPeerConformance.petitbootTests().map { "petitboot/\($0)" }
            + ["debian-installer"]
            + SyslinuxDebianConformance.liveBuildLoaders.map { "live-build/\($0.0)" } + ["live-build/templates"]
    }

    @Test func syslinuxTrees() {
        guard Corpus.require() else { return }
        let petitboot = SyslinuxPeerConformance.petitbootTests()
        #expect(petitboot.count == 4, "petitboot: 4 syslinux tests, found \(petitboot.count)")
        KnownMisses.checkSuite(Self.suite, trees: Self.trees(), divergences: SyslinuxDivergences.all.map(\.id))
    }

    @Test(arguments: trees()) func syslinuxTree(_ tree: String) throws {
        var t = SyslinuxTally()
        defer {
            for (id, count) in t.metThrough.sorted(by: { $0.key < $1.key }) { print("  \(tree): met through divergence \(id): \(count)") }
            t.tally.finish(suite: Self.suite, tree: tree)
        }
        let parts = tree.split(separator: "/", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count > 1 ? parts[1] : nil) {
        case ("u-root", let name?): try SyslinuxPeerConformance.uroot(name, &t)
        case ("petitboot", let name?): try SyslinuxPeerConformance.petitboot(name, &t)
        case ("debian-installer", nil): try SyslinuxDebianConformance.debianInstaller(&t)
        case ("live-build", "templates"?): try SyslinuxDebianConformance.liveBuildTemplates(&t)
        case ("live-build", let loader?): try SyslinuxDebianConformance.liveBuild(loader, &t)
        default: t.tally.expect(false, "\(tree): no such tree")
        }
    }
}
