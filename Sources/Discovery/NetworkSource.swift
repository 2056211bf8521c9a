// A network interface as a boot source: bring the link up, wait for carrier within a bound, get
// a DHCPv4 lease, configure it, and read pxelinux's configuration from the boot server over TFTP
// in pxelinux's lookup order. The result is a source like a disk's — a device whose files are
// the TFTP server — so the menu and the boot plan treat it like any other.

import BootModel
import LinuxPlatform
import Network
import Syslinux

public struct NetworkLease: Sendable {
    public var interface: NetworkInterface
    public var lease: DHCPv4Lease
}

public struct NetworkSourceError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum NetworkSource {
    /// What DHCP is told about this machine: its architecture (BIOS or UEFI) and SMBIOS UUID.
    public static func clientSettings(mac: MACAddress) -> DHCPv4ClientSettings {
        let seed = UInt64(bitPattern: Int64(Processes.monotonicNanoseconds())) ^ mac.bytes.reduce(0) { $0 << 8 | UInt64($1) }
        var settings = DHCPv4ClientSettings(mac: mac, transactionID: UInt32(truncatingIfNeeded: seed ^ (seed >> 32)))
        settings.architecture = Firmware.isUEFI ? 7 : 0
        settings.machineID = machineUUID().flatMap(uuidBytes)
        return settings
    }

    /// The SMBIOS system UUID, lower case, when the firmware gives one.
    public static func machineUUID() -> String? {
        guard let text = FileSystem.text("/sys/class/dmi/id/product_uuid")?.trimmingBlanks.lowercased(),
              uuidBytes(text) != nil else { return nil }
        return text
    }

    static func uuidBytes(_ text: String) -> [UInt8]? {
        let hex = text.filter { $0 != "-" }
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// Link up, carrier within `carrierWait` seconds, a lease, the address and route configured.
    public static func configure(_ interface: NetworkInterface, carrierWait: Double = 5, dhcpTimeout: Double = 30,
                                 log: (String) -> Void) -> Result<NetworkLease, NetworkSourceError> {
        guard let mac = interface.mac else { return .failure(NetworkSourceError("\(interface.name): no MAC address")) }
        let routes: RouteSocket
        do {
            routes = try RouteSocket()
            try routes.bringUp(interface)
        } catch {
            return .failure(NetworkSourceError("\(interface.name): \(error)"))
        }
        let until = Processes.monotonicMilliseconds() + Int(carrierWait * 1000)
        while !interface.hasCarrier {
            guard Processes.monotonicMilliseconds() < until else { return .failure(NetworkSourceError("\(interface.name): no carrier (cable or link down)")) }
            Processes.sleep(milliseconds: 50)
        }
        var settings = clientSettings(mac: mac)
        settings.giveUpAfter = dhcpTimeout
        let lease: DHCPv4Lease
        switch NetworkTransfers.dhcp(on: interface, settings: settings, log: log) {
        case .success(let got): lease = got
        case .failure(let error): return .failure(NetworkSourceError("\(interface.name): \(error.message)"))
        }
        do {
            try routes.configure(interface, address: lease.address, prefixLength: lease.prefixLength, router: lease.routers.first)
        } catch {
            return .failure(NetworkSourceError("\(interface.name): \(error)"))
        }
        log("\(interface.name): \(lease.address)/\(lease.prefixLength) from \(lease.serverIdentifier.map(String.init(describing:)) ?? "?")"
            + (lease.bootFile.map { ", boot file \($0)" } ?? "") + (lease.bootServer.map { " on \($0)" } ?? ""))
        return .success(NetworkLease(interface: interface, lease: lease))
    }

    /// The pxelinux configuration the lease leads to, read over TFTP; the paths tried, in order.
    public static func pxelinux(_ network: NetworkLease, log: @escaping @Sendable (String) -> Void)
        -> (source: MountedDevice, configuration: BootConfiguration)? {
        let lease = network.lease
        guard let server = lease.bootServer, let mac = network.interface.mac else {
            log("\(network.interface.name): the lease names no boot server")
            return nil
        }
        let view = TFTPFileView(server: server, settings: configSettings, log: log)
        let prefix = PXELinuxLookup.prefix(pathPrefix: lease.pxelinuxPathPrefix, bootFile: lease.bootFile)
        let candidates = PXELinuxLookup.candidates(configFile: lease.pxelinuxConfigFile, prefix: prefix, uuid: machineUUID(),
                                                   mac: mac, address: lease.address)
        for candidate in candidates where view.contents(of: candidate) != nil {
            log("tftp://\(server)/\(candidate): pxelinux configuration")
            let workingDirectory = "/" + prefix.drop { $0 == "/" }
            guard let configuration = SyslinuxConfig.load(from: view, path: "/" + candidate.drop { $0 == "/" }, workingDirectory: workingDirectory) else { continue }
            let device = BlockDevice(name: "tftp://\(server)", isPartition: false, probe: BlockProbeResult(type: "tftp"))
            return (MountedDevice(device: device, root: "tftp://\(server)", imageFiles: view), configuration)
        }
        log("tftp://\(server): no pxelinux configuration (tried \(candidates.joined(separator: ", ")))")
        return nil
    }

    /// Config files are small: a cap that a hostile server cannot turn into a memory problem.
    static var configSettings: TFTPSettings {
        var settings = TFTPSettings()
        settings.maxSize = 4 << 20
        return settings
    }
}
