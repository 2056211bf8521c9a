// Debian's own syslinux menus: the installer's netboot boot-screens (Debian 12) and live-build's
// templates, against entries read off the files by hand (no peer has expectations for them).

import BootModel
import TestSupport
import Foundation
import Syslinux
import Testing

enum SyslinuxDebianConformance {
    // MARK: debian-installer

    static let installerRoot = "debian-installer-12"
    static let screens = "/debian-installer/amd64/boot-screens"
    static let installerKernel = "/debian-installer/amd64/linux"
    static let installerInitrd = "/debian-installer/amd64/initrd.gz"

    /// The netboot menu as syslinux shows it: (title, command line).
    static let installerMenu: [(String, String)] = [
        ("Install", "vga=788 initrd=debian-installer/amd64/initrd.gz --- quiet"),
        ("Advanced options > Expert install", "priority=low vga=788 initrd=debian-installer/amd64/initrd.gz ---"),
        ("Advanced options > Rescue mode", "vga=788 initrd=debian-installer/amd64/initrd.gz rescue/enable=true --- quiet"),
        ("Advanced options > Automated install", "auto=true priority=critical vga=788 initrd=debian-installer/amd64/initrd.gz --- quiet"),
        ("Accessible dark contrast installer menu > Install", "vga=788 initrd=debian-installer/amd64/initrd.gz theme=dark --- quiet"),
        ("Accessible dark contrast installer menu > Advanced options > Expert install",
         "priority=low vga=788 initrd=debian-installer/amd64/initrd.gz theme=dark ---"),
        ("Accessible dark contrast installer menu > Advanced options > Rescue mode",
         "vga=788 initrd=debian-installer/amd64/initrd.gz rescue/enable=true theme=dark --- quiet"),
        ("Accessible dark contrast installer menu > Advanced options > Automated install",
         "auto=true priority=critical vga=788 initrd=debian-installer/amd64/initrd.gz theme=dark --- quiet"),
    ]

    /// Each boot-screens file read on its own (pxelinux's working directory, the TFTP root):
    /// (file, entries, default, timeout).
    static let installerFiles: [(String, Int, Int, Int?)] = [
        ("addrk.cfg", 3, 0, nil), ("adtxt.cfg", 3, 0, nil),
        ("drk.cfg", 1, 0, 0),  // DEFAULT without UI or PROMPT boots at once
        ("drkmenu.cfg", 0, 0, nil),
        ("exithelp.cfg", 8, 0, nil),  // CONFIG syslinux.cfg: the whole menu under "menu"
        ("menu.cfg", 8, 4, 0),  // no UI: DEFAULT installdark (drk.cfg) boots at once
        ("prompt.cfg", 8, 4, nil),  // the boot: prompt, DEFAULT installdark, TIMEOUT 0
        ("rqdrk.cfg", 1, 0, nil), ("rqtxt.cfg", 1, 0, nil), ("stdmenu.cfg", 0, 0, nil),
        ("syslinux.cfg", 8, 0, nil), ("txt.cfg", 1, 0, nil),
    ]

    /// Files menu.cfg includes that the text-only netboot image leaves out.
    static let installerMissing: Set<String> = [
        "gtk.cfg", "adgtk.cfg", "adspkgtk.cfg", "adspk.cfg", "drkgtk.cfg", "addrkgtk.cfg", "x86drkme.cfg", "x86menu.cfg",
        "spkgtk.cfg", "spk.cfg",
    ]

