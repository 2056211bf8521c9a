// TFTP reads against a scripted server: option negotiation, a server without options, windows,
// lost and repeated packets, errors, size caps, and silence; and the IPv4/UDP framing DHCP uses.

@testable import Network
import Testing

@Suite struct TFTPTests {
    static func data(_ block: UInt16, _ bytes: [UInt8]) -> [UInt8] { TFTPTransfer.u16(3) + TFTPTransfer.u16(block) + bytes }

    static func oack(_ options: [(String, String)]) -> [UInt8] {
        TFTPTransfer.u16(6) + options.flatMap { Array($0.0.utf8) + [0] + Array($0.1.utf8) + [0] }
    }

    static func sent(_ actions: [TFTPTransfer.Action]) -> [[UInt8]] {
        actions.compactMap { if case .send(let p, _) = $0 { p } else { nil } }
    }

    static func file(_ actions: [TFTPTransfer.Action]) -> [UInt8]? {
        actions.compactMap { if case .finished(let f) = $0 { f } else { nil } }.first
    }

    static func failure(_ actions: [TFTPTransfer.Action]) -> String? {
        actions.compactMap { if case .failed(let e) = $0 { e.description } else { nil } }.first
    }

    @Test func requestAsksForOptions() throws {
        var t = TFTPTransfer(path: "pxelinux.cfg/default")
        let request = try #require(Self.sent(t.start(now: 0)).first)
        let fields = request.dropFirst(2).split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        #expect(request.prefix(2) == [0, 1])
        #expect(Array(fields.prefix(8)) == ["pxelinux.cfg/default", "octet", "blksize", "1468", "tsize", "0", "windowsize", "8"])
    }

