// petitboot's 48 grub2 parser tests (../shared/corpus/petitboot/test/parser/cases), replayed step
// by step against Baton: devices are created and hotplugged, configs and files placed, options
// checked by name, arguments, default and where their files resolve.

import BootModel
import TestSupport
import Foundation
@testable import Grub
import Testing

/// One petitboot parser test, as recorded in cases/<test>.json.
struct PetitbootCase {
    enum Argument: Equatable {
        case str(String)
        case int(Int)
        case expr(String)
    }

    struct Step {
        var call: String?
        var arguments: [Argument]
        var assignTo: String?
        var value: Argument?
    }

    let name: String
    let steps: [Step]
    let embeddedConfig: String?

    static let folder = "petitboot/test/parser"

    static func argument(_ any: Any?) -> Argument? {
        guard let dict = any as? [String: Any] else { return nil }
        if let s = dict["str"] as? String { return .str(s) }
        if let n = dict["int"] as? Int { return .int(n) }
        if let e = dict["expr"] as? String { return .expr(e) }
        return nil
    }

    init?(_ name: String) {
        guard let json = try? Corpus.json("\(Self.folder)/cases/\(name).json") as? [String: Any] else { return nil }
        self.name = name
        embeddedConfig = json["embedded_config"] as? String
        steps = ((json["steps"] as? [[String: Any]]) ?? []).map { step in
            Step(call: step["call"] as? String,
                 arguments: ((step["args"] as? [Any]) ?? []).compactMap(Self.argument),
                 assignTo: step["assign_to"] as? String,
                 value: Self.argument(step["value"]))
        }
    }

    /// The grub2 tests (and the one other test that uses the grub2 parser).
    static var grubTests: [String] {
        Corpus.list("\(folder)/cases").filter { $0.hasPrefix("test-grub2-") || $0 == "test-unresolved-remove.json" }
            .map { String($0.dropLast(5)) }
    }
}

/// The world a petitboot test builds: devices (present or not yet), their files, the parsed options.
struct PetitbootWorld {
    struct Device {
        var id: String
        var uuid: String?
        var label: String?
        var files: [String: [UInt8]] = [:]
        var folders: Set<String> = []

        var bootVolume: BootVolume {
            BootVolume(name: id, uuid: uuid, label: label, files: TreeView(files: files, folders: folders))
        }
    }

    enum Resolution: Equatable, CustomStringConvertible {
        case none
        case unresolved
        case resolved(device: String, path: String)

        var description: String {
            switch self {
            case .none: "not present"
            case .unresolved: "unresolved"
            case .resolved(let device, let path): "\(device):\(path)"
            }
        }
    }

    static let contextDevice = "ctx"
    var devices: [String: Device] = [contextDevice: Device(id: "test-dev")]
    var aliases: [String: String] = ["test->ctx->device": contextDevice, "ctx->device": contextDevice]
    var present: Set<String> = [contextDevice]
    var strings: [String: String] = ["envsig": GrubEnvFile.signature]
    var optionAliases: [String: Int] = [:]
    var config: (path: String, text: String)?
    var run: GrubRun?
    var removedContext = false

    /// Options as petitboot makes them: one per entry that loads a Linux kernel.
    var options: [Int] {
        guard let run, !removedContext else { return [] }
        return run.entries.indices.filter { run.entries[$0].grubKind == .linux }
    }

    func option(_ index: Int) -> BootEntry? {
        guard let run, options.indices.contains(index) else { return nil }
        return run.entries[options[index]]
    }

    mutating func device(_ expr: String) -> String {
        if let key = aliases[expr] { return key }
        devices[expr] = Device(id: expr)
        aliases[expr] = expr
        return expr
    }

    func string(_ argument: PetitbootCase.Argument?) -> String? {
        switch argument {
        case .str(let s)?: s
        case .expr(let e)?: strings[e] ?? (e.hasSuffix("->device->id") ? aliases[String(e.dropLast(12))].flatMap { devices[$0]?.id } : nil)
        default: nil
        }
    }

