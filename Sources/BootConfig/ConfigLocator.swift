// Which boot configurations a filesystem holds: the step that picks the readers (GRUB, BLS,
// syslinux) for a volume and merges what they find, in Baton's order of preference.

import BLS
import BootModel
import Grub
import Syslinux

public enum ConfigLocator {
    /// Every configuration found on the device, in order of preference: GRUB (what an installed
    /// system boots with), then standalone BLS entries (systemd-boot), then syslinux/isolinux/
    /// extlinux (a hybrid ISO has both grub.cfg and isolinux.cfg). An entry that an earlier
    /// configuration already offers (same kernel, initrds and command line) is not listed again,
    /// so Fedora's grub.cfg with `blscfg` and its BLS files give one list. Empty when the device
    /// holds none. Repeats within one configuration stay, as its boot loader shows them.
    public static func loadConfigurations(from device: BootVolume, devices: [BootVolume] = [], grub: GrubOptions = GrubOptions()) -> [BootConfiguration] {
        var found: [BootConfiguration] = []
        let grubConfig = GrubConfig.load(from: device, devices: devices, options: grub)
        if let grubConfig { found.append(grubConfig) }
        // GRUB's `blscfg` already made menu entries of the BLS files: they are GRUB's.
        let grubReadBLS = grubConfig?.entries.contains { entry in
            BLSConfig.entryFolders.contains { entry.origin.file.hasPrefix($0 + "/") }
        } ?? false
        if !grubReadBLS, let config = BLSConfig.load(from: device.files, expand: grubenvExpansion(on: device.files)) { found.append(config) }
        if let config = SyslinuxConfig.load(from: device.files) { found.append(config) }
        return removingRepeatedEntries(found)
    }

    /// Standalone BLS entries refer to grubenv's variables (RHEL 8's `$kernelopts`), expanded as
    /// GRUB's lexer would; the grubenv is read only when an entry has a `$`.
    public static func grubenvExpansion(on files: some FileView) -> (String) -> String {
        var variables: [String: String]?
        return { text in
            guard text.contains("$") else { return text }
            if variables == nil { variables = GrubEnvFile.variables(in: files) }
            return GrubEnvFile.expand(text, variables ?? [:])
        }
    }

    /// Paths looked at, for messages when nothing is found.
    public static var searchedPaths: [String] {
        GrubConfig.searchPaths + BLSConfig.entryFolders.map { $0 + "/*.conf" } + ["/{boot/,}{isolinux,syslinux,extlinux}/…"]
    }

    struct EntryKey: Hashable {
        var kernel: BootFile?
        var initrds: [BootFile]
        var commandLine: String

        init(_ entry: BootEntry) {
            kernel = entry.kernel
            initrds = entry.initrds
            commandLine = entry.commandLine
        }
    }

    static func removingRepeatedEntries(_ configurations: [BootConfiguration]) -> [BootConfiguration] {
        var seen: Set<EntryKey> = []
        var result: [BootConfiguration] = []
        for (n, var config) in configurations.enumerated() {
            if !config.entries.indices.contains(config.defaultIndex) { config.defaultIndex = 0 }
            // Only what an earlier configuration offers is dropped: within one configuration
            // repeats stay, as its own boot loader would show them. The first configuration has
            // nothing to drop and the last leaves no keys to keep, so a device with one
            // configuration (the usual case) hashes no entry.
            if !seen.isEmpty {
                let defaultEntry = config.entries.isEmpty ? nil : config.entries[config.defaultIndex]
                config.entries = config.entries.filter { $0.kernel == nil || !seen.contains(EntryKey($0)) }
                config.defaultIndex = defaultEntry.flatMap { d in config.entries.firstIndex { $0 == d } } ?? 0
            }
            if n < configurations.count - 1 { seen.formUnion(config.entries.map(EntryKey.init)) }
            if !config.entries.isEmpty { result.append(config) }
        }
        // A configuration without entries still tells the user what is wrong with it.
        return result.isEmpty ? Array(configurations.prefix(1)) : result
    }
}
