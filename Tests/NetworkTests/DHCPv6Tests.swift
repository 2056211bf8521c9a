// DHCPv6: IPv6 addresses as text, messages as bytes, the lease a Reply gives (RFC 5970's boot
// file URL and parameters), the client's exchange, and hostile replies.

import Network
import Testing

@Suite struct IPv6AddressTests {
    @Test(arguments: [
        ("2001:db8::1", "2001:db8::1"), ("2001:0DB8:0:0:0:0:0:1", "2001:db8::1"), ("::", "::"), ("::1", "::1"),
        ("fe80::5054:ff:fe12:3456", "fe80::5054:ff:fe12:3456"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), ("ff02::1:2", "ff02::1:2"),
    ])
    func parsesAndPrintsAsRFC5952(_ pair: (String, String)) throws {
        let address = try #require(IPv6Address(pair.0))
        #expect(address.description == pair.1)
        #expect(IPv6Address(address.description) == address)
    }

    @Test(arguments: ["", ":", ":1", "1:", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "g::1", "1:::2", "192.0.2.1"])
    func refused(_ text: String) { #expect(IPv6Address(text) == nil) }

    @Test func linkLocalAndURLs() throws {
        #expect(IPv6Address("fe80::1")?.isLinkLocal == true && IPv6Address("2001:db8::1")?.isLinkLocal == false)
        let url = try NetworkURL("http://[2001:db8::1]:8080/boot.ipxe")
        #expect(url.addressV6 == IPv6Address("2001:db8::1") && url.port == 8080 && url.path == "/boot.ipxe" && url.address == nil)
        #expect(url.description == "http://[2001:db8::1]:8080/boot.ipxe")
        #expect(try NetworkURL("https://[2001:db8::1]/").authority == "[2001:db8::1]")
        #expect(String(decoding: HTTPRequest.get(url), as: UTF8.self).contains("Host: [2001:db8::1]:8080\r\n"))
        for bad in ["http://[2001:db8::1/x", "http://[nope]/", "http://[2001:db8::1]x/", "http://[2001:db8::1]:0/"] {
            #expect(throws: NetworkURLError.self) { try NetworkURL(bad) }
        }
    }
}

@Suite struct DHCPv6Tests {
    static let mac = MACAddress("52:54:00:12:34:56")!
    static let server = IPv6Address("2001:db8::1")!
    static let serverID: [UInt8] = [0, 1, 0, 1, 1, 2, 3, 4, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF]

