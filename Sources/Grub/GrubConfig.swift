// GRUB configurations end to end: where grub.cfg lives, running it, building the menu (entry
// bodies run as GRUB runs them when chosen), and the default, fallback and timeout it leaves.

import BootModel

public struct GrubOptions: Sendable {
    /// `grub_platform`: "pc" or "efi"; configs branch on it.
    public var platform = "pc"
    /// Variables set before the configuration runs.
    public var variables: [String: String] = [:]
    public var limits = GrubLimits()
    public init() {}
}

public enum GrubConfig {
    /// Where grub.cfg is looked for, in order, on `platform` ("efi" or "pc"): the platform's own
    /// GRUB first, as its firmware would start it — under UEFI the ESP's (`/EFI/*/grub.cfg`, `*`
    /// being any folder: EFI/debian, EFI/fedora…), under a BIOS `/boot/grub*` — then the other's.
    /// The btrfs paths are roots seen from their top level, where distributions keep the system in
    /// an `@` subvolume (Ubuntu, Debian) or /boot in `@boot`.
    public static func searchPaths(for platform: String) -> [String] {
        let bios = [
            "/boot/grub/grub.cfg", "/grub/grub.cfg", "/grub2/grub.cfg", "/boot/grub2/grub.cfg",
            "/@/boot/grub/grub.cfg", "/@/boot/grub2/grub.cfg", "/@boot/grub/grub.cfg", "/@boot/grub2/grub.cfg",
        ]
        return platform == "efi" ? [efiPattern] + bios : bios + [efiPattern]
    }

    /// Every path looked at, for messages when nothing is found.
    public static var searchPaths: [String] { searchPaths(for: "efi") }

    static let efiPattern = "/EFI/*/grub.cfg"

