// Tests for BLS entries, version ordering and the blscfg command.

import Testing
@testable import BootConfig

@Suite struct BLSTests {
    @Test(arguments: [
        ("5.18.0", "0-rescue-abc", 1), ("6.1.0-13", "6.1.0-9", 1), ("1.0~rc1", "1.0", -1), ("1.0", "1.0", 0),
        ("1.0a", "1.0", 1), ("2", "10", -1), ("fc38", "fc9", 1), ("1.01", "1.1", 0),
    ])
    func versionOrder(a: String, b: String, sign: Int) {
        #expect(VersionCompare.compare(a, b).signum() == sign)
    }

    @Test func parsesAnEntry() {
        let text = "title Fedora (6.5)\nversion 6.5\nlinux /vmlinuz-6.5\ninitrd /a.img $tuned_initrd\ninitrd /b.img\noptions root=x\noptions quiet\nbogus 1\n"
        let (entry, diagnostics) = BLSEntry.parse(text, path: "/loader/entries/abc-6.5.conf")
        #expect(entry.id == "abc-6.5")
        #expect(entry.initrds == ["/a.img", "$tuned_initrd", "/b.img"])
        #expect(entry.options == "root=x quiet")
        #expect(diagnostics.map(\.location.line) == [8])
    }

    @Test func blscfgMakesEntriesNewestFirstWithVariablesExpanded() {
        let files = [
            "/boot/grub/grubenv": "# GRUB Environment Block\nsaved_entry=m-5.10\nkernelopts=root=UUID=r ro\n",
            "/loader/entries/m-5.10.conf": "title Linux 5.10\nversion 5.10\nlinux /vmlinuz-5.10\ninitrd /initrd-5.10 $tuned_initrd\noptions $kernelopts $tuned_params\n",
            "/loader/entries/m-5.9.conf": "title Linux 5.9\nversion 5.9\nlinux /vmlinuz-5.9\noptions $kernelopts quiet\n",
            "/loader/entries/m-broken.conf": "title Broken\n",
        ]
        let result = Grub.run("load_env\nset default=\"${saved_entry}\"\nset tuned_params=\"\"\nblscfg\n", files: files)
        #expect(result.entries.map(\.title) == ["Linux 5.10", "Linux 5.9"])
        #expect(result.entries.map(\.commandLine) == ["root=UUID=r ro", "root=UUID=r ro quiet"])
        #expect(result.entries[0].initrds == [BootFile("/initrd-5.10")])
        #expect(result.defaultIndex == 0)
        #expect(result.diagnostics.contains { $0.message.contains("m-broken.conf has no 'linux'") })
    }
}
