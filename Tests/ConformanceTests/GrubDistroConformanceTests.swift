// Debian's own GRUB configs: the netboot installer's (BIOS and the EFI one that sources it) and
// live-build's templates (their @PLACEHOLDERS@ unfilled). They must evaluate to a sensible menu;
// the grub-oracle suite compares them with real GRUB entry by entry.

import BootModel
import TestSupport
import Foundation
@testable import Grub
import Testing

@Suite struct GrubDistroConformanceTests {
    struct Case {
        var name: String
        var folder: String
        var config: String
        var platform: String
    }

    static let cases = [
        Case(name: "installer-12", folder: "debian-installer-12/debian-installer/amd64/grub", config: "/boot/grub/grub.cfg", platform: "pc"),
        Case(name: "installer-12-efi", folder: "debian-installer-12/debian-installer/amd64/grub", config: "/boot/grub/x86_64-efi/grub.cfg", platform: "efi"),
        Case(name: "live-build-grub-pc", folder: "debian-live-build/grub-pc", config: "/boot/grub/grub.cfg", platform: "pc"),
        Case(name: "live-build-grub-pc-efi", folder: "debian-live-build/grub-pc", config: "/boot/grub/grub.cfg", platform: "efi"),
    ]

    static let suite = "grub-debian"

    @Test func debianConfigs() {
        guard Corpus.require() else { return }
        KnownMisses.checkSuite(Self.suite, trees: Self.cases.map(\.name), divergences: [])
    }

    @Test(arguments: cases.map(\.name)) func debianConfig(_ name: String) throws {
        var tally = GrubTally(divergences: [])
        defer { tally.finish(suite: Self.suite, tree: name) }
        for c in Self.cases where c.name == name {
            let view = TreeView(mounts: [("/boot/grub", Corpus.url(c.folder))])
            guard let text = view.text(of: c.config) else {
                tally.expect(false, "\(c.name): \(c.config) missing")
                continue
            }
            var options = GrubOptions()
            options.platform = c.platform
            let run = GrubRun(text, path: c.config, device: BootVolume(name: "cd0", files: view), options: options)
            let errors = run.configuration.diagnostics.filter { $0.severity == .error }
            tally.expect(errors.isEmpty, "\(c.name): errors \(errors.map(\.description))")
            let menu = run.evaluation.tree.map(\.title)
            let record = OracleRecord.named("debian", c.name)
            let grubMenu = (record?.oracle.entries ?? []).filter { $0.path.count == 1 }.map { $0.path[0] }
            tally.expect(!menu.isEmpty && menu == grubMenu, "\(c.name): top-level menu \(menu), GRUB shows \(grubMenu)")
            if c.name.hasPrefix("installer") {
                // Every installer entry boots the installer kernel with its initrd.
                tally.expect(run.entries.count >= 20, "\(c.name): \(run.entries.count) entries")
                for entry in run.entries {
                    tally.expect(entry.kernel?.path.hasPrefix("/debian-installer/amd64/linux") == true && entry.initrds.count == 1,
                                 "\(c.name): '\(entry.title)' kernel \(entry.kernel?.description ?? "none")")
                }
            }
        }
    }
}
