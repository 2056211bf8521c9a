// The fuzz targets: one function per reader of what disks and the kernel hand Baton — GRUB,
// syslinux, BLS, grubenv, the module database, uevents and disk images (partition tables, ext4,
// FAT, ISO 9660). BatonFuzz drives them with libFuzzer (scripts/fuzz); FuzzReplayTests replays
// every finding kept in Tests/Fuzz/TARGET/ through the same function.

import BLS
import BootConfig
import BootModel
import Discovery
import DiskImage
import Grub
import KernelModules
import Syslinux

public enum FuzzTargets {
    public static let names = ["grub", "syslinux", "bls", "grubenv", "modules", "uevent", "diskimage"]

    /// Runs one input through a target; the process dies on a trap, which libFuzzer reports.
    public static func run(_ target: String, _ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch target {
        case "grub":
            var options = GrubOptions()
            options.limits.steps = 2_000
            let files = ["/boot/grub/grub.cfg": text, "/boot/grub/grubenv": text, "/boot/grub/other.cfg": text, "/loader/entries/a.conf": text]
            let device = BootVolume(name: "d", files: MemoryFileView(files))
            _ = GrubConfig.evaluate(text, path: "/boot/grub/grub.cfg", device: device, options: options)
        case "syslinux":
            let view = MemoryFileView(["/isolinux/isolinux.cfg": text, "/isolinux/menu.cfg": text, "/isolinux/txt.cfg": text])
            _ = SyslinuxConfig.load(from: view)
        case "bls":
            let view = MemoryFileView(["/loader/entries/a.conf": text, "/loader/entries/b.conf": text, "/loader/loader.conf": text, "/grub2/grubenv": text])
            _ = BLSConfig.load(from: view, expand: ConfigLocator.grubenvExpansion(on: view))
        case "grubenv":
            _ = GrubEnvFile.parse(text)
        case "modules":
            let index = ModuleIndex(dep: text, alias: text, softdep: text, builtin: text)
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(8).map(String.init)
            _ = index.loadOrder(for: words)
            for word in words { _ = index.modules(matching: word) }
        case "uevent":
            _ = Uevent.parse(bytes)
        case "diskimage":
            readImage(bytes)
        default:
            break
        }
    }

    /// What host mode does with a disk image: its partitions and filesystems, then the files a
    /// configuration search opens and the folders it lists.
    static func readImage(_ bytes: [UInt8]) {
        for volume in DiskImageReader.volumes(of: MemoryBytes(bytes)) {
            guard let files = volume.fileView else { continue }
            for folder in ["/", "/boot", "/boot/grub", "/EFI", "/loader/entries", "/isolinux"] {
                for name in files.list(folder).prefix(16) { _ = files.exists(folder + "/" + name) }
            }
            for path in ["/boot/grub/grub.cfg", "/boot/grub/grubenv", "/isolinux/isolinux.cfg", "/EFI/BOOT/grub.cfg"] {
                _ = files.contents(of: path)
            }
        }
    }
}
