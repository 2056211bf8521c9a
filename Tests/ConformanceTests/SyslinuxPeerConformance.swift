// Syslinux configs from peers' test suites against their expected results: u-root's four distro
// trees with golden JSON, and petitboot's syslinux parser tests, step by step.

import BootModel
import TestSupport
import Foundation
import Syslinux
import Testing

enum SyslinuxPeerConformance {
    // MARK: u-root

    static let urootCases = ["debian_9_install", "debian_10_install", "fedora_27_install", "qubes_3_2_install"]

    /// Entries u-root names after a submenu's MENU LABEL: (case, index in u-root's list, Baton's title).
    static let urootMisnamed: [(String, Int, String)] = [
        ("debian_10_install", 1, "Install"),
        ("debian_10_install", 7, "Advanced options > Automated install"),
        ("debian_10_install", 10, "Advanced options > Speech-enabled advanced options > Automated speech install"),
        ("debian_10_install", 12, "Accessible dark contrast installer menu > Install"),
    ]

    static func uroot(_ name: String, _ t: inout SyslinuxTally) throws {
        let base = "u-root/pkg/boot/syslinux/testdata"
        let golden = try #require(try Corpus.json("\(base)/\(name).json") as? [[String: Any]], "\(name).json")
        guard let config = SyslinuxConfig.load(from: DirectoryView(root: Corpus.url("\(base)/\(name)"))) else {
            t.expect(false, "\(name): no syslinux config found")
            return
        }
        // u-root's view of Baton's entries: without LOCALBOOT labels, the default first.
        var listed = Array(config.entries.enumerated())
        let localboot = listed.filter { $0.element.kernel == nil && $0.element.unbootableReason?.hasPrefix("LOCALBOOT") == true }
        listed.removeAll { item in localboot.contains { $0.offset == item.offset } }
        t.expect(config.entries.count == golden.count, divergences: ["localboot-shown"],
                 divergent: !localboot.isEmpty && listed.count == golden.count,
                 "\(name): \(config.entries.count) entries, u-root \(golden.count)")
        if let position = listed.firstIndex(where: { $0.offset == config.defaultIndex }) {
            let isFirst = position == 0
            let entry = listed.remove(at: position)
            listed.insert(entry, at: 0)
            t.expect(isFirst, divergences: ["default-first"], divergent: true,
                     "\(name): default \(config.entries[config.defaultIndex].title) is u-root's first entry")
        } else {
            t.expect(false, "\(name): the default entry is not among u-root's")
        }
        let prefix = "file://testdata/\(name)"
        func path(_ resource: Any?) -> String? {
            ((resource as? [String: Any])?["url"] as? String).map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        }
        for (index, expected) in golden.enumerated() {
            guard index < listed.count else {
                t.expect(false, "\(name)[\(index)]: missing \(expected["name"] ?? "?")")
                continue
            }
            let entry = listed[index].element
            let what = "\(name)[\(index)] \(entry.title)"
            let uName = expected["name"] as? String ?? ""
            t.expect(entry.title == uName, divergences: nameDivergences(entry.title, uName, case: name, index: index),
                     divergent: true, "\(what): name \(uName)")
            t.expect(entry.kernel?.path == path(expected["kernel"]), "\(what): kernel \(path(expected["kernel"]) ?? "none")")
            let initrd = path(expected["initrd"])
            t.expect(entry.initrds.map(\.path) == (initrd.map { [$0] } ?? []), "\(what): initrd \(initrd ?? "none")")
            let cmdline = expected["cmdline"] as? String ?? ""
            t.expect(entry.commandLine == cmdline, "\(what): cmdline \"\(cmdline)\", Baton \"\(entry.commandLine)\"")
            let type = expected["image_type"] as? String ?? "linux"
            let multiboot = entry.unbootableReason?.hasPrefix("multiboot (mboot.c32)") == true
            t.expect(type == "linux" && entry.unbootableReason == nil, divergences: ["multiboot-unbootable"],
                     divergent: type == "multiboot" && multiboot, "\(what): image type \(type)")
            for module in expected["modules"] as? [[String: Any]] ?? [] {
                let moduleName = module["name"] as? String ?? "?"
                t.expect(false, divergences: ["multiboot-unbootable"],
                         divergent: multiboot && entry.unbootableReason?.contains(moduleName) == true,
                         "\(what): multiboot module \(moduleName)")
            }
        }
    }

    /// Which listed differences turn u-root's name into Baton's title, if any do.
    static func nameDivergences(_ title: String, _ uName: String, case name: String, index: Int) -> [String] {
        if urootMisnamed.contains(where: { $0.0 == name && $0.1 == index && $0.2 == title }) {
            return ["menu-label-after-menu-begin"]
        }
        let bare = uName.filter { $0 != "^" }
        var used: [String] = bare == uName ? [] : ["caret"]
        if title == bare { return used }
        if title.hasSuffix(" > " + bare) {
            used.append("submenu-path")
            return used
        }
        return ["unexplained"]
    }

    // MARK: petitboot

