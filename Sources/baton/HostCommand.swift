// Baton as an ordinary program: lists the entries of a directory tree, or prints the boot plan
// (`--dry-run`), without privileges and without touching any device.

import BootConfig
import BootMenu
import BootModel
import Discovery
import Grub
import LinuxPlatform

enum HostCommand {
    static let usage = """
        usage: baton list [--json] [OPTIONS] DEVICE...
                   the entries Baton would offer, each DEVICE a directory seen as a mounted disk,
                   or a disk image (its partitions read as Baton reads disks: ext2/3/4, vfat, iso9660)
               baton --dry-run [--entry N] [--console NAME] [OPTIONS] DEVICE...
                   what Baton would boot (the default entry unless --entry N)
               baton menu [--timeout N] [OPTIONS] DEVICE...
                   the boot menu on this terminal; choosing an entry prints what would boot
               baton grub-ast FILE
                   the syntax tree of a GRUB script
               baton bench-configs DIR...
                   time to find and evaluate every configuration under the directories
        OPTIONS: --uuid U, --label L   the filesystem UUID or label of the next directory (for `search`)
                 --as NAME             the kernel name of the next disk image (default: its file name);
                                       its partitions are NAME1, NAME2… (nvme0n1p1 for names ending in a digit)
                 --platform pc|efi     GRUB's grub_platform (default pc)
                 --set NAME=VALUE      a GRUB variable set before the configuration runs
        As /init (PID 1), Baton shows its boot menu.
        """

    struct Options {
        var json = false
        var dryRun = false
        var entry: Int?
        var console: String?
        var grub = GrubOptions()
        var devices: [BootVolume] = []
        /// Whether a DEVICE was a disk image (whose files cannot be opened for a boot plan).
        var hasImage: Bool { devices.contains { !($0.files is HostFileView) } }
        var timeout: Int?
        var words: [String] = []
    }

