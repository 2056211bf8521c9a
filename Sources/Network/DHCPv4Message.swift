// DHCPv4 messages (RFC 2131, options RFC 2132): the fixed BOOTP header and the options, read
// from untrusted bytes and written for sending. Reading follows option overload (52: options
// continued in `file` and `sname`) and joins repeated options (RFC 3396); a malformed message
// is an error with what was wrong, never a trap.

public enum DHCPMessageType: UInt8, Sendable {
    case discover = 1, offer, request, decline, ack, nak, release, inform
}

/// Option codes Baton asks for or sends.
public enum DHCPOption {
    public static let pad: UInt8 = 0
    public static let subnetMask: UInt8 = 1
    public static let router: UInt8 = 3
    public static let dnsServer: UInt8 = 6
    public static let hostName: UInt8 = 12
    public static let domainName: UInt8 = 15
    public static let ntpServer: UInt8 = 42
    public static let vendorSpecific: UInt8 = 43
    public static let requestedAddress: UInt8 = 50
    public static let leaseTime: UInt8 = 51
    public static let overload: UInt8 = 52
    public static let messageType: UInt8 = 53
    public static let serverIdentifier: UInt8 = 54
    public static let parameterRequest: UInt8 = 55
    public static let message: UInt8 = 56
    public static let maxMessageSize: UInt8 = 57
    public static let vendorClass: UInt8 = 60
    public static let clientIdentifier: UInt8 = 61
    public static let tftpServerName: UInt8 = 66
    public static let bootFileName: UInt8 = 67
    public static let clientArchitecture: UInt8 = 93
    public static let clientInterface: UInt8 = 94
    public static let clientMachineID: UInt8 = 97
    public static let tftpServerAddress: UInt8 = 150
    public static let pxelinuxMagic: UInt8 = 208
    public static let pxelinuxConfigFile: UInt8 = 209
    public static let pxelinuxPathPrefix: UInt8 = 210
    public static let pxelinuxRebootTime: UInt8 = 211
    public static let end: UInt8 = 255
}

public struct DHCPMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public struct DHCPv4Message: Sendable, Equatable {
    public static let magicCookie: [UInt8] = [99, 130, 83, 99]
    public static let headerSize = 236

    public var op: UInt8 = 1  // 1 request, 2 reply
    public var transactionID: UInt32 = 0
    public var seconds: UInt16 = 0
    public var broadcast = false
    public var clientAddress = IPv4Address.any  // ciaddr
    public var yourAddress = IPv4Address.any  // yiaddr
    public var serverAddress = IPv4Address.any  // siaddr: next-server
    public var relayAddress = IPv4Address.any  // giaddr
    public var clientHardware: [UInt8] = []  // chaddr, up to 16 bytes
    public var serverName = ""  // sname, when not overloaded
    public var file = ""  // file, when not overloaded
    /// Options by code, each the concatenation of every instance (RFC 3396), in first-seen order.
    public var options: [(code: UInt8, value: [UInt8])] = []

    public init() {}

    public static func == (a: DHCPv4Message, b: DHCPv4Message) -> Bool {
        a.op == b.op && a.transactionID == b.transactionID && a.seconds == b.seconds && a.broadcast == b.broadcast
            && a.clientAddress == b.clientAddress && a.yourAddress == b.yourAddress && a.serverAddress == b.serverAddress
            && a.relayAddress == b.relayAddress && a.clientHardware == b.clientHardware && a.serverName == b.serverName
            && a.file == b.file && a.options.map(\.code) == b.options.map(\.code) && a.options.map(\.value) == b.options.map(\.value)
    }

    public func option(_ code: UInt8) -> [UInt8]? { options.first { $0.code == code }?.value }

    public mutating func set(_ code: UInt8, _ value: [UInt8]) {
        if let index = options.firstIndex(where: { $0.code == code }) {
            options[index].value = value
        } else {
            options.append((code, value))
        }
    }

    public var messageType: DHCPMessageType? { option(DHCPOption.messageType).flatMap { $0.count == 1 ? DHCPMessageType(rawValue: $0[0]) : nil } }