    /// Where a file Baton names resolves, given the devices present now.
    func resolve(_ file: BootFile?) -> Resolution {
        guard let file else { return .none }
        let match: (Device) -> Bool
        switch file.device {
        case .configDevice: return present.contains(Self.contextDevice) ? .resolved(device: Self.contextDevice, path: file.path) : .unresolved
        case .named(let name): match = { $0.id == name }
        case .uuid(let uuid): match = { $0.uuid?.lowercased() == uuid.lowercased() }
        case .label(let label): match = { $0.label == label }
        case .unknown, .server: return .unresolved
        }
        guard let key = present.sorted().first(where: { devices[$0].map(match) ?? false }) else { return .unresolved }
        return .resolved(device: key, path: file.path)
    }

    mutating func parse() {
        guard let config, let context = devices[Self.contextDevice] else { return }
        var device = context.bootVolume
        device.files = TreeView(files: context.files.merging([Path.normalized(config.path): Array(config.text.utf8)]) { _, new in new },
                                folders: context.folders)
        let others = present.sorted().filter { $0 != Self.contextDevice }.compactMap { devices[$0]?.bootVolume }
        run = GrubRun(config.text, path: config.path, device: device, devices: [device] + others)
    }
}

@Suite struct GrubPetitbootConformanceTests {
    static let divergences: [GrubDivergence] = [
        GrubDivergence(key: "test-grub2-f18-ppc64: args", reason:
            "GRUB splits unquoted words: the double space in 'rd.lvm.lv=…/root  rd.md=0' is one space on the command line; petitboot keeps the text."),
        GrubDivergence(key: "test-grub2-f18-ppc64: name(1)", reason:
            "The entry is inside 'Advanced options for Fedora'; Baton shows the submenu path, petitboot flattens submenus."),
        GrubDivergence(key: "test-grub2-ubuntu-13_04-x86: name(1)", reason: "Submenu entry: Baton shows the submenu path."),
        GrubDivergence(key: "test-grub2-ubuntu-13_04-x86: name(2)", reason: "Submenu entry: Baton shows the submenu path."),
        GrubDivergence(key: "test-grub2-if-formats: name(0)", reason:
            "`if true;then t4=4; ;fi`: GRUB's grammar has no empty command between ';' and ';', so that line is a syntax error and t4 stays unset."),
        GrubDivergence(key: "test-grub2-search-args: name(0)", reason:
            "GRUB 2.06's search needs --file, --label or --fs-uuid ('unspecified search type'): every search here fails and sets nothing."),
        GrubDivergence(key: "test-grub2-search-uuid: name(1)", reason:
            "A search that finds nothing leaves the variable unset in GRUB (petitboot passes the UUID through); the menuentry then has no title and is not defined."),
        GrubDivergence(key: "test-grub2-search-uuid: name(2)", reason:
            "`search --set=v3 UUID` names no search type, which GRUB 2.06 refuses: v3 stays empty and the entry has no title."),
        GrubDivergence(key: "test-grub2-search-uuid: count", reason:
            "Entries whose title expands to nothing are refused by GRUB ('menuentry is missing title')."),
        GrubDivergence(key: "test-grub2-multiple-resolve: boot_image(0)", reason:
            "`search --set=root UUID` without a search type fails in GRUB 2.06, so root stays the config's device."),
        GrubDivergence(key: "test-grub2-multiple-resolve: boot_image(1)", reason: "As boot_image(0)."),
        GrubDivergence(key: "test-unresolved-remove: boot_image(0)", reason: "As test-grub2-multiple-resolve: a typeless search fails in GRUB."),
        GrubDivergence(key: "test-grub2-devpath: boot_image(2)", reason:
            "`root=<bare UUID>` names no device GRUB knows (devices are firmware names or UUID=… in Baton); the kernel cannot be found."),
        GrubDivergence(key: "test-grub2-devpath: boot_image(3)", reason: "As boot_image(2)."),
        GrubDivergence(key: "test-grub2-devpath: boot_image(4)", reason: "`(<bare UUID>)/vmlinux` is no GRUB device name."),
        GrubDivergence(key: "test-grub2-devpath: boot_image(5)", reason: "As boot_image(4)."),
        GrubDivergence(key: "test-grub2-devpath-scripting: name(0)", reason:
            "`[ -f (<bare UUID>)/file ]` is false in GRUB: a bare UUID is no device name."),
        GrubDivergence(key: "test-grub2-test-file-ops: name(0)", reason:
            "GRUB's `-s` opens the path as a file; a directory cannot be opened, so `! -s /dir` is true and status becomes fail_s_2."),
        GrubDivergence(key: "test-grub2-source-functions: name(1)", reason:
            "`function f2 { menuentry … { linux $2 } }` has no ';' or new line before the function's '}', which GRUB's grammar needs: f2 is never defined."),
        GrubDivergence(key: "test-grub2-source-functions: boot_image(0)", reason:
            "GRUB runs an entry's body when it is chosen, with the entry's own parameters ($1 = title): `linux $2` has no file."),
        GrubDivergence(key: "test-grub2-source-functions: count", reason: "See name(1) and boot_image(0)."),
        GrubDivergence(key: "test-grub2-source-functions: boot_image(1)", reason: "See name(1)."),
        GrubDivergence(key: "test-grub2-source-recursion-infinite: count", reason:
            "GRUB lets a file source itself until its recursion limit (62 nested commands): 31 levels from a real boot's top level, 30 under grub-oracle (which sources the config one level down); petitboot stops at 10."),
        GrubDivergence(key: "test-grub2-devpath: boot_image(0)", reason:
            "Entries run when chosen, after the whole config: `$root` is then the bare UUID the config set last, which names no device."),
        GrubDivergence(key: "test-grub2-pos-param: count", reason:
            "`linux test_kernel` has no leading '/': GRUB refuses the file name, so the entry loads no kernel (its positional parameters are right: see fixtures/positional)."),
        GrubDivergence(key: "test-grub2-pos-param: name(0)", reason: "See count."),
        GrubDivergence(key: "test-grub2-pos-param: args(0)", reason: "See count."),
        GrubDivergence(key: "test-grub2-load-env: count", reason:
            "`linux $kernel` with kernel=vmlinux-from-env has no leading '/': GRUB refuses the file name."),
        GrubDivergence(key: "test-grub2-load-env: name(0)", reason: "See count."),
        GrubDivergence(key: "test-grub2-load-env: boot_image(0)", reason: "See count."),
        GrubDivergence(key: "test-grub2-source-functions: name(0)", reason:
            "The entry defined by f1 loads nothing when chosen (see boot_image(0)), so it is no option."),
        GrubDivergence(key: "test-grub2-blscfg-opts-config: args(0)", reason:
            "`set kernelopts=root=… ro rd.lvm.lv=…` : GRUB's set takes its first argument only, so kernelopts is `root=/dev/mapper/fedora-root`."),
        GrubDivergence(key: "test-grub2-blscfg-multiple-bls: name(0)", reason:
            "GRUB's blscfg uses the `title` line as it is: `$os_name` is not expanded in a menu title."),
        GrubDivergence(key: "test-grub2-blscfg-multiple-bls: name(1)", reason: "As name(0)."),
        GrubDivergence(key: "test-grub2-saved-default: boot_image(0)", reason:
            "`linux vmlinux` has no leading '/': GRUB refuses the file name ('invalid file name'), so the entry loads nothing."),
        GrubDivergence(key: "test-grub2-saved-default: count", reason: "See boot_image(0): the entry loads no kernel, so it is no option."),
        GrubDivergence(key: "test-grub2-saved-default: name(0)", reason: "See boot_image(0)."),
        GrubDivergence(key: "test-grub2-saved-default: default(0)", reason: "See boot_image(0)."),
        GrubDivergence(key: "test-grub2-rhel8: count", reason:
            "`--users $grub_users` with grub_users unset leaves `--users` without a value: GRUB refuses those menuentries ('missing mandatory option')."),
        GrubDivergence(key: "test-grub2-save-env: file", reason: "Baton never writes users' disks: save_env does nothing."),
        GrubDivergence(key: "test-grub2-save-env-dash-f: file", reason: "Baton never writes users' disks: save_env does nothing."),
    ]