    static func debianInstaller(_ t: inout SyslinuxTally) throws {
        let view = DirectoryView(root: Corpus.url(installerRoot))
        let found = Corpus.list("\(installerRoot)\(screens)").filter { $0.hasSuffix(".cfg") }
        t.expect(Set(found) == Set(installerFiles.map(\.0)), "debian-installer: boot-screens holds \(found)")

        guard let main = SyslinuxConfig.load(from: view, path: "\(screens)/syslinux.cfg", workingDirectory: "/") else {
            return t.expect(false, "debian-installer: syslinux.cfg not read")
        }
        t.expect(main.entries.map(\.title) == installerMenu.map(\.0), "debian-installer: titles \(main.entries.map(\.title))")
        for (index, (title, commandLine)) in installerMenu.enumerated() where index < main.entries.count {
            let entry = main.entries[index]
            t.expect(entry.kernel == BootFile(installerKernel), "\(title): kernel \(entry.kernel?.description ?? "none")")
            t.expect(entry.initrds == [BootFile(installerInitrd)], "\(title): initrds \(entry.initrds)")
            t.expect(entry.commandLine == commandLine, "\(title): command line \(entry.commandLine)")
            t.expect(entry.unbootableReason == nil, "\(title): bootable")
        }
        t.expect(main.defaultIndex == 0, "debian-installer: default \(main.defaultIndex)")
        t.expect(main.timeout == nil, "debian-installer: TIMEOUT 0 waits")
        let unexpected = main.diagnostics.filter { d in
            !installerMissing.contains { d.message.hasPrefix("INCLUDE debian-installer/amd64/boot-screens/\($0):") }
        }
        t.expect(unexpected.isEmpty, "debian-installer: only missing includes reported, also \(unexpected)")
        t.expect(main.diagnostics.count == installerMissing.count,
                 "debian-installer: each missing include reported once, \(main.diagnostics.count) diagnostics")

        for (file, count, defaultIndex, timeout) in installerFiles {
            guard let config = SyslinuxConfig.load(from: view, path: "\(screens)/\(file)", workingDirectory: "/") else {
                t.expect(false, "\(file): not read")
                continue
            }
            t.expect(config.entries.count == count, "\(file): \(count) entries, Baton \(config.entries.map(\.title))")
            t.expect(config.defaultIndex == defaultIndex, "\(file): default \(defaultIndex), Baton \(config.defaultIndex)")
            t.expect(config.timeout == timeout, "\(file): timeout \(timeout.map(String.init) ?? "none"), Baton \(config.timeout.map(String.init) ?? "none")")
            let kernels = Set(config.entries.compactMap(\.kernel))
            t.expect(kernels.isSubset(of: [BootFile(installerKernel)]), "\(file): kernels \(kernels)")
            t.expect(config.entries.allSatisfy { !$0.title.isEmpty && !$0.title.contains("^") }, "\(file): titles shown as the menu shows them")
        }
    }

    // MARK: live-build

    static let liveBuildRoot = "debian-live-build"

    /// What live-build writes for @…@ when it builds an amd64 image with the installer and memtest.
    static let liveBuildValues = [
        "@FLAVOUR@": "amd64", "@LINUX@": "/live/vmlinuz", "@INITRD@": "/live/initrd.img",
        "@APPEND_LIVE@": "boot=live components quiet splash",
        "@APPEND_LIVE_FAILSAFE@": "boot=live components memtest noapic noapm nodma nomce nosmp nosplash vga=788",
        "@KERNEL_GI@": "/install/gtk/vmlinuz", "@INITRD_GI@": "/install/gtk/initrd.gz",
        "@KERNEL_DI@": "/install/vmlinuz", "@INITRD_DI@": "/install/initrd.gz", "@APPEND_INSTALL@": "net.ifnames=0",
        "@MEMTEST@": "/live/memtest", "@MEMTEST_VERSION@": "memtest86+",
        "@OPTIONAL_INSTALLER_INCLUDE@": "include install.cfg", "@OPTIONAL_MEMTEST_INCLUDE@": "include memtest.cfg",
    ]

    static func filled(_ text: String) -> String {
        liveBuildValues.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
    }

    /// live-build's boot menu, as syslinux shows it once the templates are filled in.
    static var liveBuildMenu: [String] {
        var titles = ["Live system (amd64)", "Live system (amd64 fail-safe mode)", "Start installer", "Start installer with speech synthesis"]
        for submenu in ["Graphical installer", "Text installer", "Graphical installer with dark theme", "Text installer with dark theme",
                        "Installer with speech synthesis"] {
            for item in ["Install", "Expert install", "Automated install", "Rescue mode"] {
                titles.append("Advanced install options > \(submenu) > \(item)")
            }
        }
        return titles + ["Utilities > Hardware Detection Tool (HDT)", "Utilities > Memory Diagnostic Tool (memtest86+)"]
    }

    /// The four loaders live-build configures: where the top file goes, its folder, pxelinux's TFTP root.
    static let liveBuildLoaders: [(String, String, String, String?)] = [
        ("isolinux", "isolinux/isolinux.cfg", "/isolinux", nil),
        ("syslinux", "syslinux/syslinux.cfg", "/syslinux", nil),
        ("extlinux", "extlinux/extlinux.conf", "/boot/extlinux", nil),
        ("pxelinux", "pxelinux/pxelinux.cfg/default", "/pxelinux.cfg", "/"),
    ]

