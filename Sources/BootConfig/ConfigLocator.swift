// Which boot configurations a filesystem holds, read in Baton's order of preference.

public enum ConfigLocator {
    /// Every configuration found on the device: GRUB first (it is what the installed system
    /// boots with), then the others. Empty when the device holds none.
    public static func loadConfigurations(from device: GrubDevice, devices: [GrubDevice] = [], grub: GrubOptions = GrubOptions()) -> [BootConfiguration] {
        var found: [BootConfiguration] = []
        if let config = GrubConfig.load(from: device, devices: devices, options: grub) { found.append(config) }
        return found
    }

    /// Paths looked at, for messages when nothing is found.
    public static var searchedPaths: [String] { GrubConfig.searchPaths }
}
