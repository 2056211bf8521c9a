// Where pxelinux looks for its configuration, in its order: the file DHCP names (option 209,
// relative to option 210's prefix), else under `pxelinux.cfg/` the client's UUID, `01-` and its
// MAC address, its IPv4 address in upper-case hex shortened one digit at a time, and `default`.

public enum PXELinuxLookup {
    /// The directory prefix a lease gives (option 210), else the boot file's directory, as pxelinux does.
    public static func prefix(pathPrefix: String?, bootFile: String?) -> String {
        if let pathPrefix, !pathPrefix.isEmpty { return pathPrefix }
        guard let bootFile, let slash = bootFile.lastIndex(of: "/") else { return "" }
        return String(bootFile[...slash])
    }

    /// The config files to try, in order, each relative to the TFTP root.
    public static func candidates(configFile: String?, prefix: String, uuid: String?, mac: MACAddress, address: IPv4Address) -> [String] {
        if let configFile, !configFile.isEmpty {
            return [configFile.hasPrefix("/") ? configFile : prefix + configFile]
        }
        var names: [String] = []
        if let uuid, !uuid.isEmpty { names.append(uuid.lowercased()) }
        names.append("01-" + mac.text(separator: "-"))
        let hex = address.hex
        for length in stride(from: hex.count, through: 1, by: -1) { names.append(String(hex.prefix(length))) }
        names.append("default")
        return names.map { prefix + "pxelinux.cfg/" + $0 }
    }
}
