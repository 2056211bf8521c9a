// IPv4 and UDP headers, for the DHCP exchange that runs before the interface has an address
// (on a packet socket, where Baton writes and reads the IP header itself). Reading checks the
// version, lengths and header checksum, and leaves fragments and options it does not need.

public struct UDPDatagram: Sendable, Equatable {
    public var source: IPv4Address
    public var sourcePort: UInt16
    public var destination: IPv4Address
    public var destinationPort: UInt16
    public var payload: [UInt8]

    public init(source: IPv4Address, sourcePort: UInt16, destination: IPv4Address, destinationPort: UInt16, payload: [UInt8]) {
        self.source = source
        self.sourcePort = sourcePort
        self.destination = destination
        self.destinationPort = destinationPort
        self.payload = payload
    }

    /// An IPv4 packet holding the datagram: no options, TTL 64, don't-fragment, both checksums.
    public func ipv4Packet(identification: UInt16 = 0) -> [UInt8] {
        let udpLength = 8 + payload.count
        let total = 20 + udpLength
        var ip: [UInt8] = [0x45, 0, UInt8(total >> 8), UInt8(truncatingIfNeeded: total),
                           UInt8(identification >> 8), UInt8(truncatingIfNeeded: identification), 0x40, 0, 64, 17, 0, 0]
        ip += source.bytes + destination.bytes
        let headerSum = Self.checksum(ip)
        ip[10] = UInt8(headerSum >> 8)
        ip[11] = UInt8(truncatingIfNeeded: headerSum)
        var udp: [UInt8] = [UInt8(sourcePort >> 8), UInt8(truncatingIfNeeded: sourcePort),
                            UInt8(destinationPort >> 8), UInt8(truncatingIfNeeded: destinationPort),
                            UInt8(udpLength >> 8), UInt8(truncatingIfNeeded: udpLength), 0, 0] + payload
        let pseudo = source.bytes + destination.bytes + [0, 17, UInt8(udpLength >> 8), UInt8(truncatingIfNeeded: udpLength)]
        var udpSum = Self.checksum(pseudo + udp)
        if udpSum == 0 { udpSum = 0xFFFF }
        udp[6] = UInt8(udpSum >> 8)
        udp[7] = UInt8(truncatingIfNeeded: udpSum)
        return ip + udp
    }

    /// The UDP datagram in an IPv4 packet; nil for anything else (other protocols, fragments,
    /// bad checksums, lengths that do not add up). `checkingUDPChecksum` false leaves the UDP
    /// checksum alone: a packet socket sees a local sender's packets (veth, a bridge, virtio
    /// with offload) before the checksum is filled in, as dhclient and systemd-networkd found.
    public init?(ipv4Packet bytes: [UInt8], checkingUDPChecksum: Bool = true) {
        guard bytes.count >= 28, bytes[0] >> 4 == 4 else { return nil }
        let headerLength = Int(bytes[0] & 0xF) * 4
        let total = Int(bytes[2]) << 8 | Int(bytes[3])
        guard headerLength >= 20, total >= headerLength + 8, total <= bytes.count, bytes[9] == 17 else { return nil }
        let fragment = (UInt16(bytes[6]) << 8 | UInt16(bytes[7])) & 0x3FFF  // MF flag and offset
        guard fragment == 0, Self.checksum(Array(bytes[0..<headerLength])) == 0 else { return nil }
        let udp = Array(bytes[headerLength..<total])
        let length = Int(udp[4]) << 8 | Int(udp[5])
        guard length >= 8, length <= udp.count else { return nil }
        guard let source = IPv4Address(bytes: bytes[12..<16]), let destination = IPv4Address(bytes: bytes[16..<20]) else { return nil }
        self.source = source
        self.destination = destination
        sourcePort = UInt16(udp[0]) << 8 | UInt16(udp[1])
        destinationPort = UInt16(udp[2]) << 8 | UInt16(udp[3])
        payload = Array(udp[8..<length])
        if checkingUDPChecksum, udp[6] != 0 || udp[7] != 0 {
            let pseudo = source.bytes + destination.bytes + [0, 17, udp[4], udp[5]]
            guard Self.checksum(pseudo + udp[0..<length]) == 0 else { return nil }
        }
    }

    /// The Internet checksum (RFC 1071): one's complement of the one's-complement sum of 16-bit words.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i + 1 < bytes.count {
            sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
            i += 2
        }
        if i < bytes.count { sum += UInt32(bytes[i]) << 8 }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
