// Tests for BLS entries, version ordering, the blscfg command, and ConfigLocator picking and merging readers.

@testable import BLS
import BootConfig
import BootModel
import Grub
import Syslinux
import TestSupport
import Testing

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
        let result = GrubHarness.run("load_env\nset default=\"${saved_entry}\"\nset tuned_params=\"\"\nblscfg\n", files: files)
        #expect(result.entries.map(\.title) == ["Linux 5.10", "Linux 5.9"])
        #expect(result.entries.map(\.commandLine) == ["root=UUID=r ro", "root=UUID=r ro quiet"])
        #expect(result.entries[0].initrds == [BootFile("/initrd-5.10")])
        #expect(result.defaultIndex == 0)
        #expect(result.diagnostics.contains { $0.message.contains("m-broken.conf has no 'linux'") })
    }
}

@Suite struct BLSConfigTests {
    let entries = [
        "/loader/entries/m-6.1.0.conf": "title Linux\nversion 6.1.0\nlinux /vmlinuz-6.1.0\ninitrd /initrd-6.1.0\noptions root=/dev/sda2 $extra\n",
        "/loader/entries/m-6.10.2.conf": "title Linux\nversion 6.10.2\nlinux /vmlinuz-6.10.2\noptions root=/dev/sda2\noptions quiet\n",
        "/loader/entries/keyed.conf": "title Keyed\nsort-key zz\nlinux /k\n",
        "/loader/entries/efi.conf": "title Shell\nefi /shell.efi\n",
        "/loader/entries/arm.conf": "title Arm\narchitecture aa64\nlinux /k\n",
        "/loader/entries/empty.conf": "title Nothing\n",
        "/grub2/grubenv": "# GRUB Environment Block\nextra=splash\n",
    ]

    @Test func sortsLikeSystemdBootAndNamesRepeatedTitlesByVersion() throws {
        let view = MemoryFileView(entries)
        let config = try #require(BLSConfig.load(from: view, expand: ConfigLocator.grubenvExpansion(on: view)))
        #expect(config.entries.map(\.title) == ["Keyed", "Linux (6.10.2)", "Linux (6.1.0)", "Shell", "Arm"])
        #expect(config.entries[1].commandLine == "root=/dev/sda2 quiet")
        #expect(config.entries[2].commandLine == "root=/dev/sda2 splash")
        #expect(config.entries[3].unbootableReason == "it starts an EFI program, which kexec cannot do")
        #expect(config.entries[4].unbootableReason == "it is for the aa64 architecture")
        #expect(config.diagnostics.map(\.location.file) == ["/loader/entries/empty.conf"])
    }

    @Test func loaderConfDefaultGlobAndTimeout() throws {
        var files = entries
        files["/loader/loader.conf"] = "# comment\ntimeout 4\ndefault m-6.1.0*\nconsole-mode keep\nwhatever 1\n"
        let config = try #require(BLSConfig.load(from: MemoryFileView(files)))
        #expect(config.defaultIndex == 2)
        #expect(config.timeout == 4)
        #expect(config.diagnostics.contains { $0.description == "/loader/loader.conf:5: warning: unknown loader.conf key 'whatever'" })
    }

    @Test func grubWithBlscfgAndTheSameEntriesListsThemOnce() {
        var files = entries
        files["/boot/grub2/grub.cfg"] = "load_env -f /grub2/grubenv\nblscfg\n"
        let device = BootVolume(name: "sda1", files: MemoryFileView(files))
        let configs = ConfigLocator.loadConfigurations(from: device)
        #expect(configs.count == 1)
        #expect(configs.first?.path == "/boot/grub2/grub.cfg")
    }
}

@Suite struct ConfigLocatorTests {
    @Test func btrfsSubvolumeLayoutsAreFound() {
        let files = [
            "/@/boot/grub/grub.cfg": "set timeout=3\nmenuentry Ubuntu { linux /@/boot/vmlinuz root=x; initrd /@/boot/initrd.img }\n",
            "/@/boot/grub/grubenv": "# GRUB Environment Block\n",
        ]
        let device = BootVolume(name: "d", files: MemoryFileView(files))
        #expect(GrubConfig.locate(in: device.files) == "/@/boot/grub/grub.cfg")
        let config = ConfigLocator.loadConfigurations(from: device).first
        #expect(config?.entries.first?.kernel == BootFile("/@/boot/vmlinuz"))
        #expect(config?.timeout == 3)
        #expect(GrubConfig.locate(in: MemoryFileView(["/@boot/grub2/grub.cfg": ""])) == "/@boot/grub2/grub.cfg")
    }

    @Test func repeatsWithinOneConfigurationStay() {
        let cfg = "menuentry A { linux /k ro }\nsubmenu S { menuentry B { linux /k ro } }\n"
        let device = BootVolume(name: "d", files: MemoryFileView(["/boot/grub/grub.cfg": cfg]))
        #expect(ConfigLocator.loadConfigurations(from: device).first?.entries.count == 2)
    }

    @Test func entriesRepeatedByALaterConfigurationAreDropped() {
        let files = [
            "/boot/grub/grub.cfg": "menuentry A { linux /vmlinuz root=x }\n",
            "/loader/entries/a.conf": "title A\nlinux /vmlinuz\noptions root=x\n",
            "/loader/entries/b.conf": "title B\nlinux /other\n",
        ]
        let configs = ConfigLocator.loadConfigurations(from: BootVolume(name: "d", files: MemoryFileView(files)))
        #expect(configs.map { $0.entries.map(\.title) } == [["A"], ["B"]])
    }
}

@Suite struct HotkeyTests {
    @Test func grubHotkeys() {
        let entries = GrubHarness.run("menuentry A --hotkey=a { linux /k }\nmenuentry B --hotkey tab { linux /k }\nmenuentry C { linux /k }").entries
        #expect(entries.map(\.hotkey) == ["a", "\t", nil])
    }

    @Test func syslinuxHotkeysComeFromTheCaret() throws {
        let view = MemoryFileView([
            "/isolinux/isolinux.cfg": "UI menu.c32\nLABEL install\n MENU LABEL ^Install\n KERNEL /vmlinuz\nLABEL x\n MENU LABEL E^xpert\n KERNEL /vmlinuz\nLABEL plain\n KERNEL /vmlinuz\n",
        ])
        let config = try #require(SyslinuxConfig.load(from: view))
        #expect(config.entries.map(\.hotkey) == ["I", "x", nil])
        #expect(config.entries.map(\.title) == ["Install", "Expert", "plain"])
    }
}
