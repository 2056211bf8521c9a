// GRUB configurations end to end: where grub.cfg lives, running it, building the menu (entry
// bodies run as GRUB runs them when chosen), and the default, fallback and timeout it leaves.

public struct GrubOptions: Sendable {
    /// `grub_platform`: "pc" or "efi"; configs branch on it.
    public var platform = "pc"
    /// Variables set before the configuration runs.
    public var variables: [String: String] = [:]
    public var limits = GrubLimits()
    public init() {}
}

public enum GrubConfig {
    /// Where grub.cfg is looked for, in order; `*` is any folder (EFI/debian, EFI/fedora…).
    public static let searchPaths = ["/EFI/*/grub.cfg", "/boot/grub/grub.cfg", "/grub/grub.cfg", "/grub2/grub.cfg", "/boot/grub2/grub.cfg"]

    /// The first grub.cfg in the view, in `searchPaths` order.
    public static func locate(in view: some FileView) -> String? {
        for pattern in searchPaths {
            if pattern.hasPrefix("/EFI/*/") {
                for efi in ["/EFI", "/efi"] {
                    for folder in view.list(efi) {
                        let path = "\(efi)/\(folder)/grub.cfg"
                        if view.contents(of: path) != nil { return path }
                    }
                }
            } else if view.contents(of: pattern) != nil {
                return pattern
            }
        }
        return nil
    }

    /// Finds and runs the GRUB configuration of `device`; `devices` are all devices `search` may find.
    public static func load(from device: GrubDevice, devices: [GrubDevice] = [], options: GrubOptions = GrubOptions()) -> BootConfiguration? {
        guard let path = locate(in: device.files), let text = device.files.text(of: path) else { return nil }
        return evaluate(text, path: path, device: device, devices: devices, options: options)
    }

    /// Runs configuration text read from `path` on `device`.
    public static func evaluate(
        _ text: String, path: String, device: GrubDevice, devices: [GrubDevice] = [], options: GrubOptions = GrubOptions()
    ) -> BootConfiguration {
        let all = devices.contains { $0.name == device.name } ? devices : [device] + devices
        var machine = GrubMachine(configDevice: device, devices: all, file: path, limits: options.limits)
        let directory = Path.directory(of: path)
        let initial: [String: String] = [
            "root": device.name, "prefix": "(\(device.name))\(directory)", "cmdpath": "(\(device.name))\(directory)",
            "config_directory": "(\(device.name))\(directory)", "config_file": "(\(device.name))\(path)",
            "grub_platform": options.platform, "grub_cpu": options.platform == "efi" ? "x86_64" : "i386",
            "feature_chainloader_bpb": "y", "feature_ntldr": "y", "feature_platform_search_hint": "y",
            "feature_default_font_path": "y", "feature_all_video_module": "y", "feature_menuentry_id": "y",
            "feature_menuentry_options": "y", "feature_200_final": "y", "feature_nativedisk_cmd": "y",
            "feature_timeout_style": "y", "pager": "", "lang": "", "locale_dir": "",
        ]
        machine.variables = initial.merging(options.variables) { $1 }
        machine.exported = ["root", "prefix", "grub_platform", "grub_cpu", "cmdpath", "config_directory", "config_file", "lang", "locale_dir"]
        machine.sourceStack = ["(\(device.name))\(path)"]
        let script = GrubParser.parse(text, file: path)
        for d in script.diagnostics { machine.diagnostics.add(d) }
        _ = machine.run(script.statements)

        let tree = GrubMenuBuilder.build(machine)
        let flat = GrubMenuBuilder.flatten(tree)
        var selection = GrubDefaultSelection(tree: tree, flat: flat)
        let defaultIndex = selection.index(for: machine.value(of: "default"), what: "default") ?? 0
        let fallbackIndex = machine.variables["fallback"].flatMap { $0.isEmpty ? nil : selection.index(for: $0, what: "fallback") }
        for message in selection.problems { machine.warn(message, line: 0) }
        let timeout: Int? = {
            guard let raw = machine.variables["timeout"], !raw.isEmpty else { return nil }
            guard let n = Int(raw) else {
                machine.warn("timeout '\(raw)' is not a number; waiting for the user", line: 0)
                return nil
            }
            return n < 0 ? nil : n
        }()
        let style = BootConfiguration.TimeoutStyle(rawValue: machine.value(of: "timeout_style")) ?? .menu
        return BootConfiguration(
            path: path, entries: flat.map(\.entry), defaultIndex: defaultIndex, timeout: timeout,
            diagnostics: machine.diagnostics.all, timeoutStyle: style, fallbackIndex: fallbackIndex)
    }

