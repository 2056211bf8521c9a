// The fuzz targets: one function per reader of what disks, the kernel and the network hand
// Baton — GRUB, syslinux, BLS, grubenv, the module database, uevents, disk images (partition
// tables, ext4, FAT, ISO 9660), DHCP replies (in their IPv4/UDP frames), DHCPv6 replies, TFTP server packets,
// HTTP responses and iPXE scripts. BatonFuzz drives them with libFuzzer (scripts/fuzz); FuzzReplayTests replays
// every finding kept in Tests/Fuzz/TARGET/ through the same function.

import BLS
import BootConfig
import BootModel
import Discovery
import DiskImage
import Grub
import IPXE
import KernelModules
import Network
import Syslinux

public enum FuzzTargets {
    public static let names = ["grub", "syslinux", "bls", "grubenv", "modules", "uevent", "diskimage", "dhcp", "dhcp6", "tftp", "http", "ipxe"]

    /// Runs one input through a target; the process dies on a trap, which libFuzzer reports.
    public static func run(_ target: String, _ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch target {
        case "grub":
            var options = GrubOptions()
            options.limits.steps = 2_000
            let files = ["/boot/grub/grub.cfg": text, "/boot/grub/grubenv": text, "/boot/grub/other.cfg": text, "/loader/entries/a.conf": text]
            let device = BootVolume(name: "d", files: MemoryFileView(files))
            _ = GrubConfig.evaluate(text, path: "/boot/grub/grub.cfg", device: device, options: options)
        case "syslinux":
            let view = MemoryFileView(["/isolinux/isolinux.cfg": text, "/isolinux/menu.cfg": text, "/isolinux/txt.cfg": text])
            _ = SyslinuxConfig.load(from: view)
        case "bls":
            let view = MemoryFileView(["/loader/entries/a.conf": text, "/loader/entries/b.conf": text, "/loader/loader.conf": text, "/grub2/grubenv": text])
            _ = BLSConfig.load(from: view, expand: ConfigLocator.grubenvExpansion(on: view))
        case "grubenv":
            _ = GrubEnvFile.parse(text)
        case "modules":
            let index = ModuleIndex(dep: text, alias: text, softdep: text, builtin: text)
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(8).map(String.init)
            _ = index.loadOrder(for: words)
            for word in words { _ = index.modules(matching: word) }
        case "uevent":
            _ = Uevent.parse(bytes)
        case "diskimage":
            readImage(bytes)
        case "dhcp":
            dhcp(bytes)
        case "dhcp6":
            dhcp6(bytes)
        case "tftp":
            tftp(bytes)
        case "http":
            http(bytes)
        case "ipxe":
            // A chained script is the input again; other URLs are images.
            var options = IPXEOptions()
            options.stepLimit = 5_000
            options.settings = IPXESettings(["net0/mac": "52:54:00:12:34:56", "ip": "192.0.2.50", "uuid": "0b8c7a4e-1111-2222-3333-444455556666"])
            _ = IPXEConfig.load(text: text, url: "http://192.0.2.1/boot/menu.ipxe", options: options) { url in
                url.hasSuffix(".ipxe") ? .script(text) : .image
            }
        default:
            break
        }
    }

    /// What host mode does with a disk image: its partitions and filesystems, then the files a
    /// configuration search opens and the folders it lists.
    static func readImage(_ bytes: [UInt8]) {
        for volume in DiskImageReader.volumes(of: MemoryBytes(bytes)) {
            guard let files = volume.fileView else { continue }
            for folder in ["/", "/boot", "/boot/grub", "/EFI", "/loader/entries", "/isolinux"] {
                for name in files.list(folder).prefix(16) { _ = files.exists(folder + "/" + name) }
            }
            for path in ["/boot/grub/grub.cfg", "/boot/grub/grubenv", "/isolinux/isolinux.cfg", "/EFI/BOOT/grub.cfg"] {
                _ = files.contents(of: path)
            }
        }
    }

    /// A DHCP client that has sent its DISCOVER, fed the input as a reply (bare and in an IPv4
    /// frame), then as a reply to its REQUEST with the client's own transaction and MAC patched in.
    static func dhcp(_ bytes: [UInt8]) {
        guard let mac = MACAddress(bytes: [0x52, 0x54, 0, 0, 0, 1]) else { return }
        var client = DHCPv4Client(DHCPv4ClientSettings(mac: mac, transactionID: 0x0102_0304))
        _ = client.start(now: 0)
        if let datagram = UDPDatagram(ipv4Packet: bytes) { _ = client.receive(datagram.payload, now: 0.1) }
        _ = client.receive(bytes, now: 0.2)
        var patched = bytes
        if patched.count >= 34 {
            patched.replaceSubrange(4..<8, with: [1, 2, 3, 4])
            patched.replaceSubrange(28..<34, with: mac.bytes)
        }
        for step in 0..<3 { _ = client.receive(patched, now: 0.3 + Double(step)) }
        _ = client.timerFired(now: 100)
        if let message = try? DHCPv4Message(decoding: patched), let lease = DHCPv4Lease(message) {
            _ = PXELinuxLookup.candidates(configFile: lease.pxelinuxConfigFile, prefix: PXELinuxLookup.prefix(pathPrefix: lease.pxelinuxPathPrefix, bootFile: lease.bootFile),
                                          uuid: nil, mac: mac, address: lease.address)
            _ = lease.bootFile.map { try? NetworkURL($0) }
        }
    }

