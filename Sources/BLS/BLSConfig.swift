// Boot Loader Specification entries on their own (systemd-boot style): `/loader/entries/*.conf`
// with `/loader/loader.conf`, sorted as systemd-boot sorts them. Variable references in entries
// (`$kernelopts` on RHEL 8) are expanded by the caller's function: ConfigLocator passes GRUB's,
// over grubenv's variables.

import BootModel

public enum BLSConfig {
    public static let entryFolders = ["/loader/entries", "/boot/loader/entries"]
    /// The architecture names an entry may carry and still boot here.
    public static let nativeArchitectures: Set<String> = ["x64"]

    /// The BLS menu of a filesystem, or nil when it has no entries. `expand` replaces the variable
    /// references in an entry's `linux`, `initrd` and `options` values.
    public static func load(from view: some FileView, expand: (String) -> String = { $0 }) -> BootConfiguration? {
        for folder in entryFolders {
            let (entries, diagnostics, _) = BLSEntry.entries(in: folder, of: view)
            guard !entries.isEmpty else { continue }
            let loaderConf = Path.directory(of: folder) + "/loader.conf"
            return make(entries: entries, diagnostics: diagnostics, path: folder, loaderConf: view.text(of: loaderConf).map { (loaderConf, $0) },
                        expand: expand)
        }
        return nil
    }

    static func make(
        entries unsorted: [BLSEntry], diagnostics: [Diagnostic], path: String, loaderConf: (path: String, text: String)?,
        expand: (String) -> String
    ) -> BootConfiguration {
        var diagnostics = diagnostics
        for entry in unsorted where entry.linux == nil && entry.efi == nil {
            diagnostics.append(Diagnostic(.warning, "entry has neither 'linux' nor 'efi'; skipped", at: SourceLocation(file: entry.path, line: 1)))
        }
        let entries = sorted(unsorted.filter { $0.linux != nil || $0.efi != nil })
        let titles = displayTitles(entries)
        var bootEntries: [BootEntry] = []
        var ids: [String] = []
        for (entry, title) in zip(entries, titles) {
            var reason: String?
            if entry.linux == nil { reason = "it starts an EFI program, which kexec cannot do" }
            if let arch = entry.architecture, !nativeArchitectures.contains(arch.lowercased()) {
                reason = "it is for the \(arch) architecture"
            }
            bootEntries.append(BootEntry(
                title: title, id: entry.id, kernel: entry.linux.map { BootFile(Path.normalized(expand($0))) },
                initrds: entry.initrds.map { expand($0) }.filter { !$0.isEmpty }.map { BootFile(Path.normalized($0)) },
                devicetree: entry.devicetree.map { BootFile(Path.normalized($0)) },
                commandLine: KernelCommandLine(expand(entry.options ?? "")).description,
                origin: SourceLocation(file: entry.path, line: entry.line["linux"] ?? entry.line["efi"] ?? 1), unbootableReason: reason))
            ids.append(entry.id)
        }
        var defaultIndex = 0
        var timeout: Int?
        if let (confPath, text) = loaderConf {
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let key = words.first, !key.hasPrefix("#"), words.count >= 2 else { continue }
                let location = SourceLocation(file: confPath, line: n + 1)
                switch key {
                case "default":
                    let pattern = words[1]
                    if let found = ids.firstIndex(where: { Glob.matches(pattern, $0) || Glob.matches(pattern, $0 + ".conf") }) {
                        defaultIndex = found
                    } else if !pattern.hasPrefix("@") {
                        diagnostics.append(Diagnostic(.warning, "default '\(pattern)' matches no entry", at: location))
                    }
                case "timeout":
                    switch words[1] {
                    case "menu-force": timeout = nil
                    case "menu-hidden", "menu-disabled": timeout = 0
                    default: timeout = Int(words[1]).map { $0 == 0 ? 0 : $0 }
                    }
                case "console-mode", "editor", "auto-entries", "auto-firmware", "beep", "secure-boot-enroll", "reboot-for-bitlocker",
                    "random-seed-mode", "auto-reboot", "auto-poweroff":
                    break
                default:
                    diagnostics.append(Diagnostic(.warning, "unknown loader.conf key '\(key)'", at: location))
                }
            }
        }
        return BootConfiguration(path: path, entries: bootEntries, defaultIndex: defaultIndex, timeout: timeout, diagnostics: diagnostics)
    }

    /// systemd-boot's order: entries with a sort-key first (by sort-key, then machine-id, then
    /// version, newest first); then the rest by file name, newest version first.
    static func sorted(_ entries: [BLSEntry]) -> [BLSEntry] {
        entries.sorted { a, b in
            if (a.sortKey == nil) != (b.sortKey == nil) { return a.sortKey != nil }
            if let ka = a.sortKey, let kb = b.sortKey {
                if ka != kb { return ka < kb }
                if a.machineID != b.machineID { return (a.machineID ?? "") < (b.machineID ?? "") }
                let c = VersionCompare.compare(a.version ?? "", b.version ?? "")
                if c != 0 { return c > 0 }
            }
            return VersionCompare.compare(a.id, b.id) > 0
        }
    }

    /// Titles as systemd-boot shows them: the title, with the version added where titles repeat,
    /// then the machine id, then the file name, until each is unique.
    static func displayTitles(_ entries: [BLSEntry]) -> [String] {
        var titles = entries.map { $0.title ?? $0.id }
        let additions: [(BLSEntry) -> String?] = [{ $0.version }, { $0.machineID.map { String($0.prefix(10)) } }, { $0.id }]
        for addition in additions {
            let counts = Dictionary(titles.map { ($0, 1) }, uniquingKeysWith: +)
            for i in titles.indices where (counts[titles[i]] ?? 0) > 1 {
                if let extra = addition(entries[i]) { titles[i] += " (\(extra))" }
            }
        }
        return titles
    }
}
