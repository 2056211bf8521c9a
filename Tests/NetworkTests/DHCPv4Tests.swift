// DHCPv4: messages written and read back, option overload and long options, hostile bytes, and
// the client's exchange, retransmission and giving up, driven by hand-made server replies.

@testable import Network
import TestSupport
import Testing

@Suite struct DHCPv4Tests {
    static let mac = MACAddress("52:54:00:12:34:56")!

    static func settings() -> DHCPv4ClientSettings {
        var s = DHCPv4ClientSettings(mac: mac, transactionID: 0x1234_5678)
        s.architecture = 7
        s.machineID = Array(0..<16)
        return s
    }

    /// A server's reply to `request` of `type`, offering 192.0.2.50 from 192.0.2.1.
    static func reply(to request: DHCPv4Message, _ type: DHCPMessageType, server: IPv4Address = IPv4Address(192, 0, 2, 1)) -> DHCPv4Message {
        var m = DHCPv4Message()
        m.op = 2
        m.transactionID = request.transactionID
        m.clientHardware = request.clientHardware
        m.yourAddress = IPv4Address(192, 0, 2, 50)
        m.serverAddress = IPv4Address(192, 0, 2, 9)
        m.file = "pxelinux.0"
        m.set(DHCPOption.messageType, [type.rawValue])
        m.set(DHCPOption.serverIdentifier, server.bytes)
        m.set(DHCPOption.subnetMask, [255, 255, 255, 0])
        m.set(DHCPOption.router, [192, 0, 2, 1, 192, 0, 2, 2])
        m.set(DHCPOption.pxelinuxPathPrefix, Array("/tftp/".utf8))
        return m
    }

    static func broadcasts(_ actions: [DHCPv4Client.Action]) -> [DHCPv4Message] {
        actions.compactMap { if case .broadcast(let m) = $0 { m } else { nil } }
    }

    @Test func messageRoundTrips() throws {
        var m = Self.reply(to: DHCPv4Client(Self.settings()).message(.discover, now: 0), .offer)
        m.set(DHCPOption.vendorSpecific, [UInt8](repeating: 7, count: 600))  // split into three options
        let bytes = m.encoded()
        let back = try DHCPv4Message(decoding: bytes)
        #expect(back == m)
        #expect(back.option(DHCPOption.vendorSpecific)?.count == 600)
        #expect(bytes.count >= 300)
    }