    /// The bytes to send: header, magic cookie, options (long values split in 255-byte pieces), end.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = [op, 1, 6, 0]
        out += Self.be32(transactionID)
        out += [UInt8(seconds >> 8), UInt8(truncatingIfNeeded: seconds)]
        out += [broadcast ? 0x80 : 0, 0]
        for address in [clientAddress, yourAddress, serverAddress, relayAddress] { out += address.bytes }
        out += Self.padded(clientHardware, 16)
        out += Self.padded(Array(serverName.utf8), 64)
        out += Self.padded(Array(file.utf8), 128)
        out += Self.magicCookie
        for (code, value) in options {
            var rest = value[...]
            repeat {
                let piece = rest.prefix(255)
                out += [code, UInt8(piece.count)] + piece
                rest = rest.dropFirst(piece.count)
            } while !rest.isEmpty
        }
        out.append(DHCPOption.end)
        // Some servers and relays drop messages shorter than BOOTP's 300 bytes.
        if out.count < 300 { out += [UInt8](repeating: 0, count: 300 - out.count) }
        return out
    }

    /// Reads a message; every length is checked against what is there.
    public init(decoding bytes: [UInt8]) throws(DHCPMessageError) {
        guard bytes.count >= Self.headerSize + 4 else { throw DHCPMessageError("\(bytes.count) bytes: shorter than a DHCP message") }
        guard Array(bytes[236..<240]) == Self.magicCookie else { throw DHCPMessageError("no DHCP magic cookie") }
        op = bytes[0]
        guard bytes[1] == 1, bytes[2] <= 16 else { throw DHCPMessageError("hardware type \(bytes[1]), length \(bytes[2]): not Ethernet") }
        transactionID = Self.read32(bytes, 4)
        seconds = UInt16(bytes[8]) << 8 | UInt16(bytes[9])
        broadcast = bytes[10] & 0x80 != 0
        clientAddress = IPv4Address(Self.read32(bytes, 12))
        yourAddress = IPv4Address(Self.read32(bytes, 16))
        serverAddress = IPv4Address(Self.read32(bytes, 20))
        relayAddress = IPv4Address(Self.read32(bytes, 24))
        clientHardware = Array(bytes[28..<(28 + Int(bytes[2]))])
        var collected: [(code: UInt8, value: [UInt8])] = []
        try Self.readOptions(bytes[240...], into: &collected)
        let overload = collected.first { $0.code == DHCPOption.overload }?.value.first ?? 0
        // RFC 2131 4.1: with overload, options continue in `file` (1), `sname` (2) or both (3), in that order.
        if overload & 1 != 0 { try Self.readOptions(bytes[108..<236], into: &collected) } else { file = Self.text(bytes[108..<236]) }
        if overload & 2 != 0 { try Self.readOptions(bytes[44..<108], into: &collected) } else { serverName = Self.text(bytes[44..<108]) }
        options = collected
    }

    /// Code-length-value options up to `end`; instances of one code are joined.
    static func readOptions(_ field: ArraySlice<UInt8>, into options: inout [(code: UInt8, value: [UInt8])]) throws(DHCPMessageError) {
        var i = field.startIndex
        while i < field.endIndex {
            let code = field[i]
            if code == DHCPOption.end { return }
            if code == DHCPOption.pad {
                i += 1
                continue
            }
            guard i + 1 < field.endIndex else { throw DHCPMessageError("option \(code) has no length") }
            let length = Int(field[i + 1])
            guard i + 2 + length <= field.endIndex else { throw DHCPMessageError("option \(code) runs past the message (\(length) bytes)") }
            let value = Array(field[(i + 2)..<(i + 2 + length)])
            if let at = options.firstIndex(where: { $0.code == code }) { options[at].value += value } else { options.append((code, value)) }
            i += 2 + length
        }
    }

    static func text(_ field: ArraySlice<UInt8>) -> String {
        let bytes = field.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func padded(_ bytes: [UInt8], _ size: Int) -> [UInt8] { Array(bytes.prefix(size)) + [UInt8](repeating: 0, count: max(0, size - bytes.count)) }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }

    static func read32(_ b: [UInt8], _ at: Int) -> UInt32 { UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3]) }
}