    /// A server's DHCPv6 answers: the input with the client's transaction ID and DUID patched in
    /// (so it reaches the parsing past the checks), as an Advertise and then as a Reply; the
    /// URL it names; IPv6 addresses and bracketed URLs from its text.
    static func dhcp6(_ bytes: [UInt8]) {
        guard let mac = MACAddress(bytes: [0x52, 0x54, 0, 0, 0, 1]) else { return }
        var client = DHCPv6Client(DHCPv6ClientSettings(mac: mac, transactionID: 0x0A0B0C))
        var sent: DHCPv6Message?
        for case .send(let message) in client.start(now: 0) { sent = message }
        for step in 0..<3 {
            guard let current = sent else { break }
            var patched = bytes
            if patched.count >= 4 {
                patched[0] = step == 0 ? 2 : 7
                patched.replaceSubrange(1..<4, with: [UInt8(current.transactionID >> 16), UInt8(current.transactionID >> 8 & 0xFF), UInt8(current.transactionID & 0xFF)])
            }
            patched += [0, 1, 0, 10] + client.settings.duid
            for action in client.receive(patched, now: 0.1 + Double(step)) {
                if case .send(let message) = action { sent = message }
                if case .bound(let lease) = action { _ = lease.bootFileURL.map { try? NetworkURL($0) } }
            }
        }
        _ = client.timerFired(now: 100)
        let text = String(decoding: bytes, as: UTF8.self)
        _ = IPv6Address(text.prefix(40))
        _ = try? NetworkURL("http://[" + text.prefix(60) + "]/")
    }

    /// An HTTP response read from the input whole, then in pieces of 1 to 7 bytes with its body
    /// handed on as it comes (which must give the same body), then as a HEAD's answer, and as
    /// redirect targets.
    static func http(_ bytes: [UInt8]) {
        var whole = HTTPResponseReader(maxBody: 1 << 16)
        let response = (try? whole.feed(bytes)) ?? (try? whole.closed())
        if let response, let url = try? NetworkURL("http://192.0.2.1/a") { _ = response.redirect(from: url) }
        _ = whole.connectionReusable
        var pieces = HTTPResponseReader(maxBody: 1 << 16, use: .handedOn)
        var handedOn: [UInt8] = []
        var index = 0
        var size = 1
        var done: HTTPResponse?
        while index < bytes.count, done == nil {
            let end = min(bytes.count, index + size)
            do { done = try pieces.feed(Array(bytes[index..<end])) } catch { return }
            handedOn += pieces.takeBody()
            index = end
            size = size % 7 + 1
        }
        if done == nil { done = try? pieces.closed() }
        handedOn += pieces.takeBody()
        if let response, done != nil, response.body != handedOn {
            fatalError("the body handed on in pieces differs from the body read whole")
        }
        var head = HTTPResponseReader(maxBody: 1 << 16, headOnly: true)
        _ = try? head.feed(bytes)
        _ = head.connectionReusable
    }

    /// A TFTP read fed the input as server packets: split at each 0xFF 0xFE pair, from one port.
    static func tftp(_ bytes: [UInt8]) {
        var settings = TFTPSettings()
        settings.maxSize = 1 << 16
        settings.windowSize = 4
        var transfer = TFTPTransfer(path: "pxelinux.cfg/default", settings: settings)
        _ = transfer.start(now: 0)
        var packets: [[UInt8]] = [[]]
        var i = 0
        while i < bytes.count {
            if i + 1 < bytes.count, bytes[i] == 0xFF, bytes[i + 1] == 0xFE {
                packets.append([])
                i += 2
                continue
            }
            packets[packets.count - 1].append(bytes[i])
            i += 1
        }
        for (n, packet) in packets.prefix(4096).enumerated() {
            _ = transfer.receive(packet, port: n % 7 == 6 ? 4001 : 4000, now: Double(n) * 0.01)
            if n % 5 == 4 { _ = transfer.timerFired(now: Double(n) * 0.5) }
        }
    }
}
