// The addresses network boot deals in: a NIC's MAC address and IPv4 addresses, parsed from and
// printed as text the way `ip` and dnsmasq write them.

/// A 48-bit Ethernet address.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Six bytes, else nil.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.bytes = bytes
    }

    /// `52:54:00:12:34:56` (as /sys/class/net/*/address holds it), `-` also accepted.
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "-" })
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard part.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// Lower-case hex joined by `separator`.
    public func text(separator: String) -> String { bytes.map(\.hex2).joined(separator: separator) }

    public var description: String { text(separator: ":") }
}

/// An IPv4 address, kept as its 32 bits in network order.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Four bytes in network order, else nil.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Dotted quad `192.0.2.1`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        self.value = value
    }

    public static let any = IPv4Address(0)
    public static let broadcast = IPv4Address(0xFFFF_FFFF)

    public var bytes: [UInt8] { [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }

    /// Upper-case hex of the four bytes, as pxelinux names its config files (`C0000201`).
    public var hex: String { bytes.map(\.hex2).joined().uppercased() }

    /// The prefix length of a contiguous netmask, else nil.
    public var prefixLength: Int? {
        let length = (~value).leadingZeroBitCount
        return IPv4Address.mask(length) == self ? length : nil
    }

    /// The netmask of a prefix length (0…32).
    public static func mask(_ length: Int) -> IPv4Address {
        let length = min(max(length, 0), 32)
        return IPv4Address(length == 0 ? 0 : ~UInt32(0) << (32 - length))
    }

    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }

    public var description: String { bytes.map(String.init).joined(separator: ".") }
}

extension UInt8 {
    /// Two lower-case hex digits.
    var hex2: String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(self >> 4)], digits[Int(self & 0xF)]])
    }
}