    /// What GRUB itself does for divergences grub-oracle cannot show (several devices, hotplug,
    /// blscfg, writes): the value Baton must produce, derived from GRUB's rules verified by our
    /// own fixtures (Tests/ConformanceTests/Fixtures) where noted.
    static let grubValues: [String: String] = [
        "test-grub2-f18-ppc64: args": "root=/dev/mapper/fedora_ltcfbl8eb-root ro rd.lvm.lv=fedora_ltcfbl8eb/swap rd.dm=0 rd.lvm.lv=fedora_ltcfbl8eb/root rd.md=0 rd.luks=0 vconsole.keymap=us rhgb quiet",  // fixtures/words
        "test-grub2-f18-ppc64: name(1)": "Advanced options for Fedora > Fedora, with Linux 3.6.10-4.fc18.ppc64p7",
        "test-grub2-ubuntu-13_04-x86: name(1)": "Advanced options for Kubuntu GNU/Linux > Kubuntu GNU/Linux, with Linux 3.8.0-19-generic",
        "test-grub2-ubuntu-13_04-x86: name(2)": "Advanced options for Kubuntu GNU/Linux > Kubuntu GNU/Linux, with Linux 3.8.0-19-generic (recovery mode)",
        "test-grub2-search-uuid: name(1)": "none",  // fixtures/search-probe: a failed search leaves the variable unset
        "test-grub2-search-uuid: name(2)": "none",
        "test-grub2-search-uuid: count": "1",
        "test-grub2-multiple-resolve: boot_image(0)": "ctx:/vmlinux",
        "test-grub2-multiple-resolve: boot_image(1)": "ctx:/vmlinux",
        "test-unresolved-remove: boot_image(0)": "ctx:/vmlinux",
        "test-grub2-devpath: boot_image(2)": "unresolved",
        "test-grub2-devpath: boot_image(3)": "unresolved",
        "test-grub2-devpath: boot_image(4)": "unresolved",
        "test-grub2-devpath: boot_image(5)": "unresolved",
        "test-grub2-devpath-scripting: name(0)": "a",
        "test-grub2-source-recursion-infinite: count": "31",
        "test-grub2-devpath: boot_image(0)": "unresolved",
        "test-grub2-pos-param: count": "0",
        "test-grub2-pos-param: name(0)": "none",
        "test-grub2-pos-param: args(0)": "none",
        "test-grub2-load-env: count": "0",
        "test-grub2-load-env: name(0)": "none",
        "test-grub2-load-env: boot_image(0)": "not present",
        "test-grub2-saved-default: boot_image(0)": "not present",
        "test-grub2-saved-default: count": "0",
        "test-grub2-saved-default: name(0)": "none",
        "test-grub2-saved-default: default(0)": "not",
        "test-grub2-source-functions: count": "0",
        "test-grub2-source-functions: name(0)": "none",
        "test-grub2-source-functions: name(1)": "none",
        "test-grub2-source-functions: boot_image(0)": "not present",
        "test-grub2-source-functions: boot_image(1)": "not present",
        "test-grub2-search-args: name(0)": "test-dev",  // $root unchanged: the config's own device
        "test-grub2-blscfg-opts-config: args(0)": "root=/dev/mapper/fedora-root",
        "test-grub2-blscfg-multiple-bls: name(0)": "$os_name (4.15.2-302.fc28.x86_64) 28 (Twenty Eight)",
        "test-grub2-blscfg-multiple-bls: name(1)": "$os_name (4.14.18-300.fc28.x86_64) 28 (Twenty Eight)",
        "test-grub2-save-env: file": "unchanged",
        "test-grub2-save-env-dash-f: file": "unchanged",
    ]

