// u-root's GRUB golden trees (../shared/corpus/u-root/pkg/boot/grub/testdata_new): every folder is a
// device at once, each case's config is loaded from its own folder, and its entries are compared
// with u-root's JSON: names, order, kernel, initrds, command line, multiboot, and the default.
// u-root reads GRUB line by line, so where it differs from GRUB the GRUB behaviour is kept —
// counted as met only when grub-oracle's record of the same tree agrees with Baton.

import BootModel
import TestSupport
import Foundation
@testable import Grub
import Testing

@Suite struct GrubURootConformanceTests {
    static let base = "u-root/pkg/boot/grub/testdata_new"

    static let divergences: [GrubDivergence] = [
        GrubDivergence(key: "CentOS_7_x86_64_DVD_1810: order", reason: "u-root lists the default entry first; GRUB keeps the config's order."),
        GrubDivergence(key: "fedora_27_install: order", reason: "u-root lists the default entry first; GRUB keeps the config's order."),
        GrubDivergence(key: "CentOS_7_x86_64_DVD_1810: cmdline", reason:
            "Outside quotes GRUB turns `\\x` into `x`: `LABEL=CentOS\\x207\\x20x86_64` reaches the kernel as `LABEL=CentOSx207x20x86_64`."),
        GrubDivergence(key: "CentOS_7_x86_64_DVD_1810: name", reason: "Entries in the 'Troubleshooting -->' submenu carry the submenu in their title path."),
        GrubDivergence(key: "fedora_27_install: name", reason: "Entries in the 'Troubleshooting -->' submenu carry the submenu in their title path."),
        GrubDivergence(key: "debian_10_4_installed: name", reason: "Entries in 'Advanced options for Debian GNU/Linux' carry the submenu in their title path."),
        GrubDivergence(key: "debian_9_install: name", reason: "Entries in the localisation submenu carry the submenu in their title path."),
        GrubDivergence(key: "debian_9_install: cmdline", reason:
            "`\"${loopback}\"` expands to `findiso=` (iso_path is unset); u-root leaves the variable unexpanded."),
        GrubDivergence(key: "ubuntu_16_04_boot: name", reason: "Entries in 'Advanced options for Ubuntu' carry the submenu in their title path."),
        GrubDivergence(key: "ubuntu_16_04_boot: cmdline", reason:
            "`$vt_handoff` is set by the config (vt.handoff=7); u-root leaves it unexpanded."),
        GrubDivergence(key: "qubes_3_2_boot: name", reason: "Entries in the Xen submenus carry the submenus in their title path."),
        GrubDivergence(key: "qubes_3_2_boot: cmdline", reason: "`${xen_rm_opts}` is unset and expands to nothing; u-root leaves it unexpanded."),
        GrubDivergence(key: "CentOS_8_Stream_x86_64_blscfg_sda1: name", reason:
            "Fedora's blscfg titles an entry with its `title` line (u-root appends the version); the tboot entry is in the 'tboot 1.10.2' submenu."),
        GrubDivergence(key: "fedora_27_install: waiting", reason:
            "`search -l Fedora-WS-Live-27-1-6` finds no device here (the tree has no LABEL) and the files are not on the config's own device: GRUB, keeping $root, cannot load them; Baton waits for the labelled device instead."),
        GrubDivergence(key: "CentOS_8_Stream_x86_64_blscfg_sda1: cmdline", reason:
            "`options $kernelopts $tuned_params` with tuned_params empty: GRUB's word splitting leaves no trailing space (u-root keeps one)."),
    ]

    /// GRUB's titles for BLS entries (Fedora's blscfg, which grub-oracle's upstream GRUB lacks):
    /// the `title` line; and the command line it builds from `options` (word-split, see fixtures/words).
    static let grubValues: [String: Set<String>] = [
        "CentOS_8_Stream_x86_64_blscfg_sda1: name": ["CentOS Linux (5.18.0) 8", "CentOS Linux (0-rescue-9af7b02ac08149d985841c07c8ff366e) 8"],
        "CentOS_8_Stream_x86_64_blscfg_sda1: cmdline": ["root=UUID=d0be5cb9-622d-42d5-a531-674aaa120309 ro crashkernel=auto rhgb quiet console=ttyS1,57600n8"],
    ]

