// Which boot configurations a filesystem holds, read in Baton's order of preference.

public enum ConfigLocator {
    /// Every configuration found on the device, in order of preference: GRUB (what an installed
    /// system boots with), then standalone BLS entries (systemd-boot), then syslinux/isolinux/
    /// extlinux (a hybrid ISO has both grub.cfg and isolinux.cfg). An entry that an earlier
    /// configuration already offers (same kernel, initrds and command line) is not listed again,
    /// so Fedora's grub.cfg with `blscfg` and its BLS files give one list. Empty when the device
    /// holds none. Repeats within one configuration stay, as its boot loader shows them.
    public static func loadConfigurations(from device: GrubDevice, devices: [GrubDevice] = [], grub: GrubOptions = GrubOptions()) -> [BootConfiguration] {
        var found: [BootConfiguration] = []
        let grubConfig = GrubConfig.load(from: device, devices: devices, options: grub)
        if let grubConfig { found.append(grubConfig) }
        // GRUB's `blscfg` already made menu entries of the BLS files: they are GRUB's.
        let grubReadBLS = grubConfig?.entries.contains { entry in
            BLSConfig.entryFolders.contains { entry.origin.file.hasPrefix($0 + "/") }
        } ?? false
        if !grubReadBLS, let config = BLSConfig.load(from: device.files) { found.append(config) }
        if let config = SyslinuxConfig.load(from: device.files) { found.append(config) }
        return removingRepeatedEntries(found)
    }

    /// Paths looked at, for messages when nothing is found.
    public static var searchedPaths: [String] {
        GrubConfig.searchPaths + BLSConfig.entryFolders.map { $0 + "/*.conf" } + ["/{boot/,}{isolinux,syslinux,extlinux}/…"]
    }

    struct EntryKey: Hashable {
        var kernel: BootFile?
        var initrds: [BootFile]
        var commandLine: String
    }

    static func removingRepeatedEntries(_ configurations: [BootConfiguration]) -> [BootConfiguration] {
        var seen: Set<EntryKey> = []
        var result: [BootConfiguration] = []
        for (n, var config) in configurations.enumerated() {
            // The first configuration repeats none before it, and the last needs no keys kept:
            // a device with one configuration (the usual case) hashes no entry.
            let isLast = n == configurations.count - 1
            if !config.entries.indices.contains(config.defaultIndex) { config.defaultIndex = 0 }
            guard !seen.isEmpty || !isLast else {
                if !config.entries.isEmpty { result.append(config) }
                continue
            }
            let defaultEntry = config.entries.indices.contains(config.defaultIndex) ? config.entries[config.defaultIndex] : nil
            // Within one configuration repeats stay, as its own boot loader would show them.
            let keys = config.entries.map { EntryKey(kernel: $0.kernel, initrds: $0.initrds, commandLine: $0.commandLine) }
            if !seen.isEmpty {
                config.entries = zip(config.entries, keys).filter { entry, key in entry.kernel == nil || !seen.contains(key) }.map(\.0)
                config.defaultIndex = defaultEntry.flatMap { d in config.entries.firstIndex { $0 == d } } ?? 0
            }
            if !isLast { seen.formUnion(keys) }
            if !config.entries.isEmpty { result.append(config) }
        }
        // A configuration without entries still tells the user what is wrong with it.
        return result.isEmpty ? Array(configurations.prefix(1)) : result
    }
}