    static func option(_ code: UInt16, _ data: [UInt8]) -> [UInt8] { [UInt8(code >> 8), UInt8(code & 0xFF), UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data }

    /// A server's answer to `message`: IA_NA with 2001:db8::55, DNS, the boot file URL and two parameters.
    static func answer(_ type: UInt8, to message: DHCPv6Message, iaStatus: UInt16? = nil) -> [UInt8] {
        let settings = DHCPv6ClientSettings(mac: mac, transactionID: 0)
        var ia = [UInt8(settings.iaid >> 24), UInt8(settings.iaid >> 16 & 0xFF), UInt8(settings.iaid >> 8 & 0xFF), UInt8(settings.iaid & 0xFF)]
        ia += [0, 0, 0, 100, 0, 0, 0, 200]
        ia += option(5, IPv6Address("2001:db8::55")!.bytes + [0, 0, 0x0E, 0x10, 0, 0, 0x1C, 0x20])
        if let iaStatus { ia += option(13, [UInt8(iaStatus >> 8), UInt8(iaStatus & 0xFF)] + Array("no".utf8)) }
        var bytes = [type, UInt8(message.transactionID >> 16), UInt8(message.transactionID >> 8 & 0xFF), UInt8(message.transactionID & 0xFF)]
        bytes += option(1, message.option(1) ?? []) + option(2, serverID) + option(3, ia) + option(23, server.bytes)
        bytes += option(59, Array("http://[2001:db8::1]:8080/boot.ipxe".utf8)) + option(60, [0, 5] + Array("quiet".utf8) + [0, 3] + Array("a=b".utf8))
        return bytes
    }

    static func sent(_ actions: [DHCPv6Client.Action]) -> DHCPv6Message? {
        for case .send(let message) in actions { return message }
        return nil
    }

    @Test func solicitAdvertiseRequestReply() throws {
        var settings = DHCPv6ClientSettings(mac: Self.mac, transactionID: 0x123456)
        settings.architecture = 7
        var client = DHCPv6Client(settings)
        let solicit = try #require(Self.sent(client.start(now: 0)))
        #expect(solicit.type == 1)
        #expect(solicit.option(1) == [0, 3, 0, 1] + Self.mac.bytes)  // DUID-LL
        #expect(solicit.option(61) == [0, 7])
        let requested = solicit.option(6) ?? []
        let codes = stride(from: 0, to: requested.count - 1, by: 2).map { Int(requested[$0]) << 8 | Int(requested[$0 + 1]) }
        #expect(codes == [23, 24, 59, 60])
        #expect(String(decoding: solicit.option(16)?.dropFirst(6) ?? [], as: UTF8.self) == "PXEClient:Arch:00007:UNDI:003016")
        var asHTTP = settings
        asHTTP.bootClass = .http
        var httpClient = DHCPv6Client(asHTTP)
        let httpSolicit = try #require(Self.sent(httpClient.start(now: 0)))
        #expect(String(decoding: httpSolicit.option(16)?.dropFirst(6) ?? [], as: UTF8.self) == "HTTPClient:Arch:00016:UNDI:003016")
        #expect(httpSolicit.option(61) == [0, 16])
        #expect(DHCPv6Message(solicit.encoded()) == solicit)
        // Another transaction's answer, and garbage, are ignored.
        var other = Self.answer(2, to: solicit)
        other[3] ^= 1
        #expect(client.receive(other, now: 0.1).isEmpty && client.receive([2, 0], now: 0.1).isEmpty)
        let request = try #require(Self.sent(client.receive(Self.answer(2, to: solicit), now: 0.2)))
        #expect(request.type == 3 && request.option(2) == Self.serverID && request.transactionID != solicit.transactionID)
        let actions = client.receive(Self.answer(7, to: request), now: 0.3)
        guard case .bound(let lease)? = actions.first else {
            Issue.record("not bound: \(actions)")
            return
        }
        #expect(lease.address == IPv6Address("2001:db8::55") && lease.validSeconds == 7200)
        #expect(lease.dnsServers == [Self.server])
        #expect(lease.bootFileURL == "http://[2001:db8::1]:8080/boot.ipxe" && lease.bootFileParameters == ["quiet", "a=b"])
    }

    @Test func retransmitsWithBackoffThenGivesUp() throws {
        var client = DHCPv6Client(DHCPv6ClientSettings(mac: Self.mac, transactionID: 1))
        _ = client.start(now: 0)
        var times: [Double] = []
        var now = 0.0
        while now < 40 {
            now += 0.25
            for action in client.timerFired(now: now) {
                switch action {
                case .send: times.append(now)
                case .gaveUp(let why):
                    #expect(why == "no DHCPv6 answer in 30 s")
                    #expect(times.prefix(4) == [1, 3, 7, 15])
                    return
                case .bound: Issue.record("bound without a server")
                }
            }
        }
        Issue.record("never gave up")
    }

    @Test func anAddressRefusedInTheIAIsNoLease() throws {
        var client = DHCPv6Client(DHCPv6ClientSettings(mac: Self.mac, transactionID: 9))
        let solicit = try #require(Self.sent(client.start(now: 0)))
        // NoAddrsAvail (2) inside the IA: the Advertise is ignored.
        #expect(client.receive(Self.answer(2, to: solicit, iaStatus: 2), now: 0.1).isEmpty)
        #expect(client.notes == ["an Advertise without an address: ignored"])
    }

    @Test func hostileRepliesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        var client = DHCPv6Client(DHCPv6ClientSettings(mac: Self.mac, transactionID: 5))
        let solicit = Self.sent(client.start(now: 0))!
        let good = Self.answer(2, to: solicit)
        for _ in 0..<3000 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            var copy = client
            _ = copy.receive(bytes, now: 0.1)
            _ = DHCPv6Message(bytes)
        }
    }
}

@Suite struct SNTPTests {
    @Test func aServerReplyGivesItsTime() throws {
        let sent = 1_800_000_000.25
        let request = SNTP.request(now: sent)
        #expect(request.count == 48 && request[0] == 0x23)
        var reply = [UInt8](repeating: 0, count: 48)
        reply[0] = 0x24  // version 4, server
        reply[1] = 2
        reply.replaceSubrange(24..<32, with: request[40..<48])
        // 1_800_000_100.5 in NTP time: seconds since 1900, then half a second.
        let seconds = UInt32(1_800_000_100 + 2_208_988_800)
        reply.replaceSubrange(40..<48, with: [UInt8(seconds >> 24), UInt8(seconds >> 16 & 0xFF), UInt8(seconds >> 8 & 0xFF), UInt8(seconds & 0xFF), 0x80, 0, 0, 0])
        let time = try #require(SNTP.serverTime(reply, sent: sent))
        #expect(abs(time - 1_800_000_100.5) < 0.001)
        // Not an answer to this request, not a server, unsynchronised, cut short: no time.
        #expect(SNTP.serverTime(reply, sent: sent + 1) == nil)
        var client = reply
        client[0] = 0x23
        #expect(SNTP.serverTime(client, sent: sent) == nil)
        var unsynchronised = reply
        unsynchronised[1] = 0
        #expect(SNTP.serverTime(unsynchronised, sent: sent) == nil)
        #expect(SNTP.serverTime(Array(reply.prefix(47)), sent: sent) == nil)
    }
}