    static func run(arguments: [String]) -> Int32 {
        var options = Options()
        var uuid: String?
        var label: String?
        var imageName: String?
        var rest = arguments[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "--json": options.json = true
            case "--dry-run": options.dryRun = true
            case "--entry": options.entry = rest.popFirst().flatMap { Int($0) }
            case "--console": options.console = rest.popFirst()
            case "--timeout": options.timeout = rest.popFirst().flatMap { Int($0) }
            case "--uuid": uuid = rest.popFirst()
            case "--label": label = rest.popFirst()
            case "--as": imageName = rest.popFirst()
            case "--platform": options.grub.platform = rest.popFirst() ?? "pc"
            case "--set":
                if let assignment = rest.popFirst(), let eq = assignment.firstIndex(of: "=") {
                    options.grub.variables[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...])
                }
            case "--version":
                Console.write("baton \(BatonVersion.string)")
                return 0
            case "-h", "--help", "help":
                Console.write(usage)
                return 0
            default:
                if ["list", "menu"].contains(options.words.first) || options.dryRun {
                    if FileSystem.isDirectory(arg) {
                        guard let device = device(arg, uuid: uuid, label: label, taken: options.devices) else { return 1 }
                        options.devices.append(device)
                    } else {
                        guard let volumes = ImageVolumes.devices(arg, name: imageName) else { return 1 }
                        options.devices += volumes
                    }
                    uuid = nil
                    label = nil
                    imageName = nil
                } else {
                    options.words.append(arg)
                }
            }
        }
        if options.words.first == "bench-configs" {
            let repetitions = Processes.environment("BATON_BENCH_REPETITIONS").flatMap { Int($0) } ?? 50
            return ConfigBenchmark.run(paths: Array(options.words.dropFirst()), repetitions: repetitions)
        }
        if options.words.first == "grub-ast" {
            guard options.words.count == 2 else { printUsage() ; return 2 }
            return grubAST(options.words[1])
        }
        if options.hasImage && (options.dryRun || options.words == ["menu"]) {
            Console.write("baton: disk images can be listed (baton list), not booted from: mount them, or give their directories", fd: 2)
            return 2
        }
        if options.words == ["menu"], !options.devices.isEmpty {
            DryRunHost.runMenu(mounts: mounts(options.devices), grub: options.grub, options: BatonOptions(timeout: options.timeout))
        }
        guard !options.devices.isEmpty, options.dryRun || options.words == ["list"] else {
            printUsage()
            return 2
        }
        let mounts = mounts(options.devices)
        let sources = DeviceScanner.sources(on: mounts, grub: options.grub, log: { _ in })
        guard !sources.isEmpty else {
            Console.write("baton: no boot configuration found (looked for \(ConfigLocator.searchedPaths.joined(separator: ", ")))", fd: 2)
            return 1
        }
        let model = MenuModel(sources: sources, mounts: mounts, options: BatonOptions())
        return options.dryRun ? plan(model, entry: options.entry, console: options.console) : list(model, json: options.json)
    }

    static func printUsage() { Console.write(usage, fd: 2) }

    /// A directory as a device named after its last path component.
    static func device(_ directory: String, uuid: String?, label: String?, taken: [BootVolume]) -> BootVolume? {
        let root = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard FileSystem.isDirectory(root) else {
            Console.write("baton: \(directory): not a directory", fd: 2)
            return nil
        }
        var name = String(root.split(separator: "/").last ?? "root")
        while taken.contains(where: { $0.name == name }) { name += "'" }
        return BootVolume(name: name, uuid: uuid, label: label, files: HostFileView(root: root))
    }

    static func mounts(_ devices: [BootVolume]) -> [MountedDevice] {
        devices.map { device in
            let directory = (device.files as? HostFileView)?.root
            let probe = BlockProbeResult(type: device.filesystem, uuid: device.uuid, label: device.label)
            return MountedDevice(
                device: BlockDevice(name: device.name, isPartition: true, probe: probe), root: directory ?? device.name,
                imageFiles: directory == nil ? device.files : nil)
        }
    }

    static func grubAST(_ path: String) -> Int32 {
        guard let text = FileSystem.text(path) else {
            Console.write("baton: \(path): cannot read", fd: 2)
            return 1
        }
        Console.write(GrubConfig.syntaxTree(text, path: path))
        return 0
    }

    static func list(_ model: MenuModel, json: Bool) -> Int32 {
        for source in model.sources {
            for diagnostic in source.configuration.diagnostics { Console.write("baton: \(source.label): \(diagnostic)", fd: 2) }
        }
        if json {
            Console.write(JSON.entries(model))
            return 0
        }
        for (n, choice) in model.choices.enumerated() {
            let entry = choice.entry
            let mark = n == model.defaultIndex ? "*" : " "
            Console.write("\(mark) \(n) \(entry.title)   [\(choice.source.label) \(choice.source.configuration.path)]")
            if let reason = entry.unbootableReason { Console.write("      unbootable: \(reason)") }
            if let kernel = entry.kernel { Console.write("      linux  \(kernel) \(entry.commandLine)") }
            if !entry.initrds.isEmpty { Console.write("      initrd \(entry.initrds.map(\.description).joined(separator: " "))") }
            if let dtb = entry.devicetree { Console.write("      dtb    \(dtb)") }
        }
        Console.write("timeout: " + (model.timeout.map { "\($0) s" } ?? "none (wait for the user)"))
        return 0
    }

    static func plan(_ model: MenuModel, entry: Int?, console: String?) -> Int32 {
        let index = entry ?? model.defaultIndex
        guard model.choices.indices.contains(index) else {
            Console.write("baton: no entry \(index) (there are \(model.choices.count))", fd: 2)
            return 1
        }
        let title = model.choices[index].entry.title
        switch model.plan(BootRequest(.entry(index: index, commandLine: nil), console: nil), consoles: console.map { [$0] } ?? []) {
        case .failure(let error):
            Console.write("baton: cannot boot \"\(title)\": \(error)", fd: 2)
            return 1
        case .success(let plan):
            Console.write("would boot: \(title)")
            Console.write("kernel:     \(plan.kernel)")
            Console.write("initrds:    \(plan.initrds.map(\.description).joined(separator: " "))")
            Console.write("cmdline:    \(plan.commandLine)")
            return 0
        }
    }
}

/// Hand-written JSON output: Baton carries no Foundation.
enum JSON {
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func entries(_ model: MenuModel) -> String {
        "[\n" + model.choices.indices.map { "  " + entry(model, $0) }.joined(separator: ",\n") + "\n]"
    }

    /// One entry as a JSON object on one line.
    static func entry(_ model: MenuModel, _ n: Int) -> String {
        let choice = model.choices[n]
        let e = choice.entry
        var fields = [
            "\"title\": \(string(e.title))",
            "\"device\": \(string(choice.source.label))",
            "\"kernel\": \(e.kernel.map { string($0.description) } ?? "null")",
            "\"initrds\": [\(e.initrds.map { string($0.description) }.joined(separator: ", "))]",
            "\"cmdline\": \(string(e.commandLine))",
            "\"default\": \(n == model.defaultIndex)",
            "\"origin\": \(string(e.origin.description))",
        ]
        if let id = e.id { fields.append("\"id\": \(string(id))") }
        if let dtb = e.devicetree { fields.append("\"devicetree\": \(string(dtb.description))") }
        if let reason = e.unbootableReason { fields.append("\"unbootable\": \(string(reason))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
