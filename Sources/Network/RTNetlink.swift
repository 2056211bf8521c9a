// rtnetlink requests that set an interface up for network boot — link up, an IPv4 or IPv6
// address, a default route — and the kernel's acknowledgement, as bytes (host byte order, as netlink is).
// The platform layer sends them on a NETLINK_ROUTE socket.

public enum RTNetlink {
    static let newLink: UInt16 = 16
    static let newAddress: UInt16 = 20
    static let newRoute: UInt16 = 24
    static let error: UInt16 = 2
    static let request: UInt16 = 0x1
    static let acknowledge: UInt16 = 0x4
    static let replace: UInt16 = 0x100
    static let create: UInt16 = 0x400
    static let familyInet: UInt8 = 2
    static let familyInet6: UInt8 = 10
    static let interfaceUp: UInt32 = 0x1

    /// RTM_NEWLINK: the interface's IFF_UP flag set.
    public static func linkUp(index: Int32, sequence: UInt32) -> [UInt8] {
        // ifinfomsg: family, pad, type, index, flags, change
        let body = [0, 0] + host16(0) + host32(UInt32(bitPattern: index)) + host32(interfaceUp) + host32(interfaceUp)
        return message(newLink, flags: request | acknowledge, sequence: sequence, body: body)
    }

    /// RTM_NEWADDR: `address`/`prefixLength` on the interface, with its broadcast address.
    public static func addAddress(index: Int32, address: IPv4Address, prefixLength: Int, sequence: UInt32) -> [UInt8] {
        let prefix = UInt8(min(max(prefixLength, 0), 32))
        // ifaddrmsg: family, prefixlen, flags, scope (universe), index
        var body: [UInt8] = [familyInet, prefix, 0, 0] + host32(UInt32(bitPattern: index))
        let broadcast = IPv4Address(address.value | ~IPv4Address.mask(Int(prefix)).value)
        body += attribute(2, address.bytes)  // IFA_LOCAL
        body += attribute(1, address.bytes)  // IFA_ADDRESS
        if prefix < 31 { body += attribute(4, broadcast.bytes) }  // IFA_BROADCAST
        return message(newAddress, flags: request | acknowledge | create | replace, sequence: sequence, body: body)
    }

    /// RTM_NEWADDR for IPv6: `address`/`prefixLength` on the interface (DHCPv6's /128).
    public static func addAddress(index: Int32, address: IPv6Address, prefixLength: Int, sequence: UInt32) -> [UInt8] {
        var body: [UInt8] = [familyInet6, UInt8(min(max(prefixLength, 0), 128)), 0, 0] + host32(UInt32(bitPattern: index))
        body += attribute(1, address.bytes)  // IFA_ADDRESS
        return message(newAddress, flags: request | acknowledge | create | replace, sequence: sequence, body: body)
    }

    /// RTM_NEWROUTE: the default route through `gateway` on the interface (main table, proto boot).
    public static func addDefaultRoute(index: Int32, gateway: IPv4Address, sequence: UInt32) -> [UInt8] {
        // rtmsg: family, dst_len, src_len, tos, table (main), protocol (boot), scope (universe), type (unicast), flags
        var body: [UInt8] = [familyInet, 0, 0, 0, 254, 3, 0, 1] + host32(0)
        body += attribute(5, gateway.bytes)  // RTA_GATEWAY
        body += attribute(4, host32(UInt32(bitPattern: index)))  // RTA_OIF
        return message(newRoute, flags: request | acknowledge | create | replace, sequence: sequence, body: body)
    }

    /// The error code of the acknowledgement of request `sequence` in `bytes`: 0 for success,
    /// a negative errno for failure, nil when `bytes` hold no such acknowledgement.
    public static func acknowledgement(_ bytes: [UInt8], sequence: UInt32) -> Int32? {
        var offset = 0
        while offset + 16 <= bytes.count {
            let length = Int(read32(bytes, offset))
            guard length >= 16, offset + length <= bytes.count else { return nil }
            let type = UInt16(truncatingIfNeeded: read32(bytes, offset + 4))
            if type == error, read32(bytes, offset + 8) == sequence, length >= 20 {
                return Int32(bitPattern: read32(bytes, offset + 16))
            }
            offset += (length + 3) & ~3
        }
        return nil
    }

    static func message(_ type: UInt16, flags: UInt16, sequence: UInt32, body: [UInt8]) -> [UInt8] {
        host32(UInt32(16 + body.count)) + host16(type) + host16(flags) + host32(sequence) + host32(0) + body
    }

    /// An rtattr: length, type, value, padded to 4 bytes.
    static func attribute(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
        let length = 4 + value.count
        return host16(UInt16(length)) + host16(type) + value + [UInt8](repeating: 0, count: (4 - length % 4) % 4)
    }

    static func host16(_ v: UInt16) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }
    static func host32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }

    static func read32(_ b: [UInt8], _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        withUnsafeMutableBytes(of: &v) { for i in 0..<4 { $0[i] = b[at + i] } }
        return v
    }
}
