// A network interface as a boot source: bring the link up, wait for carrier within a bound, get
// a DHCPv4 lease, configure it, and read what the lease's boot file leads to — an iPXE script, a
// kernel, pxelinux's or GRUB's configuration in their lookup orders — over TFTP or HTTP. The
// result is a source like a disk's — a device whose files are the server — so the menu and the
// boot plan treat it like any other.

import BootModel
import Grub
import IPXE
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
        var settings = DHCPv4ClientSettings(mac: mac, transactionID: transactionID(mac: mac))
        settings.architecture = Firmware.isUEFI ? 7 : 0
        settings.machineID = machineUUID().flatMap(uuidBytes)
        return settings
    }

    /// A transaction ID for DHCPv4 or DHCPv6: the clock mixed with the MAC, so machines that
    /// start together do not pick the same.
    static func transactionID(mac: MACAddress) -> UInt32 {
        let seed = UInt64(bitPattern: Int64(Processes.monotonicNanoseconds())) ^ mac.bytes.reduce(0) { $0 << 8 | UInt64($1) }
        return UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
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

    /// Link up, and carrier within `carrierWait` seconds.
    public static func linkUp(_ interface: NetworkInterface, carrierWait: Double = 5) -> Result<RouteSocket, NetworkSourceError> {
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
        return .success(routes)
    }

    /// Link up, carrier within `carrierWait` seconds, a lease, the address and route configured.
    public static func configure(_ interface: NetworkInterface, carrierWait: Double = 5, dhcpTimeout: Double = 30,
                                 log: (String) -> Void) -> Result<NetworkLease, NetworkSourceError> {
        switch linkUp(interface, carrierWait: carrierWait) {
        case .success(let routes): return dhcp(interface, routes: routes, dhcpTimeout: dhcpTimeout, log: log)
        case .failure(let error): return .failure(error)
        }
    }

    /// How long the second exchange, as a UEFI HTTP boot client, may take: the server has just
    /// answered the first, so a longer silence means it has nothing for HTTP clients.
    static let httpClassTimeout = 4.0

    /// DHCPv4 on an interface that is up: the lease, its address and route configured. Asked
    /// as a PXE client first (every PXE server answers that); when that lease names no boot
    /// file, asked again as a UEFI HTTP boot client (`HTTPClient`), which servers set up for
    /// HTTP boot give a URL — the order firmware tries them in. The lease with a boot file wins.
    public static func dhcp(_ interface: NetworkInterface, routes: RouteSocket, dhcpTimeout: Double = 30,
                            log: (String) -> Void) -> Result<NetworkLease, NetworkSourceError> {
        guard let mac = interface.mac else { return .failure(NetworkSourceError("\(interface.name): no MAC address")) }
        var settings = clientSettings(mac: mac)
        settings.giveUpAfter = dhcpTimeout
        var lease: DHCPv4Lease
        switch NetworkTransfers.dhcp(on: interface, settings: settings, log: log) {
        case .success(let got): lease = got
        case .failure(let error): return .failure(NetworkSourceError("\(interface.name): \(error.message)"))
        }
        if lease.bootFile == nil {
            settings.bootClass = .http
            settings.giveUpAfter = httpClassTimeout
            settings.transactionID &+= 1
            switch NetworkTransfers.dhcp(on: interface, settings: settings, log: log) {
            case .success(let got) where got.bootFile != nil:
                log("\(interface.name): no boot file for a PXE client; as an HTTP boot client: \(got.bootFile ?? "")")
                lease = got
            case .success, .failure:
                break
            }
        }
        do {
            try routes.configure(interface, address: lease.address, prefixLength: lease.prefixLength, router: lease.routers.first)
        } catch {
            return .failure(NetworkSourceError("\(interface.name): \(error)"))
        }
        log("\(interface.name): \(lease.address)/\(lease.prefixLength) from \(lease.serverIdentifier.map(String.init(describing:)) ?? "?")"
            + (lease.bootFile.map { ", boot file \($0)" } ?? "") + (lease.bootServer.map { " on \($0)" } ?? ""))
        setClockIfUnset(from: lease.ntpServers, log: log)
        return .success(NetworkLease(interface: interface, lease: lease))
    }

    /// When the clock is not plausible (an RTC never set: certificates would all look not yet
    /// valid), the time of the first NTP server the lease names that answers (option 42). A
    /// clock that is plausible is never changed: a network's server cannot move it.
    static func setClockIfUnset(from servers: [IPv4Address], log: (String) -> Void) {
        guard !WallClock.isPlausible, !servers.isEmpty else { return }
        for server in servers.prefix(3) {
            switch NetworkTransfers.sntp(server) {
            case .success(let time) where time >= WallClock.earliestPlausible:
                do {
                    try WallClock.set(time)
                    log("clock set from NTP server \(server) (the RTC's was in the past)")
                } catch {
                    log("clock: \(error)")
                }
                return
            case .success:
                log("NTP server \(server) gives a time in the past; the clock is left alone")
            case .failure(let error):
                log("NTP server \(server): \(error.message)")
            }
        }
    }

    /// DHCPv6 on an interface that is up, once its link-local address is usable: the lease and
    /// its address configured (the on-link prefix and default route come from router
    /// advertisements, which the kernel takes itself).
    /// It has its own rtnetlink socket: it runs beside DHCPv4.
    public static func dhcp6(_ interface: NetworkInterface, dhcpTimeout: Double = 30,
                             log: (String) -> Void) -> Result<DHCPv6Lease, NetworkSourceError> {
        guard let mac = interface.mac else { return .failure(NetworkSourceError("\(interface.name): no MAC address")) }
        let until = Processes.monotonicMilliseconds() + 5000
        while !interface.hasLinkLocalAddress {
            guard Processes.monotonicMilliseconds() < until else {
                return .failure(NetworkSourceError("\(interface.name): no IPv6 link-local address (IPv6 off?); no DHCPv6"))
            }
            Processes.sleep(milliseconds: 50)
        }
        var settings = DHCPv6ClientSettings(mac: mac, transactionID: transactionID(mac: mac))
        settings.architecture = Firmware.isUEFI ? 7 : 0
        settings.giveUpAfter = dhcpTimeout
        var lease: DHCPv6Lease
        switch NetworkTransfers.dhcp6(on: interface, settings: settings, log: log) {
        case .success(let got): lease = got
        case .failure(let error): return .failure(NetworkSourceError("\(interface.name): \(error.message)"))
        }
        // As DHCPv4 does: asked again as an HTTP boot client when a PXE client gets no boot file URL.
        if lease.bootFileURL == nil {
            settings.bootClass = .http
            settings.giveUpAfter = httpClassTimeout
            settings.transactionID &+= 1
            if case .success(let got) = NetworkTransfers.dhcp6(on: interface, settings: settings, log: log), got.bootFileURL != nil {
                log("\(interface.name): no boot file URL for a PXE client; as an HTTP boot client: \(got.bootFileURL ?? "")")
                lease = got
            }
        }
        do { try RouteSocket().configure(interface, address: lease.address) } catch {
            return .failure(NetworkSourceError("\(interface.name): \(error)"))
        }
        log("\(interface.name): \(lease.address) by DHCPv6" + (lease.bootFileURL.map { ", boot file \($0)" } ?? ""))
        return .success(lease)
    }

    /// What a DHCPv6 lease leads to — or `url`, when given: its boot file URL (option 59), an
    /// iPXE script or a kernel, which gets option 60's parameters as its command line.
    public static func bootSource(_ lease: DHCPv6Lease, interface: NetworkInterface, url: NetworkURL? = nil,
                                  log: @escaping @Sendable (String) -> Void) -> (source: MountedDevice, configuration: BootConfiguration)? {
        var target = url
        if target == nil, let text = lease.bootFileURL {
            do { target = try NetworkURL(text) } catch {
                log("\(interface.name): the DHCPv6 boot file URL \(error)")
                return nil
            }
        }
        guard let target else {
            log("\(interface.name): the DHCPv6 lease names no boot file URL (option 59)")
            return nil
        }
        let options = ipxeOptions(mac: interface.mac, lease: nil, filename: lease.bootFileURL)
        return fetched(target, ipxe: options, parameters: lease.bootFileParameters, log: log)
    }

    /// What the lease leads to — or `url` (`baton.url=`), when given: an iPXE script, a kernel,
    /// pxelinux's or GRUB's configuration on the boot server — read as a boot source.
    public static func bootSource(_ network: NetworkLease, url: NetworkURL? = nil, log: @escaping @Sendable (String) -> Void)
        -> (source: MountedDevice, configuration: BootConfiguration)? {
        let lease = network.lease
        let ipxe = ipxeOptions(mac: network.interface.mac, lease: lease, filename: lease.bootFile)
        if let url { return fetched(url, ipxe: ipxe, log: log) }
        if let bootFile = lease.bootFile, bootFile.contains(where: { $0 == ":" }), let url = try? NetworkURL(bootFile) {
            // UEFI HTTP boot of GRUB: its configuration on that server, where GRUB would read it.
            if BootFileKind(name: url.path) == .grub, let found = grub(network, view: NetworkFileView(server: url, log: log), bootFile: url.path, log: log) {
                return found
            }
            return fetched(url, ipxe: ipxe, log: log)
        }
        guard let server = lease.bootServer else {
            log("\(network.interface.name): the lease names no boot server")
            return nil
        }
        let view = NetworkFileView(server: NetworkURL(scheme: .tftp, host: "\(server)", path: "/"), log: log)
        switch lease.bootFile.map({ BootFileKind(name: $0) }) ?? .unknown {
        case .ipxeScript, .kernel:
            return fetched(view.url(of: lease.bootFile ?? ""), ipxe: ipxe, log: log)
        case .grub:
            return grub(network, view: view, bootFile: lease.bootFile, log: log) ?? pxelinux(network, view: view, log: log)
        case .pxelinux:
            return pxelinux(network, view: view, log: log) ?? grub(network, view: view, bootFile: lease.bootFile, log: log)
        case .unknown:
            if let bootFile = lease.bootFile, let found = fetched(view.url(of: bootFile), ipxe: ipxe, quiet: true, log: log) { return found }
            return pxelinux(network, view: view, log: log) ?? grub(network, view: view, bootFile: lease.bootFile, log: log)
        }
    }

    /// A URL that is an iPXE script (run with `ipxe`'s settings) or a kernel (booted with
    /// `parameters`); `quiet` says nothing when it is neither (a boot program whose configuration
    /// is looked for next).
    static func fetched(_ url: NetworkURL, ipxe: IPXEOptions, parameters: [String] = [], quiet: Bool = false,
                        log: @escaping @Sendable (String) -> Void) -> (source: MountedDevice, configuration: BootConfiguration)? {
        let view = NetworkFileView(server: url, log: log)
        let first: [UInt8]
        switch NetworkTransfers.fetch(url, maxSize: view.maxSize, firstBytes: 0x240, tftp: TFTPSettings()) {
        case .success(let bytes): first = bytes
        case .failure(let error):
            log("\(url): \(error.message)")
            return nil
        }
        let mount = mount(view)
        if IPXEConfig.isScript(first) {
            guard let bytes = view.contents(of: url.path) else { return nil }
            log("\(url): iPXE script")
            let configuration = IPXEConfig.load(text: String(decoding: bytes, as: UTF8.self), url: url.description,
                                                options: ipxe) { chained in
                guard let next = try? NetworkURL(chained) else { return .failed("not a URL Baton can fetch") }
                switch NetworkTransfers.fetch(next, maxSize: view.maxSize, firstBytes: 0x240, tftp: TFTPSettings()) {
                case .failure(let error): return .failed(error.message)
                case .success(let head) where IPXEConfig.isScript(head):
                    switch NetworkTransfers.fetch(next, maxSize: view.maxSize, tftp: TFTPSettings()) {
                    case .success(let whole): return .script(String(decoding: whole, as: UTF8.self))
                    case .failure(let error): return .failed(error.message)
                    }
                case .success: return .image
                }
            }
            return (mount, configuration)
        }
        guard BootFileKind.isKernel(firstBytes: first) else {
            if !quiet { log("\(url): neither an iPXE script nor a Linux kernel") }
            return nil
        }
        log("\(url): a Linux kernel")
        let name = String(url.path.split(separator: "/").last ?? "kernel")
        let entry = BootEntry(title: "\(name) from \(view.root)", kernel: BootFile(url.path), commandLine: parameters.joined(separator: " "),
                              origin: SourceLocation(file: url.description, line: 0))
        return (mount, BootConfiguration(path: url.description, entries: [entry]))
    }

    /// The settings an iPXE script finds after DHCP (`${net0/mac}`, `${ip}`, `${uuid}`…).
    static func ipxeOptions(mac: MACAddress?, lease: DHCPv4Lease?, filename: String?) -> IPXEOptions {
        var options = IPXEOptions()
        options.settings = IPXESettings.network(
            mac: mac?.text(separator: ":") ?? "", ip: lease.map { "\($0.address)" } ?? "", netmask: lease.map { "\($0.subnetMask)" } ?? "",
            gateway: lease?.routers.first.map { "\($0)" }, dns: lease?.dnsServers.first.map { "\($0)" }, domain: lease?.domainName,
            hostname: lease?.hostName, uuid: machineUUID(), nextServer: lease?.bootServer.map { "\($0)" }, filename: filename,
            platform: Firmware.isUEFI ? "efi" : "pcbios")
        return options
    }

    /// The pxelinux configuration the lease leads to, read over TFTP; the paths tried, in order.
    static func pxelinux(_ network: NetworkLease, view: NetworkFileView, log: @escaping @Sendable (String) -> Void)
        -> (source: MountedDevice, configuration: BootConfiguration)? {
        let lease = network.lease
        guard let mac = network.interface.mac else { return nil }
        let prefix = PXELinuxLookup.prefix(pathPrefix: lease.pxelinuxPathPrefix, bootFile: lease.bootFile)
        let candidates = PXELinuxLookup.candidates(configFile: lease.pxelinuxConfigFile, prefix: prefix, uuid: machineUUID(),
                                                   mac: mac, address: lease.address)
        for candidate in candidates where view.contents(of: candidate) != nil {
            log("\(view.root)/\(candidate): pxelinux configuration")
            let workingDirectory = "/" + prefix.drop { $0 == "/" }
            guard let configuration = SyslinuxConfig.load(from: view, path: "/" + candidate.drop { $0 == "/" }, workingDirectory: workingDirectory) else { continue }
            return (mount(view), configuration)
        }
        log("\(view.root): no pxelinux configuration (tried \(candidates.joined(separator: ", ")))")
        return nil
    }

    /// The GRUB configuration GRUB booted from this server would read, run by Baton's GRUB
    /// interpreter with the server as `$root` (`(tftp,SERVER)`) and GRUB's `net_default_*` set.
    /// `view` is the TFTP server, or the HTTP server a boot file URL names (UEFI HTTP boot).
    static func grub(_ network: NetworkLease, view: NetworkFileView, bootFile: String?, log: @escaping @Sendable (String) -> Void)
        -> (source: MountedDevice, configuration: BootConfiguration)? {
        let lease = network.lease
        guard let mac = network.interface.mac else { return nil }
        let server = view.server.host
        let prefixes = GrubNetLookup.prefixes(bootFile: bootFile)
        var tried: [String] = []
        for prefix in prefixes {
            for candidate in GrubNetLookup.candidates(prefix: prefix, mac: mac, address: lease.address) {
                tried.append(candidate)
                guard let bytes = view.contents(of: candidate) else { continue }
                log("\(view.root)\(candidate): GRUB configuration")
                var options = GrubOptions()
                options.platform = Firmware.isUEFI ? "efi" : "pc"
                options.variables = [
                    "net_default_server": server, "pxe_default_server": server, "net_default_ip": "\(lease.address)",
                    "net_default_mac": mac.text(separator: ":"), "net_default_interface": "efinet0",
                ]
                let device = view.server.scheme.rawValue
                let volume = BootVolume(name: "\(device),\(view.server.authority)", filesystem: device, files: view)
                let configuration = GrubConfig.evaluate(String(decoding: bytes, as: UTF8.self), path: candidate, device: volume, options: options)
                return (mount(view), configuration)
            }
        }
        log("\(view.root): no GRUB configuration (tried \(tried.count) names under \(prefixes.joined(separator: ", ")))")
        return nil
    }

    static func mount(_ view: NetworkFileView) -> MountedDevice {
        let device = BlockDevice(name: view.root, isPartition: false, probe: BlockProbeResult(type: view.server.scheme.rawValue))
        return MountedDevice(device: device, root: view.root, imageFiles: view)
    }
}
