// IPv6 addresses as network boot meets them: parsed from text (`2001:db8::1`, `fe80::1`) and
// printed in RFC 5952's form (lower case, the longest run of zero groups as `::`).

public struct IPv6Address: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Sixteen bytes, else nil.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        self.bytes = Array(bytes)
    }

    /// Eight groups of hex, one run of zero groups written `::` (no embedded IPv4, no zone).
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8.count <= 39 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var compressed = false
        var group: UInt16 = 0
        var digits = 0
        var index = 0
        func finish() -> Bool {
            guard digits > 0 else { return false }
            if compressed { tail.append(group) } else { head.append(group) }
            group = 0
            digits = 0
            return true
        }
        while index < utf8.count {
            let c = utf8[index]
            if c == UInt8(ascii: ":") {
                if index + 1 < utf8.count, utf8[index + 1] == UInt8(ascii: ":") {
                    guard !compressed else { return nil }
                    if digits > 0 { _ = finish() } else if index != 0 { return nil }
                    compressed = true
                    index += 2
                    continue
                }
                guard finish(), index + 1 < utf8.count else { return nil }
                index += 1
                continue
            }
            guard let value = Self.hexValue(c), digits < 4 else { return nil }
            group = group << 4 | UInt16(value)
            digits += 1
            index += 1
        }
        if digits > 0 { _ = finish() }
        let count = head.count + tail.count
        guard compressed ? count <= 7 : count == 8 else { return nil }
        let groups = head + [UInt16](repeating: 0, count: 8 - count) + tail
        bytes = groups.flatMap { [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] }
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// ff02::1:2, where DHCPv6 clients send (RFC 8415 7.1).
    public static let allDHCPAgents = IPv6Address(sixteen: [0xFF, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2])

    private init(sixteen bytes: [UInt8]) { self.bytes = bytes }

    public var isLinkLocal: Bool { bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 }

    public var description: String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        // The longest run of two or more zero groups, the first of equals.
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (i, g) in groups.enumerated() {
            if g == 0 {
                run = run.start < 0 ? (i, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        func hex(_ g: UInt16) -> String { String(g, radix: 16) }
        guard best.length >= 2 else { return groups.map(hex).joined(separator: ":") }
        let left = groups[..<best.start].map(hex).joined(separator: ":")
        let right = groups[(best.start + best.length)...].map(hex).joined(separator: ":")
        return left + "::" + right
    }
}
