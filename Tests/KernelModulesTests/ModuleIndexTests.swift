// Tests for module database parsing and load order, on text shaped like Debian 6.1's files.

import Testing
@testable import KernelModules
import BootModel

@Suite struct ModuleIndexTests {
    let dep = """
        kernel/fs/nls/nls_cp437.ko:
        kernel/fs/nls/nls_ascii.ko:
        kernel/fs/fat/fat.ko:
        kernel/fs/fat/vfat.ko: kernel/fs/fat/fat.ko
        kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
        kernel/drivers/virtio/virtio_ring.ko:
        kernel/drivers/virtio/virtio_pci_modern_dev.ko:
        kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
        kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
        kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
        kernel/drivers/scsi/sr_mod.ko: kernel/drivers/scsi/scsi_mod.ko kernel/drivers/scsi/scsi_common.ko kernel/drivers/cdrom/cdrom.ko
        kernel/drivers/scsi/scsi_mod.ko: kernel/drivers/scsi/scsi_common.ko
        kernel/drivers/scsi/scsi_common.ko:
        kernel/drivers/cdrom/cdrom.ko:
        kernel/lib/libcrc32c.ko:
        kernel/arch/x86/crypto/crc32c-intel.ko.xz:
        """
    let alias = """
        # Aliases extracted from modules themselves.
        alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci
        alias virtio:d00000002v* virtio_blk
        alias scsi:t-0x05* sr_mod
        alias fs-vfat vfat
        alias crc32c crc32c_intel
        alias crypto-crc32c crc32c_intel
        """
    let softdep = """
        # Soft dependencies extracted from modules themselves.
        softdep libcrc32c pre: crc32c
        softdep vfat pre: nls_cp437 post: nls_ascii
        """
    var index: ModuleIndex { ModuleIndex(dep: dep, alias: alias, softdep: softdep, builtin: "kernel/fs/ext4/ext4.ko\n") }

    @Test func devicesMatchAliases() {
        #expect(index.modules(matching: "pci:v00001AF4d00001042sv00001AF4sd00001100bc01sc00i00") == ["virtio_pci"])
        #expect(index.modules(matching: "virtio:d00000002v00001AF4") == ["virtio_blk"])
        #expect(index.modules(matching: "scsi:t-0x05") == ["sr_mod"])
        #expect(index.modules(matching: "pci:v00008086d00001234sv0sd0bc01sc00i00").isEmpty)
        #expect(index.modules(matching: "fs-vfat") == ["vfat"])
        #expect(index.modules(matching: "crc32c-intel") == ["crc32c_intel"])
    }

    @Test func dependenciesLoadFirstInModulesDepOrder() {
        let plan = index.loadOrder(for: ["virtio_pci", "virtio_blk"])
        #expect(plan.paths == [
            "kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko",
            "kernel/drivers/virtio/virtio_pci_modern_dev.ko", "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
            "kernel/drivers/virtio/virtio_pci.ko", "kernel/drivers/block/virtio_blk.ko",
        ])
        #expect(plan.missing.isEmpty)
    }

    @Test func softDependenciesComeBeforeAndAfter() {
        let plan = index.loadOrder(for: ["vfat"])
        #expect(plan.paths == ["kernel/fs/nls/nls_cp437.ko", "kernel/fs/fat/fat.ko", "kernel/fs/fat/vfat.ko", "kernel/fs/nls/nls_ascii.ko"])
    }

    @Test func softDependencyThroughAnAlias() {
        #expect(index.loadOrder(for: ["libcrc32c"]).paths == ["kernel/arch/x86/crypto/crc32c-intel.ko.xz", "kernel/lib/libcrc32c.ko"])
    }

    @Test func loadedAndBuiltinModulesAreSkippedUnknownOnesReported() {
        let plan = index.loadOrder(for: ["sr_mod", "ext4", "nonesuch"], alreadyLoaded: ["scsi_common", "scsi-mod"])
        #expect(plan.paths == ["kernel/drivers/cdrom/cdrom.ko", "kernel/drivers/scsi/sr_mod.ko"])
        #expect(plan.missing == ["nonesuch"])
    }

    @Test func cyclesTerminate() {
        let cyclic = ModuleIndex(dep: "a.ko: b.ko\nb.ko: a.ko\n", softdep: "softdep a pre: b\n")
        #expect(Set(cyclic.loadOrder(for: ["a"]).paths) == ["a.ko", "b.ko"])
    }

    @Test func softDependenciesThroughAliasesThatLeadInCirclesEnd() {
        // Found by fuzzing: x's soft dependency is an alias for y, whose name is an alias for x.
        let index = ModuleIndex(dep: "a.ko:\n", alias: "alias x* y\nalias y* x\n", softdep: "softdep a pre: xx\n")
        #expect(index.loadOrder(for: ["a"]).paths == ["a.ko"])
        let everything = ModuleIndex(dep: "a.ko: /:\n", alias: "alias * pe\nalias p* a\n", softdep: "softdep a pre: deep\n")
        #expect(everything.loadOrder(for: ["a", "pe"]).paths == ["a.ko"])
    }

    @Test(arguments: [
        ("pci:v*d*", "pci:v1d2", true), ("a?c", "abc", true), ("a?c", "ac", false),
        ("x[0-9]y", "x5y", true), ("x[!0-9]y", "x5y", false), ("x[!0-9]y", "xay", true),
        ("*", "", true), ("abc", "abcd", false), ("a*b*c", "aXbYbZc", true), ("[", "[", true),
    ])
    func glob(pattern: String, text: String, expected: Bool) {
        #expect(Glob.matches(pattern, text) == expected)
    }
}