    static let suite = "grub-petitboot"

    @Test func petitbootGrub2Tests() {
        guard Corpus.require() else { return }
        let names = PetitbootCase.grubTests
        #expect(names.count == 48, "expected petitboot's 48 grub2 tests, found \(names.count)")
        KnownMisses.checkSuite(Self.suite, trees: names, divergences: Self.divergences.map(\.key))
    }

    @Test(arguments: PetitbootCase.grubTests) func petitbootGrub2Case(_ name: String) {
        var tally = GrubTally(divergences: Self.divergences)
        defer { tally.finish(suite: Self.suite, tree: name) }
        guard let test = PetitbootCase(name) else {
            tally.expect(false, "\(name): case file unreadable")
            return
        }
        var world = PetitbootWorld()
        for step in test.steps { Self.apply(step, test: test, world: &world, tally: &tally) }
        Self.controlFlowChecks(test, world: &world, tally: &tally)
    }

    /// GRUB's evidence for a divergence: a grub-oracle record of the same test, else a listed value.
    static func grubAgrees(_ key: String, test: String, baton: String, oracle: (OracleRecord) -> String?) -> Bool? {
        if let value = grubValues[key] { return value == baton }
        guard let record = OracleRecord.named("petitboot", test), let grub = oracle(record) else { return nil }
        return grub == baton
    }