    @Test func negotiatedWindowedTransfer() {
        var settings = TFTPSettings()
        settings.blockSize = 1024
        settings.windowSize = 4
        var t = TFTPTransfer(path: "big", settings: settings)
        _ = t.start(now: 0)
        let content = (0..<(10 * 512 + 100)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var acks = Self.sent(t.receive(Self.oack([("blksize", "512"), ("tsize", "\(content.count)"), ("windowsize", "4")]), port: 4000, now: 0))
        #expect(acks == [[0, 4, 0, 0]])
        #expect(t.serverPort == 4000 && t.announcedSize == content.count)
        var result: [UInt8]?
        for (index, chunk) in stride(from: 0, through: content.count, by: 512).enumerated() {
            let block = UInt16(index + 1)
            let actions = t.receive(Self.data(block, Array(content[chunk..<min(chunk + 512, content.count)])), port: 4000, now: 0.01)
            acks += Self.sent(actions)
            result = result ?? Self.file(actions)
        }
        #expect(result == content)
        // One acknowledgement per window of four, and the last block's.
        #expect(acks.map { Int($0[2]) << 8 | Int($0[3]) } == [0, 4, 8, 11])
    }

    @Test func serverWithoutOptionsSendsBlockOne() {
        var t = TFTPTransfer(path: "f")
        _ = t.start(now: 0)
        let a = t.receive(Self.data(1, [UInt8](repeating: 1, count: 512)), port: 5000, now: 0)
        #expect(Self.sent(a) == [[0, 4, 0, 1]])
        let b = t.receive(Self.data(2, [2, 2]), port: 5000, now: 0)
        #expect(Self.file(b)?.count == 514)
    }

    @Test func lostAndRepeatedPackets() {
        var t = TFTPTransfer(path: "f")
        _ = t.start(now: 0)
        _ = t.receive(Self.oack([("blksize", "512")]), port: 6000, now: 0)
        _ = t.receive(Self.data(1, [UInt8](repeating: 1, count: 512)), port: 6000, now: 0)
        // Block 1 again (our ACK was lost): acknowledged again, not appended twice.
        #expect(Self.sent(t.receive(Self.data(1, [UInt8](repeating: 1, count: 512)), port: 6000, now: 0)) == [[0, 4, 0, 1]])
        // Silence: the last ACK goes out again, with a growing wait.
        let deadline = t.deadline ?? 0
        #expect(Self.sent(t.timerFired(now: deadline)) == [[0, 4, 0, 1]])
        #expect((t.deadline ?? 0) - deadline > 1)
        let end = t.receive(Self.data(2, [9]), port: 6000, now: 3)
        #expect(Self.file(end)?.count == 513)
        // A packet from another port is told off and changes nothing.
        var u = TFTPTransfer(path: "g")
        _ = u.start(now: 0)
        _ = u.receive(Self.oack([("tsize", "3")]), port: 7000, now: 0)
        let stray = u.receive(Self.data(1, [1, 2, 3]), port: 7001, now: 0)
        #expect(Self.sent(stray).first?.prefix(4) == [0, 5, 0, 5])
        #expect(Self.file(u.receive(Self.data(1, [1, 2, 3]), port: 7000, now: 0)) == [1, 2, 3])
    }

    @Test func errorsSizeCapsAndSilenceEndTheTransfer() {
        var t = TFTPTransfer(path: "missing")
        _ = t.start(now: 0)
        let error = TFTPTransfer.u16(5) + TFTPTransfer.u16(1) + Array("File not found".utf8) + [0]
        #expect(Self.failure(t.receive(error, port: 69, now: 0)) == "server error 1: File not found")

        var settings = TFTPSettings()
        settings.maxSize = 1000
        var capped = TFTPTransfer(path: "huge", settings: settings)
        _ = capped.start(now: 0)
        let refused = capped.receive(Self.oack([("tsize", "5000")]), port: 8000, now: 0)
        #expect(Self.failure(refused)?.contains("over the 1000-byte cap") == true)
        #expect(Self.sent(refused).first?.prefix(2) == [0, 5])
        var noSize = TFTPTransfer(path: "huge", settings: settings)
        _ = noSize.start(now: 0)
        _ = noSize.receive(Self.data(1, [UInt8](repeating: 0, count: 512)), port: 8000, now: 0)
        #expect(Self.failure(noSize.receive(Self.data(2, [UInt8](repeating: 0, count: 512)), port: 8000, now: 0)) != nil)

        var silent = TFTPTransfer(path: "x")
        _ = silent.start(now: 0)
        var failure: String?
        var now = 0.0
        while failure == nil, let deadline = silent.deadline {
            now = deadline
            failure = Self.failure(silent.timerFired(now: now))
        }
        #expect(failure == "no answer from the server after 5 retries")
        #expect(now < 60)

        var short = TFTPTransfer(path: "s")
        _ = short.start(now: 0)
        _ = short.receive(Self.oack([("tsize", "100")]), port: 9000, now: 0)
        #expect(Self.failure(short.receive(Self.data(1, [1]), port: 9000, now: 0))?.contains("announced 100") == true)
    }

    @Test func hostileServerPackets() {
        var t = TFTPTransfer(path: "f")
        _ = t.start(now: 0)
        #expect(Self.failure(t.receive(Self.oack([("blksize", "70000")]), port: 1, now: 0)) != nil)
        var u = TFTPTransfer(path: "f")
        _ = u.start(now: 0)
        #expect(Self.failure(u.receive(TFTPTransfer.u16(6) + Array("blksize".utf8), port: 1, now: 0)) != nil)
        var v = TFTPTransfer(path: "f")
        _ = v.start(now: 0)
        #expect(Self.failure(v.receive(Self.data(1, [UInt8](repeating: 0, count: 600)), port: 1, now: 0)) != nil)
        var w = TFTPTransfer(path: "f")
        _ = w.start(now: 0)
        #expect(w.receive([0, 9, 0, 0], port: 1, now: 0).isEmpty)
        #expect(w.receive([0], port: 1, now: 0).isEmpty)
    }

    @Test func udpInIPv4RoundTripsAndIsChecked() throws {
        let datagram = UDPDatagram(source: .any, sourcePort: 68, destination: .broadcast, destinationPort: 67, payload: Array("hello".utf8))
        var packet = datagram.ipv4Packet(identification: 7)
        #expect(UDPDatagram(ipv4Packet: packet) == datagram)
        #expect(UDPDatagram.checksum(Array(packet[0..<20])) == 0)
        packet[30] ^= 1  // payload byte: the UDP checksum no longer adds up
        #expect(UDPDatagram(ipv4Packet: packet) == nil)
        #expect(UDPDatagram(ipv4Packet: packet, checkingUDPChecksum: false)?.payload == Array("hemlo".utf8))
        var fragment = datagram.ipv4Packet()
        fragment[6] = 0x20  // more fragments
        #expect(UDPDatagram(ipv4Packet: fragment) == nil)
        #expect(UDPDatagram(ipv4Packet: Array(datagram.ipv4Packet().prefix(25))) == nil)
    }
}

@Suite struct PXELinuxLookupTests {
    @Test func syslinuxDocumentedOrder() {
        // The example in syslinux's pxelinux documentation: UUID, MAC, C0A8025B shortened, default.
        let names = PXELinuxLookup.candidates(
            configFile: nil, prefix: "", uuid: "B8945908-D6A6-41A9-611D-74A6AB80B83D",
            mac: MACAddress("88:99:aa:bb:cc:dd")!, address: IPv4Address(192, 168, 2, 91))
        #expect(names == [
            "pxelinux.cfg/b8945908-d6a6-41a9-611d-74a6ab80b83d", "pxelinux.cfg/01-88-99-aa-bb-cc-dd",
            "pxelinux.cfg/C0A8025B", "pxelinux.cfg/C0A8025", "pxelinux.cfg/C0A802", "pxelinux.cfg/C0A80",
            "pxelinux.cfg/C0A8", "pxelinux.cfg/C0A", "pxelinux.cfg/C0", "pxelinux.cfg/C", "pxelinux.cfg/default",
        ])
    }

    @Test func dhcpNamedFileAndPrefix() {
        let mac = MACAddress("52:54:00:00:00:01")!
        #expect(PXELinuxLookup.candidates(configFile: "boot/menu.cfg", prefix: "/srv/", uuid: nil, mac: mac, address: .any) == ["/srv/boot/menu.cfg"])
        #expect(PXELinuxLookup.prefix(pathPrefix: nil, bootFile: "bios/pxelinux.0") == "bios/")
        #expect(PXELinuxLookup.prefix(pathPrefix: "/x/", bootFile: "bios/pxelinux.0") == "/x/")
        #expect(PXELinuxLookup.candidates(configFile: nil, prefix: "bios/", uuid: nil, mac: mac, address: IPv4Address(10, 0, 0, 1)).first
            == "bios/pxelinux.cfg/01-52-54-00-00-00-01")
    }

    @Test func addressesParseAndPrint() {
        #expect(IPv4Address("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPv4Address("192.0.2") == nil && IPv4Address("1.2.3.256") == nil && IPv4Address("a.b.c.d") == nil)
        #expect(IPv4Address.mask(20).description == "255.255.240.0")
        #expect(IPv4Address("255.255.240.0")?.prefixLength == 20 && IPv4Address("255.0.255.0")?.prefixLength == nil)
        #expect(IPv4Address.broadcast.prefixLength == 32 && IPv4Address.any.prefixLength == 0)
        #expect(MACAddress("52-54-00-AB-cd-ef")?.description == "52:54:00:ab:cd:ef")
        #expect(MACAddress("52:54:00:ab:cd") == nil)
    }
}