    /// Every folder of testdata_new as a device: name = folder, UUID and LABEL from its files.
    static func devices() -> [BootVolume] {
        Corpus.list(base).filter { !$0.hasSuffix(".json") }.map { folder in
            let url = Corpus.url("\(base)/\(folder)")
            func read(_ file: String) -> String? {
                (try? String(contentsOf: url.appendingPathComponent(file), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return BootVolume(name: folder, uuid: read("UUID"), label: read("LABEL"), files: TreeView(mounts: [("/", url)]))
        }
    }

    /// `{"url": "file:///testdata_new/<folder>/<path>"}` or `{"name": "testdata_new/<folder>/<path>"}` → "<folder><path>".
    static func file(_ any: Any?) -> String? {
        guard let dict = any as? [String: Any], let raw = (dict["url"] as? String) ?? (dict["name"] as? String) else { return nil }
        var text = raw.hasPrefix("file://") ? String(raw.dropFirst(7)) : raw
        if text.hasPrefix("/") { text.removeFirst() }
        guard text.hasPrefix("testdata_new/") else { return nil }
        return String(text.dropFirst("testdata_new/".count))
    }

    /// Baton's file as "<folder><path>", or a note that it waits for a device.
    static func file(_ file: BootFile?, caseFolder: String) -> String? {
        guard let file else { return nil }
        switch file.device {
        case .configDevice: return caseFolder + file.path
        case .named(let name): return name + file.path
        default: return "\(file.device) (waiting)\(file.path)"
        }
    }

    static let suite = "grub-u-root"

    /// The cases: the folders with a `<case>.json`.
    static func cases() -> [String] { Corpus.list(base).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) } }

    @Test func uRootCases() {
        guard Corpus.require() else { return }
        let cases = Self.cases()
        #expect(cases.count == 11, "expected u-root's 11 cases, found \(cases.count)")
        KnownMisses.checkSuite(Self.suite, trees: cases, divergences: Self.divergences.map(\.key))
    }

    @Test(arguments: cases()) func uRootCase(_ name: String) throws {
        var tally = GrubTally(divergences: Self.divergences)
        defer { tally.finish(suite: Self.suite, tree: name) }
        let devices = Self.devices()
        guard let device = devices.first(where: { $0.name == name }),
              let expected = try Corpus.json("\(Self.base)/\(name).json") as? [[String: Any]] else {
            tally.expect(false, "\(name): case unreadable")
            return
        }
        guard let config = GrubConfig.load(from: device, devices: devices) else {
            tally.expect(false, "\(name): no grub.cfg found")
            return
        }
        let record = OracleRecord.named("u-root", name)
        let grubEntries = record?.menuEntries ?? []
        func oracle(_ entry: BootEntry) -> OracleRecord.Entry? { grubEntries.first { $0.path == entry.titlePath } }
        func literal(_ key: String, _ value: String) -> Bool? { Self.grubValues[key].map { $0.contains(value) } }

        let bootable = config.entries.indices.filter { [.linux, .multiboot].contains(config.entries[$0].grubKind) }
        var unmatched = bootable
        var matched: [Int?] = []
        for (k, peer) in expected.enumerated() {
            let peerName = peer["name"] as? String ?? ""
            // The entry u-root means: same title, else same last title (submenus), else a BLS title + version.
            let exact = unmatched.first { config.entries[$0].title == peerName }
            let index = exact
                ?? unmatched.first { config.entries[$0].titlePath.last == peerName }
                ?? unmatched.first { peerName.hasPrefix(config.entries[$0].titlePath.last.map { $0 + " " } ?? "\u{0}") }
            matched.append(index)
            guard let index else {
                tally.expect(false, "\(name): no entry for u-root's '\(peerName)'")
                continue
            }
            unmatched.removeAll { $0 == index }
            let entry = config.entries[index]
            let key = { (field: String) in "\(name): \(field)" }
            tally.expect(exact != nil, "\(name): '\(entry.title)' is u-root's '\(peerName)'", key: key("name"),
                         grubAgrees: literal(key("name"), entry.title) == true || oracle(entry) != nil)
            let position = bootable.firstIndex(of: index) ?? -1
            tally.expect(position == k, "\(name): '\(peerName)' at \(position), u-root lists it at \(k)", key: key("order"),
                         grubAgrees: grubEntries.filter { OracleBoot($0.commands ?? []).kind != .none }.firstIndex { $0.path == entry.titlePath } == position)
            // A failed search makes Baton wait for the searched device when the file is not on
            // the unchanged $root either: GRUB, looking there, cannot boot it.
            func waitsWhereGrubFails(_ file: BootFile?) -> Bool {
                guard let file else { return false }
                switch file.device {
                case .uuid, .label: return !device.files.exists(file.path)
                default: return false
                }
            }
            let kernel = Self.file(entry.kernel, caseFolder: name)
            tally.expect(kernel == Self.file(peer["kernel"]), "\(name): '\(peerName)' kernel \(kernel ?? "none"), u-root \(Self.file(peer["kernel"]) ?? "none")",
                         key: key("waiting"), grubAgrees: waitsWhereGrubFails(entry.kernel))
            let initrds = entry.initrds.compactMap { Self.file($0, caseFolder: name) }
            let peerInitrds = Self.file(peer["initrd"]).map { [$0] } ?? []
            tally.expect(initrds == peerInitrds, "\(name): '\(peerName)' initrds \(initrds), u-root \(peerInitrds)",
                         key: key("waiting"), grubAgrees: entry.initrds.allSatisfy(waitsWhereGrubFails))
            let peerLine = peer["cmdline"] as? String ?? ""
            tally.expect(entry.commandLine == peerLine, "\(name): '\(peerName)' command line '\(entry.commandLine)', u-root '\(peerLine)'",
                         key: key("cmdline"),
                         grubAgrees: literal(key("cmdline"), entry.commandLine) ?? oracle(entry).map { OracleBoot($0.commands ?? []).commandLine == entry.commandLine })
            let multiboot = (peer["image_type"] as? String) == "multiboot"
            tally.expect((entry.grubKind == .multiboot) == multiboot, "\(name): '\(peerName)' multiboot \(entry.grubKind == .multiboot), u-root \(multiboot)")
        }
        tally.expect(bootable.count == expected.count, "\(name): \(bootable.count) bootable entries, u-root has \(expected.count)")
        // u-root's default: the entry ranked highest (BLS saved_entry), else its first.
        let ranks = expected.map { Int($0["rank"] as? String ?? "0") ?? 0 }
        let peerDefault = ranks.max().flatMap { top in top > 0 ? ranks.firstIndex(of: top) : nil } ?? 0
        let defaultEntry = config.entries.indices.contains(config.defaultIndex) ? config.entries[config.defaultIndex].title : "none"
        tally.expect(matched.indices.contains(peerDefault) && matched[peerDefault] == config.defaultIndex,
                     "\(name): default '\(defaultEntry)', u-root's is '\(expected.indices.contains(peerDefault) ? expected[peerDefault]["name"] as? String ?? "" : "none")'")
    }
}