    /// The options GRUB shows in a record: its entries that load a Linux kernel.
    static func oracleOptions(_ record: OracleRecord) -> [OracleRecord.Entry]? {
        guard !record.lacksBlscfg else { return nil }
        return record.menuEntries?.filter { OracleBoot($0.commands ?? []).kind == .linux }
    }

    static func apply(_ step: PetitbootCase.Step, test: PetitbootCase, world: inout PetitbootWorld, tally: inout GrubTally) {
        let args = step.arguments
        func expr(_ n: Int) -> String? { if n < args.count, case .expr(let e) = args[n] { e } else { nil } }
        func str(_ n: Int) -> String? { n < args.count ? world.string(args[n]) : nil }
        func int(_ n: Int) -> Int? { if n < args.count, case .int(let v) = args[n] { v } else { nil } }
        /// The option a check names (`opt`, `opt[1]`, `opt->initrd`…) and the resource field.
        func option(_ n: Int) -> (index: Int, field: String)? {
            guard let e = expr(n) else { return nil }
            let parts = e.components(separatedBy: "->")
            guard let index = world.optionAliases[parts[0]] else { return nil }
            return (index, parts.count > 1 ? parts[1] : "")
        }
        let name = test.name

        guard let call = step.call else {
            guard let target = step.assignTo else { return }
            if target.hasSuffix("->uuid") || target.hasSuffix("->label") {
                let isUUID = target.hasSuffix("->uuid")
                let key = world.device(String(target.dropLast(isUUID ? 6 : 7)))
                let value = world.string(step.value)
                if isUUID { world.devices[key]?.uuid = value } else { world.devices[key]?.label = value }
            } else if case .expr(let e)? = step.value, let key = world.aliases[e] {
                world.aliases[target] = key
            }
            return
        }
        switch call {
        case "test_create_device":
            let key = step.assignTo ?? (str(1) ?? "device")
            world.devices[key] = PetitbootWorld.Device(id: str(1) ?? key)
            world.aliases[key] = key
        case "device_handler_add_device":
            if let e = expr(1) { world.present.insert(world.device(e)) }
        case "test_hotplug_device":
            if let e = expr(1) { world.present.insert(world.device(e)) }
        case "test_remove_device":
            if let e = expr(1) {
                let key = world.device(e)
                world.present.remove(key)
                if key == PetitbootWorld.contextDevice { world.removedContext = true }
            }
        case "test_add_file_string", "test_add_file_data":
            guard let e = expr(1), let path = str(2), var data = str(3) else { return }
            if call == "test_add_file_data", let length = int(4) { data = String(data.prefix(length)) }
            let key = world.device(e)
            world.devices[key]?.files[Path.normalized(path)] = Array(data.utf8)
        case "test_add_dir":
            guard let e = expr(1), let path = str(2) else { return }
            let key = world.device(e)
            world.devices[key]?.folders.insert(Path.normalized(path))
        case "talloc_asprintf":
            if let target = step.assignTo, str(1) == "%s%s" { world.strings[target] = (str(2) ?? "") + (str(3) ?? "") }
        case "test_read_conf_embedded", "test_read_conf_embedded_url":
            guard let path = str(1), let embedded = test.embeddedConfig, let text = try? Corpus.text("\(PetitbootCase.folder)/\(embedded)") else { return }
            world.config = (path, text)
        case "test_read_conf_file":
            // The file lands on the test's device; the last one read is the config (a later embedded read wins).
            guard let file = str(1), let path = str(2), let text = try? Corpus.text("\(PetitbootCase.folder)/data/\(file)") else { return }
            world.devices[PetitbootWorld.contextDevice]?.files[Path.normalized(path)] = Array(text.utf8)
            world.config = (path, text)
        case "test_run_parser":
            world.parse()
        case "get_boot_option":
            if let target = step.assignTo, let index = int(1) { world.optionAliases[target] = index }
        case "check_boot_option_count":
            guard let expected = int(1) else { return }
            let count = world.options.count
            let key = "\(name): count"
            tally.expect(count == expected, "\(name): \(count) options, petitboot expects \(expected)", key: key,
                         grubAgrees: grubAgrees(key, test: name, baton: String(count)) { oracleOptions($0).map { String($0.count) } })
        case "check_name":
            guard let (index, _) = option(0), let expected = str(1) else { return }
            let title = world.option(index)?.title ?? "none"
            let key = "\(name): name(\(index))"
            tally.expect(title == expected, "\(name): option \(index) is '\(title)', petitboot expects '\(expected)'", key: key,
                         grubAgrees: grubAgrees(key, test: name, baton: title) { record in
                             oracleOptions(record).map { $0.indices.contains(index) ? $0[index].path.joined(separator: " > ") : "none" }
                         })
        case "check_args":
            guard let (index, _) = option(0) else { return }
            let expected = expr(1) == "NULL" ? "" : str(1) ?? ""
            let line = world.option(index)?.commandLine ?? "none"
            let key = "\(name): args(\(index))"
            tally.expect(line == expected, "\(name): option \(index) arguments '\(line)', petitboot expects '\(expected)'", key: key,
                         grubAgrees: grubAgrees(key, test: name, baton: line) { record in
                             oracleOptions(record).map { $0.indices.contains(index) ? OracleBoot($0[index].commands ?? []).commandLine : "none" }
                         })
        case "check_is_default":
            guard let (index, _) = option(0) else { return }
            let isDefault = world.run.map { world.options.indices.contains(index) && world.options[index] == $0.configuration.defaultIndex } ?? false
            let key = "\(name): default(\(index))"
            let title = world.option(index)?.title ?? "none"
            tally.expect(isDefault, "\(name): option \(index) ('\(title)') is not the default", key: key,
                         grubAgrees: grubAgrees(key, test: name, baton: isDefault ? "default" : "not") { record in
                             record.default_boot.path.joined(separator: " > ") == title ? "default" : "not"
                         })
        case "check_resolved_local_resource", "check_unresolved_resource", "check_not_present_resource":
            guard let (index, field) = option(0) else { return }
            let entry = world.option(index)
            let file: BootFile? = switch field {
            case "boot_image": entry?.kernel
            case "initrd": entry?.initrds.first
            case "dtb": entry?.devicetree
            default: nil
            }
            let actual = world.resolve(file)
            let expected: PetitbootWorld.Resolution = switch call {
            case "check_resolved_local_resource": .resolved(device: expr(1).map { world.device($0) } ?? "?", path: str(2) ?? "")
            case "check_unresolved_resource": .unresolved
            default: .none
            }
            let key = "\(name): \(field)(\(index))"
            tally.expect(actual == expected, "\(name): option \(index) \(field) is \(actual), petitboot expects \(expected)", key: key,
                         grubAgrees: grubAgrees(key, test: name, baton: actual.description) { _ in nil })
        case "check_file_contents":
            // Baton never writes: the file must still hold what the test put there.
            guard let e = expr(1), let path = str(2) else { return }
            let key = "\(name): file"
            let device = world.device(e)
            let before = world.devices[device]?.files[Path.normalized(path)]
            tally.expect(false, "\(name): \(path) is not rewritten by save_env", key: key,
                         grubAgrees: grubAgrees(key, test: name, baton: before == nil ? "missing" : "unchanged") { _ in nil })
        default:
            break
        }
    }