@Suite struct TFTPAnswerOnlyTests {
    @Test func stopsAtTheServersAnswer() {
        var settings = TFTPSettings()
        settings.answerOnly = true
        settings.maxSize = 1000  // a kernel over a config's cap still exists
        var t = TFTPTransfer(path: "vmlinuz", settings: settings)
        _ = t.start(now: 0)
        let actions = t.receive(TFTPTests.oack([("tsize", "9000000")]), port: 4000, now: 0)
        #expect(TFTPTests.file(actions) == [])
        #expect(TFTPTests.sent(actions).first?.prefix(4) == [0, 5, 0, 8])
        #expect(t.announcedSize == 9_000_000 && t.deadline == nil)
        var plain = TFTPTransfer(path: "vmlinuz", settings: settings)
        _ = plain.start(now: 0)
        #expect(TFTPTests.file(plain.receive(TFTPTests.data(1, [UInt8](repeating: 0, count: 512)), port: 4000, now: 0)) == [])
    }
}

@Suite struct TFTPFallbackTests {
    @Test func largeBlocksThatNeverArriveFallBackToOneFrame() throws {
        var t = TFTPTransfer(path: "vmlinuz", settings: .files)
        let first = try #require(TFTPTests.sent(t.start(now: 0)).first)
        #expect(String(decoding: first, as: UTF8.self).contains("blksize\u{0}8192\u{0}"))
        _ = t.receive(TFTPTests.oack([("blksize", "8192")]), port: 5000, now: 0)
        // The ACK of the OACK goes out again once; then the transfer starts over at 1468.
        #expect(TFTPTests.sent(t.timerFired(now: 1)) == [[0, 4, 0, 0]])
        let again = t.timerFired(now: 10)
        let request = try #require(TFTPTests.sent(again).first)
        #expect(t.fellBack)
        #expect(request.prefix(2) == [0, 1] && String(decoding: request, as: UTF8.self).contains("blksize\u{0}1468\u{0}"))
        guard case .send(_, let port)? = again.first else { Issue.record("nothing sent"); return }
        #expect(port == 69)
        // The abandoned transfer's block, arriving late, is ignored.
        #expect(t.receive(TFTPTests.data(1, [UInt8](repeating: 1, count: 8192)), port: 5000, now: 10.1).isEmpty)
        _ = t.receive(TFTPTests.oack([("blksize", "1468")]), port: 5001, now: 10.2)
        #expect(TFTPTests.file(t.receive(TFTPTests.data(1, [7, 7]), port: 5001, now: 10.3)) == [7, 7])
    }