    /// Petitboot's expected arguments where syslinux passes something else: (test, option, what syslinux passes).
    static let petitbootArguments: [(String, String, String, [String])] = [
        ("test-syslinux-explicit", "backup", "root=/dev/sdb initrd=/boot/initrd", ["initrd-directive-in-cmdline"]),
        ("test-syslinux-global-append", "linux", "console=tty0", ["append-replaces"]),
        ("test-syslinux-global-append", "backup", "root=/dev/sdb initrd=/boot/initrd", ["append-replaces", "initrd-directive-in-cmdline"]),
        ("test-syslinux-nested-config", "boot", "root=/dev/sda initrd=/initrd-boot", ["append-replaces", "initrd-directive-in-cmdline"]),
        ("test-syslinux-nested-config", "backup", "root=/dev/sdb initrd=/boot/initrd", ["append-replaces", "initrd-directive-in-cmdline"]),
        ("test-syslinux-nested-config", "linux", "root=/dev/sdc", ["append-replaces"]),
    ]

    static let petitbootBase = "petitboot/test/parser"

    /// petitboot's syslinux parser tests, by name.
    static func petitbootTests() -> [String] {
        Corpus.list("\(petitbootBase)/cases").filter { $0.hasPrefix("test-syslinux") && $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }
    }

    static func petitboot(_ test: String, _ t: inout SyslinuxTally) throws {
        let base = petitbootBase
        let file = test + ".json"
        let spec = try #require(try Corpus.json("\(base)/cases/\(file)") as? [String: Any])
        let steps = spec["steps"] as? [[String: Any]] ?? []
        var files: [String: String] = [:]
        var config: BootConfiguration?
        var option: BootEntry?
        func string(_ args: [[String: Any]], _ i: Int) -> String? { i < args.count ? args[i]["str"] as? String : nil }
        func int(_ args: [[String: Any]], _ i: Int) -> Int? { i < args.count ? args[i]["int"] as? Int : nil }
        func expr(_ args: [[String: Any]], _ i: Int) -> String? { i < args.count ? args[i]["expr"] as? String : nil }
        for step in steps {
            guard let call = step["call"] as? String else { continue }
            let args = step["args"] as? [[String: Any]] ?? []
            // Petitboot's test context lists options newest first; Baton lists them in file order.
            let bootable = (config?.entries ?? []).filter { $0.unbootableReason == nil }
            switch call {
            case "test_read_conf_embedded":
                let embedded = try #require(spec["embedded_config"] as? String)
                files[string(args, 1) ?? "/"] = try Corpus.text("\(base)/\(embedded)")
            case "test_read_conf_file":
                files[string(args, 2) ?? "/"] = try Corpus.text("\(base)/data/\(string(args, 1) ?? "")")
            case "test_run_parser":
                config = SyslinuxConfig.load(from: MemoryFileView(files))
                t.expect(config != nil, "\(test): a syslinux config is found")
            case "check_boot_option_count":
                let count = int(args, 1) ?? -1
                let all = config?.entries.count ?? 0
                t.expect(all == count, divergences: ["non-linux-shown"], divergent: bootable.count == count && all > count,
                         "\(test): \(count) options, Baton \(all) entries (\(bootable.count) bootable)")
            case "get_boot_option":
                let index = bootable.count - 1 - (int(args, 1) ?? 0)
                option = bootable.indices.contains(index) ? bootable[index] : nil
            case "check_name":
                let name = string(args, 1) ?? ""
                t.expect(option?.title == name, "\(test): option \(name)")
            case "check_resolved_local_resource", "check_not_present_resource":
                let path = string(args, 2)
                let resource = expr(args, 0) ?? ""
                let actual: [String]
                switch resource {
                case "opt->boot_image": actual = option?.kernel.map { [$0.path] } ?? []
                case "opt->initrd": actual = option?.initrds.map(\.path) ?? []
                case "opt->dtb": actual = option?.devicetree.map { [$0.path] } ?? []
                default: actual = ["?"]
                }
                let local = option.map { o in (o.kernel.map { [$0] } ?? []) + o.initrds }?.allSatisfy { $0.device == .configDevice } ?? false
                t.expect(actual == (path.map { [$0] } ?? []) && local,
                         "\(test) \(option?.title ?? "?"): \(resource) \(path ?? "not present"), Baton \(actual)")
            case "check_args":
                let arguments = string(args, 1) ?? ""
                let listed = petitbootArguments.first { $0.0 == test && $0.1 == option?.title }
                t.expect(option?.commandLine == arguments, divergences: listed?.3 ?? [],
                         divergent: listed != nil && option?.commandLine == listed?.2,
                         "\(test) \(option?.title ?? "?"): args \"\(arguments)\", Baton \"\(option?.commandLine ?? "")\"")
            case "check_is_default":
                let isDefault = config.map { c in c.entries.indices.contains(c.defaultIndex) && c.entries[c.defaultIndex] == option }
                t.expect(isDefault == true, "\(test) \(option?.title ?? "?"): is the default")
            default:
                t.expect(false, "\(test): step \(call) not understood")
            }
        }
    }
}