    /// The first grub.cfg in the view, in the order of `searchPaths(for: platform)`.
    public static func locate(in view: some FileView, platform: String = GrubOptions().platform) -> String? {
        for pattern in searchPaths(for: platform) {
            if pattern == efiPattern {
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
    public static func load(from device: BootVolume, devices: [BootVolume] = [], options: GrubOptions = GrubOptions()) -> BootConfiguration? {
        guard let path = locate(in: device.files, platform: options.platform), let text = device.files.text(of: path) else { return nil }
        return evaluate(text, path: path, device: device, devices: devices, options: options)
    }

    /// Runs configuration text read from `path` on `device`.
    public static func evaluate(
        _ text: String, path: String, device: BootVolume, devices: [BootVolume] = [], options: GrubOptions = GrubOptions()
    ) -> BootConfiguration {
        run(text, path: path, device: device, devices: devices, options: options).configuration
    }

    /// A configuration run: what Baton shows, and the interpreter as the configuration left it.
    struct Evaluation {
        var configuration: BootConfiguration
        var machine: GrubMachine
        var tree: [GrubMenuItem]
    }

    static func run(
        _ text: String, path: String, device: BootVolume, devices: [BootVolume] = [], options: GrubOptions = GrubOptions()
    ) -> Evaluation {
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
        let script = GrubParser.parse(text, file: path)
        for d in script.diagnostics { machine.diagnostics.add(d) }
        _ = machine.run(script.code)

        var flat: [BootEntry] = []
        let tree = GrubMenuBuilder.build(machine, into: &flat)
        var selection = GrubDefaultSelection(tree: tree, entryCount: flat.count)
        let defaultIndex = selection.index(for: machine.value(of: "default"), what: "default") ?? 0
        let fallbackIndex = machine.variables["fallback"].flatMap { fallback -> Int? in
            guard let first = fallback.split(separator: " ").first else { return nil }
            return selection.index(for: String(first), what: "fallback")
        }
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
        var configuration = BootConfiguration(
            path: path, entries: flat, defaultIndex: defaultIndex, timeout: timeout,
            diagnostics: machine.diagnostics.all, timeoutStyle: style, fallbackIndex: fallbackIndex)
        configuration.consultsOtherDevices = machine.deviceUse.consultedOthers
        return Evaluation(configuration: configuration, machine: machine, tree: tree)
    }

    /// The script's syntax tree as text (for `baton grub-ast`).
    public static func syntaxTree(_ text: String, path: String) -> String {
        let script = GrubParser.parse(text, file: path)
        return (script.statements.map { $0.printed() } + script.diagnostics.map { "# \($0)" }).joined(separator: "\n")
    }
}

/// A built menu's shape: the titles and ids of its entries and submenus, which a default names by
/// path. The entries themselves go straight to the flat menu (see `GrubMenuBuilder.build`).
enum GrubMenuItem {
    case entry(title: String, id: String?)
    case submenu(title: String, id: String?, items: [GrubMenuItem])

    var title: String {
        switch self {
        case .entry(let title, _), .submenu(let title, _, _): title
        }
    }

    var id: String? {
        switch self {
        case .entry(_, let id), .submenu(_, let id, _): id
        }
    }
}

enum GrubMenuBuilder {
    /// Runs every entry's body in a copy of the final state, as GRUB does when the entry is chosen
    /// (with the entry's title and extra arguments as `$1…`, and `$chosen` its id path);
    /// submenus run in a new context that keeps only exported variables. Entries are appended to
    /// `entries` in menu order, their titles after their submenus' (`titlePrefix`, e.g.
    /// "Advanced options for Debian > "); what is returned is the menu's shape.
    /// Deepest submenu shown: an entry whose body reads its own configuration again would
    /// otherwise nest without end (GRUB only nests as far as the user chooses).
    static let maxSubmenuDepth = 16

    static func build(
        _ machine: GrubMachine, chosenPrefix: String? = nil, titlePrefix: String = "", level: Int = 0, into entries: inout [BootEntry]
    ) -> [GrubMenuItem] {
        guard level <= maxSubmenuDepth else {
            machine.warn("submenus nested deeper than \(maxSubmenuDepth) levels are not shown ('\(titlePrefix.dropLast(3))')", line: 0)
            return []
        }
        // GRUB runs entries from its menu, outside whatever nesting the configuration ran in.
        let depth = chosenPrefix == nil ? machine.depth - machine.limits.initialDepth : machine.depth
        var items: [GrubMenuItem] = []
        items.reserveCapacity(machine.menu.count)
        // Room for this level's entries, at least doubling as appending would: an exact
        // reservation per submenu would copy every entry so far for each of many small submenus.
        let needed = entries.count + machine.menu.count
        if entries.capacity < needed { entries.reserveCapacity(max(needed, 2 * entries.capacity)) }
        // GRUB appends to a `chosen` the configuration left set, as it does inside submenus.
        let inherited = machine.value(of: "chosen")
        let prefix = chosenPrefix ?? (inherited.isEmpty ? nil : inherited)
        // What every entry starts from, made once: copying it for each entry copies no menu,
        // output or loaded files.
        var template = machine
        template.menu = []
        template.loaded = GrubLoadedBoot()
        template.activeLoops = 0
        template.depth = depth
        template.recordsOutput = false
        template.outputText = ""
        template.echoed = []
        for node in machine.menu {
            let chosen = GrubChosen(prefix: prefix, name: node.id ?? node.title)
            var run = template
            run.positional = node.extraArguments.isEmpty ? [node.title] : [node.title] + node.extraArguments
            run.file = node.origin.file
            if node.submenu { run.keepOnlyExported() } else { run.chosen = chosen }
            _ = run.run(node.body)
            // An entry whose body defined entries (configfile, nested menuentry) and loads nothing
            // acts as a submenu.
            if node.submenu || run.loaded.kernel == nil && run.loaded.unbootableReason == nil && !run.menu.isEmpty {
                let children = build(run, chosenPrefix: chosen.value, titlePrefix: titlePrefix + node.title + " > ", level: level + 1, into: &entries)
                items.append(.submenu(title: node.title, id: node.id, items: children))
                continue
            }
            let loaded = run.loaded
            var reason = loaded.unbootableReason
            if reason == nil, loaded.kernel == nil { reason = "it loads no Linux kernel" }
            entries.append(BootEntry(
                title: titlePrefix.isEmpty ? node.title : titlePrefix + node.title, id: node.id, kernel: loaded.kernel,
                initrds: loaded.initrds, devicetree: loaded.devicetree, commandLine: GrubCommands.kernelCommandLine(loaded.arguments),
                origin: node.origin, unbootableReason: reason, hotkey: node.hotkey))
            items.append(.entry(title: node.title, id: node.id))
        }
        return items
    }
}

/// GRUB's `default`/`fallback` values (grub-core/normal/menu.c): a number (GRUB reads the leading
/// digits, `0x` hex and `0` octal included), else a title or id; in a submenu, what follows the
/// first `>` chooses inside it (`>>` is a literal `>`). What names nothing means the first entry.
struct GrubDefaultSelection {
    let tree: [GrubMenuItem]
    /// How many entries the flattened menu has.
    let entryCount: Int
    var problems: [String] = []

    /// How many entries items hold, submenus' included.
    static func entryCount(_ items: some Collection<GrubMenuItem>) -> Int {
        items.reduce(0) { count, item in
            switch item {
            case .entry: count + 1
            case .submenu(_, _, let children): count + entryCount(children)
            }
        }
    }

    /// Whether `title` is what `spec` names up to its first unescaped `>`.
    static func names(_ title: String, _ spec: Substring) -> Bool {
        var t = title[...]
        var p = spec
        while true {
            if let c = p.first, c == ">" {
                if p.dropFirst().first == ">" {
                    p = p.dropFirst()
                } else {
                    return t.isEmpty
                }
            }
            guard let a = t.first, let b = p.first else { return t.isEmpty && p.isEmpty }
            guard a == b else { return false }
            t = t.dropFirst()
            p = p.dropFirst()
        }
    }

    /// What follows the first unescaped `>`, or nil when there is none.
    static func rest(_ spec: Substring) -> Substring? {
        var p = spec
        while let c = p.first {
            p = p.dropFirst()
            if c == ">" {
                if p.first == ">" { p = p.dropFirst() } else { return p }
            }
        }
        return nil
    }

    mutating func index(for spec: String, what: String) -> Int? {
        guard !spec.isEmpty else { return entryCount == 0 ? nil : 0 }
        var items = tree
        var topLevel = true
        // Entries before the item chosen so far, in the flattened menu; whether it holds any.
        var before = 0
        var holdsEntries = false
        var remaining: Substring? = spec[...]
        while let part = remaining {
            let number = GrubTest.strtoul(part)
            var chosen: Int?
            if number.found {
                chosen = number.value < UInt64(items.count) ? Int(number.value) : nil
            } else {
                chosen = items.firstIndex { Self.names($0.title, part) || Self.names($0.id ?? $0.title, part) }
            }
            if chosen == nil, topLevel { problems.append("\(what) '\(spec)' names no menu entry; the first is used") }
            topLevel = false
            let index = chosen ?? 0
            guard items.indices.contains(index) else { break }
            before += Self.entryCount(items[..<index])
            guard case .submenu(_, _, let children) = items[index] else {
                holdsEntries = true
                break
            }
            // A submenu as the default: its first entry.
            holdsEntries = Self.entryCount(children) > 0
            items = children
            remaining = Self.rest(part)
        }
        guard holdsEntries else { return entryCount == 0 ? nil : 0 }
        return before
    }
}