    @Test func discoverCarriesWhatPXEServersMatchOn() throws {
        var client = DHCPv4Client(Self.settings())
        let sent = try #require(Self.broadcasts(client.start(now: 0)).first)
        let m = try DHCPv4Message(decoding: sent.encoded())
        #expect(m.messageType == .discover)
        #expect(m.broadcast)
        #expect(m.option(DHCPOption.vendorClass) == Array("PXEClient:Arch:00007:UNDI:003016".utf8))
        #expect(m.option(DHCPOption.clientArchitecture) == [0, 7])
        #expect(m.option(DHCPOption.clientInterface) == [1, 3, 16])
        #expect(m.option(DHCPOption.clientMachineID) == [0] + Array(0..<16))
        let asked = try #require(m.option(DHCPOption.parameterRequest))
        for code in [1, 3, 6, 12, 15, 42, 66, 67, 150, 208, 209, 210, 211] as [UInt8] { #expect(asked.contains(code), "asks for \(code)") }
    }

    @Test func asAnHTTPBootClientItSaysSo() throws {
        var settings = Self.settings()
        settings.bootClass = .http
        var client = DHCPv4Client(settings)
        let m = try DHCPv4Message(decoding: try #require(Self.broadcasts(client.start(now: 0)).first).encoded())
        #expect(m.option(DHCPOption.vendorClass) == Array("HTTPClient:Arch:00016:UNDI:003016".utf8))
        #expect(m.option(DHCPOption.clientArchitecture) == [0, 16])
        #expect(BootClientClass.http.vendorClass(architecture: 11) == "HTTPClient:Arch:00019:UNDI:003016")
        #expect(BootClientClass.pxe.vendorClass(architecture: 0) == "PXEClient:Arch:00000:UNDI:003016")
    }

    @Test func overloadedFieldsHoldOptions() throws {
        var m = DHCPv4Message()
        m.op = 2
        m.clientHardware = Self.mac.bytes
        m.set(DHCPOption.overload, [3])
        var bytes = m.encoded()
        // file (108…) carries the boot file option, sname (44…) the TFTP server name.
        let file = [DHCPOption.bootFileName, 5] + Array("a.cfg".utf8) + [DHCPOption.end]
        let sname = [DHCPOption.tftpServerName, 8] + Array("10.0.0.7".utf8) + [DHCPOption.end]
        bytes.replaceSubrange(108..<(108 + file.count), with: file)
        bytes.replaceSubrange(44..<(44 + sname.count), with: sname)
        let back = try DHCPv4Message(decoding: bytes)
        #expect(back.file == "" && back.serverName == "")
        let lease = try #require(DHCPv4Lease({ var r = back; r.yourAddress = IPv4Address(10, 0, 0, 5); return r }()))
        #expect(lease.bootFile == "a.cfg")
        #expect(lease.tftpServerName == "10.0.0.7")
        #expect(lease.bootServer == IPv4Address(10, 0, 0, 7))
    }

    @Test func hostileMessagesAreErrors() {
        let good = Self.reply(to: DHCPv4Message(), .offer).encoded()
        #expect(throws: DHCPMessageError.self) { try DHCPv4Message(decoding: Array(good.prefix(100))) }
        var noCookie = good
        noCookie[236] = 0
        #expect(throws: DHCPMessageError.self) { try DHCPv4Message(decoding: noCookie) }
        var overrun = Array(good.prefix(240))
        overrun += [DHCPOption.hostName, 200, 1, 2]
        #expect(throws: DHCPMessageError.self) { try DHCPv4Message(decoding: overrun) }
        var generator = SeededGenerator(state: 7)
        for _ in 0..<2000 {
            var bytes = good
            for _ in 0..<8 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count + 1))))
            if let m = try? DHCPv4Message(decoding: bytes) { _ = DHCPv4Lease(m) }
        }
    }

    @Test func clientExchangeBindsTheOfferedAddress() throws {
        var client = DHCPv4Client(Self.settings())
        let discover = try #require(Self.broadcasts(client.start(now: 0)).first)
        let afterOffer = client.receive(Self.reply(to: discover, .offer).encoded(), now: 0.1)
        let request = try #require(Self.broadcasts(afterOffer).first)
        #expect(request.messageType == .request)
        #expect(request.option(DHCPOption.requestedAddress) == [192, 0, 2, 50])
        #expect(request.option(DHCPOption.serverIdentifier) == [192, 0, 2, 1])
        // A second server's offer while requesting changes nothing.
        #expect(client.receive(Self.reply(to: discover, .offer, server: IPv4Address(192, 0, 2, 3)).encoded(), now: 0.2).isEmpty)
        let bound = client.receive(Self.reply(to: request, .ack).encoded(), now: 0.3)
        guard case .bound(let lease)? = bound.first else { Issue.record("not bound: \(bound)"); return }
        #expect(lease.address == IPv4Address(192, 0, 2, 50))
        #expect(lease.prefixLength == 24)
        #expect(lease.routers == [IPv4Address(192, 0, 2, 1), IPv4Address(192, 0, 2, 2)])
        #expect(lease.bootServer == IPv4Address(192, 0, 2, 9))
        #expect(lease.bootFile == "pxelinux.0")
        #expect(lease.pxelinuxPathPrefix == "/tftp/")
        #expect(client.isBound && client.deadline == nil)
    }

    @Test func repliesForOthersAreIgnored() throws {
        var client = DHCPv4Client(Self.settings())
        let discover = try #require(Self.broadcasts(client.start(now: 0)).first)
        var other = Self.reply(to: discover, .offer)
        other.transactionID ^= 1
        #expect(client.receive(other.encoded(), now: 0.1).isEmpty)
        other = Self.reply(to: discover, .offer)
        other.clientHardware = [2, 0, 0, 0, 0, 1]
        #expect(client.receive(other.encoded(), now: 0.1).isEmpty)
        #expect(client.receive(Array("not dhcp".utf8), now: 0.1).isEmpty)
    }

    @Test func nakStartsOver() throws {
        var client = DHCPv4Client(Self.settings())
        let discover = try #require(Self.broadcasts(client.start(now: 0)).first)
        let request = try #require(Self.broadcasts(client.receive(Self.reply(to: discover, .offer).encoded(), now: 0.1)).first)
        let again = Self.broadcasts(client.receive(Self.reply(to: request, .nak).encoded(), now: 0.2))
        #expect(again.first?.messageType == .discover)
    }

    @Test func silenceRetransmitsWithBackoffThenGivesUp() {
        var client = DHCPv4Client(Self.settings())
        _ = client.start(now: 0)
        var sendTimes: [Double] = [0]
        var now = 0.0
        var gaveUp: String?
        while gaveUp == nil, let deadline = client.deadline, now < 100 {
            now = deadline
            for action in client.timerFired(now: now) {
                switch action {
                case .broadcast: sendTimes.append(now)
                case .gaveUp(let why): gaveUp = why
                case .bound: Issue.record("bound without a server")
                }
            }
        }
        #expect(gaveUp != nil)
        #expect(now <= 30.0001, "gave up at \(now)")
        let gaps = zip(sendTimes.dropFirst(), sendTimes).map { $0 - $1 }
        #expect(gaps.count >= 4)
        // Doubling, capped at 8 s, each within ±1/8 of its nominal interval.
        for (gap, nominal) in zip(gaps, [1.0, 2, 4, 8, 8]) { #expect(abs(gap - nominal) <= nominal / 8 + 1e-9, "gap \(gap), nominal \(nominal)") }
    }
}