    /// The checks petitboot runs in loops or tables (read from the upstream test's `run_test`).
    static func controlFlowChecks(_ test: PetitbootCase, world: inout PetitbootWorld, tally: inout GrubTally) {
        func step(_ call: String, _ args: [PetitbootCase.Argument]) -> PetitbootCase.Step {
            PetitbootCase.Step(call: call, arguments: args, assignTo: nil, value: nil)
        }
        switch test.name {
        case "test-grub2-f18-ppc64":
            // Two options, kernel and initrd on the device with the searched UUID once it appears.
            let args = "root=/dev/mapper/fedora_ltcfbl8eb-root ro rd.lvm.lv=fedora_ltcfbl8eb/swap rd.dm=0 rd.lvm.lv=fedora_ltcfbl8eb/root  rd.md=0 rd.luks=0 vconsole.keymap=us rhgb quiet"
            for i in 0..<2 {
                world.optionAliases["opt"] = i
                apply(step("check_resolved_local_resource", [.expr("opt->boot_image"), .expr("dev"), .str("/vmlinuz-3.6.10-4.fc18.ppc64p7")]), test: test, world: &world, tally: &tally)
                apply(step("check_resolved_local_resource", [.expr("opt->initrd"), .expr("dev"), .str("/initramfs-3.6.10-4.fc18.ppc64p7.img")]), test: test, world: &world, tally: &tally)
                let key = "\(test.name): args"
                let line = world.option(i)?.commandLine ?? "none"
                tally.expect(line == args, "\(test.name): option \(i) arguments '\(line)'", key: key,
                             grubAgrees: grubAgrees(key, test: test.name, baton: line) { _ in nil })
                apply(step("check_name", [.expr("opt"), .str(i == 0 ? "Fedora" : "Fedora, with Linux 3.6.10-4.fc18.ppc64p7")]), test: test, world: &world, tally: &tally)
            }
        case "test-grub2-menuentry-formats":
            for i in 0..<10 {
                world.optionAliases["opt"] = i
                apply(step("check_name", [.expr("opt"), .str("test.\(i)")]), test: test, world: &world, tally: &tally)
            }
        case "test-grub2-noeol":
            // A config and grubenv of just "true" and a NUL byte: nothing to show, nothing to trap on.
            let device = BootVolume(name: "test-dev", files: MemoryFileView(["/boot/grub/grubenv": "true\0", "/boot/grub/grub.cfg": "true\0"]))
            let config = GrubConfig.load(from: device)
            tally.expect(config?.entries.isEmpty == true, "\(test.name): a config of 'true' and NUL shows no entry")
        case "test-grub2-save-env":
            guard let table = try? Corpus.json("\(PetitbootCase.folder)/fixtures/test-grub2-save-env/save_env_cases.json") as? [String: Any],
                  let cases = table["cases"] as? [[String: Any]] else {
                tally.expect(false, "\(test.name): save_env table unreadable")
                return
            }
            for entry in cases {
                guard let before = entry["grubenv_before"] as? String, let script = entry["grub_cfg"] as? String,
                      let after = entry["grubenv_after"] as? String else { continue }
                let view = MemoryFileView(["/boot/grub/grubenv": before, "/boot/grub/grub.cfg": script])
                let device = BootVolume(name: "test-dev", files: view)
                _ = GrubConfig.load(from: device)
                let unchanged = view.text(of: "/boot/grub/grubenv") == before
                let key = "\(test.name): file"
                tally.expect(before == after, "\(test.name) \(entry["name"] as? String ?? "?"): grubenv is not rewritten", key: key,
                             grubAgrees: grubAgrees(key, test: test.name, baton: unchanged ? "unchanged" : "changed") { _ in nil })
            }
        default:
            break
        }
    }
}
