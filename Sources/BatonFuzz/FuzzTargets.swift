// libFuzzer targets for everything Baton reads from disks and the kernel: GRUB, syslinux, BLS,
// grubenv, the module database and uevents. Built by `scripts/fuzz` with -sanitize=fuzzer and
// -DBATON_FUZZ; in an ordinary build it only says how to run it. BATON_FUZZ_TARGET picks one.

import BootConfig
import Discovery
import Glibc
import KernelModules

enum FuzzTargets {
    static let names = ["grub", "syslinux", "bls", "grubenv", "modules", "uevent"]

    /// Runs one input through a target; the process dies on a trap, which libFuzzer reports.
    static func run(_ target: String, _ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch target {
        case "grub":
            var options = GrubOptions()
            options.limits.steps = 20_000
            let files = ["/boot/grub/grub.cfg": text, "/boot/grub/grubenv": text, "/boot/grub/other.cfg": text, "/loader/entries/a.conf": text]
            let device = GrubDevice(name: "d", files: MemoryFileView(files))
            _ = GrubConfig.evaluate(text, path: "/boot/grub/grub.cfg", device: device, options: options)
        case "syslinux":
            let view = MemoryFileView(["/isolinux/isolinux.cfg": text, "/isolinux/menu.cfg": text, "/isolinux/txt.cfg": text])
            _ = SyslinuxConfig.load(from: view)
        case "bls":
            _ = BLSConfig.load(from: MemoryFileView(["/loader/entries/a.conf": text, "/loader/entries/b.conf": text, "/loader/loader.conf": text]))
        case "grubenv":
            _ = GrubEnvFile.parse(text)
        case "modules":
            let index = ModuleIndex(dep: text, alias: text, softdep: text, builtin: text)
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(8).map(String.init)
            _ = index.loadOrder(for: words)
            for word in words { _ = index.modules(matching: word) }
        case "uevent":
            _ = Uevent.parse(bytes)
        default:
            break
        }
    }

    /// The target named by BATON_FUZZ_TARGET, read once.
    static let selected: String = getenv("BATON_FUZZ_TARGET").map { String(cString: $0) } ?? "grub"
}