    /// The script's syntax tree as text (for `baton grub-ast`).
    public static func syntaxTree(_ text: String, path: String) -> String {
        let script = GrubParser.parse(text, file: path)
        return (script.statements.map { $0.printed() } + script.diagnostics.map { "# \($0)" }).joined(separator: "\n")
    }
}

/// A built menu: entries, and submenus holding more.
indirect enum GrubMenuItem {
    case entry(BootEntry, id: String?)
    case submenu(title: String, id: String?, items: [GrubMenuItem])

    var title: String {
        switch self {
        case .entry(let entry, _): entry.title
        case .submenu(let title, _, _): title
        }
    }

    var id: String? {
        switch self {
        case .entry(_, let id), .submenu(_, let id, _): id
        }
    }
}

enum GrubMenuBuilder {
    /// Runs every entry's body in a copy of the final state, as GRUB does when the entry is chosen;
    /// submenus run in a new context that keeps only exported variables.
    static func build(_ machine: GrubMachine) -> [GrubMenuItem] {
        var items: [GrubMenuItem] = []
        for node in machine.menu {
            var run = machine
            run.menu = []
            run.loaded = GrubLoadedBoot()
            run.positional = [node.title] + node.extraArguments
            run.file = node.origin.file
            if node.submenu {
                run.variables = machine.variables.filter { machine.exported.contains($0.key) }
                _ = run.run(node.body)
                items.append(.submenu(title: node.title, id: node.id, items: build(run)))
                continue
            }
            run.variables["chosen"] = node.id ?? node.title
            _ = run.run(node.body)
            if run.loaded.kernel == nil, !run.menu.isEmpty {
                // The body defined entries (configfile, nested menuentry): it acts as a submenu.
                items.append(.submenu(title: node.title, id: node.id, items: build(run)))
                continue
            }
            let loaded = run.loaded
            var reason = loaded.unbootableReason
            if reason == nil, loaded.kernel == nil { reason = "it loads no Linux kernel" }
            items.append(.entry(BootEntry(
                title: node.title, id: node.id, kernel: loaded.kernel, initrds: loaded.initrds, devicetree: loaded.devicetree,
                commandLine: loaded.arguments.joined(separator: " "), origin: node.origin, unbootableReason: reason), id: node.id))
        }
        return items
    }

    struct FlatEntry {
        var entry: BootEntry
        var indexPath: [Int]
    }

    /// Entries in menu order, titles prefixed with their submenus' ("Advanced > Debian, with Linux…").
    static func flatten(_ items: [GrubMenuItem], titles: [String] = [], indexPath: [Int] = []) -> [FlatEntry] {
        var out: [FlatEntry] = []
        for (n, item) in items.enumerated() {
            switch item {
            case .entry(var entry, _):
                entry.title = (titles + [entry.title]).joined(separator: " > ")
                out.append(FlatEntry(entry: entry, indexPath: indexPath + [n]))
            case .submenu(let title, _, let children):
                out += flatten(children, titles: titles + [title], indexPath: indexPath + [n])
            }
        }
        return out
    }
}

/// GRUB's `default`/`fallback` values: an index, a title or an id, or a path through submenus
/// joined by `>` ("1>2", "Advanced options>Debian…"; `>>` is a literal `>`).
struct GrubDefaultSelection {
    let tree: [GrubMenuItem]
    let flat: [GrubMenuBuilder.FlatEntry]
    var problems: [String] = []

    static func split(_ spec: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var chars = Array(spec)[...]
        while let c = chars.popFirst() {
            if c == ">" {
                if chars.first == ">" {
                    current.append(">")
                    chars = chars.dropFirst()
                } else {
                    parts.append(current)
                    current = ""
                }
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }

    mutating func index(for spec: String, what: String) -> Int? {
        guard !spec.isEmpty else { return flat.isEmpty ? nil : 0 }
        var items = tree
        var path: [Int] = []
        for part in Self.split(spec) {
            let found: Int? = if let n = Int(part) {
                items.indices.contains(n) ? n : nil
            } else {
                items.firstIndex { $0.title == part || $0.id == part }
            }
            guard let found else {
                problems.append("\(what) '\(spec)' names no menu entry")
                return nil
            }
            path.append(found)
            if case .submenu(_, _, let children) = items[found] { items = children } else { break }
        }
        // A submenu as the default: its first entry.
        return flat.firstIndex { $0.indexPath.starts(with: path) }
    }
}