    @Test func smallBlocksDoNotFallBack() {
        var t = TFTPTransfer(path: "cfg")
        _ = t.start(now: 0)
        _ = t.receive(TFTPTests.oack([("blksize", "1468")]), port: 5000, now: 0)
        _ = t.timerFired(now: 1)
        _ = t.timerFired(now: 10)
        #expect(!t.fellBack)
    }
}

@Suite struct GrubNetLookupTests {
    @Test func grubOrderUnderEachPrefix() {
        let names = GrubNetLookup.candidates(prefix: "/boot/grub", mac: MACAddress("52:54:00:12:34:56")!, address: IPv4Address(192, 0, 2, 50))
        #expect(names == [
            "/boot/grub/grub.cfg-01-52-54-00-12-34-56", "/boot/grub/grub.cfg-C0000232", "/boot/grub/grub.cfg-C000023",
            "/boot/grub/grub.cfg-C00002", "/boot/grub/grub.cfg-C0000", "/boot/grub/grub.cfg-C000", "/boot/grub/grub.cfg-C00",
            "/boot/grub/grub.cfg-C0", "/boot/grub/grub.cfg-C", "/boot/grub/grub.cfg",
        ])
    }

    @Test func prefixesFromTheBootFile() {
        #expect(GrubNetLookup.prefixes(bootFile: "boot/grub/x86_64-efi/core.efi") == ["/boot/grub", "/boot/grub/x86_64-efi/grub", "/boot/grub/x86_64-efi", "/grub"])
        #expect(GrubNetLookup.prefixes(bootFile: "debian-installer/amd64/grubx64.efi")
            == ["/debian-installer/amd64/grub", "/debian-installer/amd64", "/grub", "/boot/grub"])
        #expect(GrubNetLookup.prefixes(bootFile: nil) == ["/grub", "/boot/grub"])
    }

    @Test func bootFileKinds() {
        #expect(BootFileKind(name: "pxelinux.0") == .pxelinux)
        #expect(BootFileKind(name: "bios/lpxelinux.0") == .pxelinux)
        #expect(BootFileKind(name: "grubx64.efi") == .grub)
        #expect(BootFileKind(name: "boot/grub/i386-pc/core.0") == .grub)
        #expect(BootFileKind(name: "menu.ipxe") == .ipxeScript)
        #expect(BootFileKind(name: "vmlinuz") == .unknown)
        var bzImage = [UInt8](repeating: 0, count: 0x240)
        bzImage.replaceSubrange(0x202..<0x206, with: Array("HdrS".utf8))
        #expect(BootFileKind.isKernel(firstBytes: bzImage))
        var arm64 = [UInt8](repeating: 0, count: 0x40)
        arm64.replaceSubrange(0x38..<0x3C, with: [0x41, 0x52, 0x4D, 0x64])
        #expect(BootFileKind.isKernel(firstBytes: arm64))
        #expect(!BootFileKind.isKernel(firstBytes: Array("#!ipxe\nboot\n".utf8)))
        #expect(!BootFileKind.isKernel(firstBytes: [UInt8](repeating: 0, count: 0x100)))
    }
}