    static func liveBuild(_ name: String, _ t: inout SyslinuxTally) throws {
        let common = "\(liveBuildRoot)/syslinux_common"
        let templates = ["menu.cfg", "stdmenu.cfg", "utilities.cfg", "memtest.cfg"]
        for (loader, top, folder, workingDirectory) in liveBuildLoaders where loader == name {
            let shared = workingDirectory ?? folder
            var files: [String: String] = [folder + "/" + SyslinuxPathName.last(top): try Corpus.text("\(liveBuildRoot)/\(top)")]
            for name in templates { files[Path.normalized(shared + "/" + name)] = filled(try Corpus.text("\(common)/\(name)")) }
            files[Path.normalized(shared + "/live.cfg")] = filled(try Corpus.text("\(common)/live.cfg.in"))
            files[Path.normalized(shared + "/install.cfg")] = filled(try Corpus.text("\(common)/install_gui.cfg"))
            files[Path.normalized(shared + "/vesamenu.c32")] = ""
            files[Path.normalized(shared + "/hdt.c32")] = ""
            let view = MemoryFileView(files)
            let config = workingDirectory == nil
                ? SyslinuxConfig.load(from: view)
                : SyslinuxConfig.load(from: view, path: folder + "/default", workingDirectory: workingDirectory)
            guard let config else {
                t.expect(false, "live-build \(loader): no config found")
                return
            }
            t.expect(config.path == folder + "/" + SyslinuxPathName.last(top), "live-build \(loader): read \(config.path)")
            t.expect(config.entries.map(\.title) == liveBuildMenu, "live-build \(loader): titles \(config.entries.map(\.title))")
            t.expect(config.defaultIndex == 0, "live-build \(loader): MENU DEFAULT on the live system")
            t.expect(config.timeout == nil, "live-build \(loader): TIMEOUT 0 waits")
            t.expect(config.diagnostics.isEmpty, "live-build \(loader): no diagnostics, \(config.diagnostics)")
            for entry in config.entries {
                let what = "live-build \(loader): \(entry.title)"
                if entry.title.hasSuffix("(HDT)") {
                    t.expect(entry.unbootableReason?.contains("hdt.c32") == true && entry.kernel == BootFile(Path.normalized(shared + "/hdt.c32")),
                             "\(what): hdt.c32 shown, not bootable")
                    continue
                }
                t.expect(entry.unbootableReason == nil, "\(what): bootable")
                let kernel = entry.kernel?.path ?? ""
                let initrd: String? = switch kernel {
                case "/live/vmlinuz": "/live/initrd.img"
                case "/install/gtk/vmlinuz": "/install/gtk/initrd.gz"
                case "/install/vmlinuz": "/install/initrd.gz"
                default: nil
                }
                t.expect(kernel == "/live/memtest" ? entry.initrds.isEmpty : entry.initrds.map(\.path) == [initrd ?? "?"],
                         "\(what): kernel \(kernel) with initrds \(entry.initrds)")
                // INITRD is passed on as initrd= at the end, as syslinux does.
                t.expect(initrd.map { entry.commandLine.hasSuffix(" initrd=" + $0) } ?? !entry.commandLine.contains("initrd="),
                         "\(what): command line \(entry.commandLine)")
            }
            let live = config.entries.first
            t.expect(live?.commandLine == "boot=live components quiet splash initrd=/live/initrd.img",
                     "live-build \(loader): live command line \(live?.commandLine ?? "")")
        }
    }

    /// The templates as shipped, placeholders unfilled: read without failing, placeholders reported.
    static func liveBuildTemplates(_ t: inout SyslinuxTally) throws {
        for file in ["syslinux_common/menu.cfg", "syslinux_common/live.cfg.in", "syslinux_common/install_gui.cfg",
                     "syslinux_common/install_text.cfg", "syslinux_common/utilities.cfg", "syslinux_common/memtest.cfg",
                     "syslinux_common/stdmenu.cfg", "isolinux/isolinux.cfg", "syslinux/syslinux.cfg",
                     "extlinux/extlinux.conf", "pxelinux/pxelinux.cfg/default"] {
            let view = DirectoryView(root: Corpus.url(liveBuildRoot))
            guard let config = SyslinuxConfig.load(from: view, path: "/" + file) else {
                t.expect(false, "live-build \(file): not read")
                continue
            }
            let text = try Corpus.text("\(liveBuildRoot)/\(file)")
            let placeholderLines = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("@") }.count
            let reported = config.diagnostics.filter { $0.location.file == "/" + file && $0.message.contains("'@") }.count
            t.expect(reported == placeholderLines, "live-build \(file): \(placeholderLines) placeholder lines reported, \(reported)")
            t.expect(config.entries.allSatisfy { !$0.title.isEmpty && !$0.title.contains("^") }, "live-build \(file): titles")
        }
    }
}

/// The last component of a relative corpus path.
enum SyslinuxPathName {
    static func last(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
