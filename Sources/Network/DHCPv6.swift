// DHCPv6 (RFC 8415) for network boot: messages as bytes and back, the lease a Reply gives (an
// address from IA_NA, DNS servers, and RFC 5970's boot file URL and parameters), and the client as
// a state machine — Solicit, the first Advertise that offers an address, Request, Reply — that
// returns messages to send; the caller owns the socket and the clock. Every length is checked.

public enum DHCPv6MessageType: UInt8, Sendable {
    case solicit = 1, advertise = 2, request = 3, reply = 7
}

public enum DHCPv6Option {
    public static let clientID: UInt16 = 1
    public static let serverID: UInt16 = 2
    public static let identityAssociation: UInt16 = 3  // IA_NA
    public static let address: UInt16 = 5  // IAADDR
    public static let optionRequest: UInt16 = 6
    public static let elapsedTime: UInt16 = 8
    public static let statusCode: UInt16 = 13
    public static let vendorClass: UInt16 = 16
    public static let dnsServers: UInt16 = 23
    public static let domainList: UInt16 = 24
    public static let bootFileURL: UInt16 = 59
    public static let bootFileParameters: UInt16 = 60
    public static let clientArchitecture: UInt16 = 61
    public static let networkInterface: UInt16 = 62
}

public struct DHCPv6Message: Sendable, Equatable {
    public var type: UInt8
    public var transactionID: UInt32  // 24 bits
    public var options: [(code: UInt16, data: [UInt8])]

    public init(type: DHCPv6MessageType, transactionID: UInt32, options: [(code: UInt16, data: [UInt8])]) {
        self.type = type.rawValue
        self.transactionID = transactionID & 0xFF_FFFF
        self.options = options
    }

    public static func == (a: DHCPv6Message, b: DHCPv6Message) -> Bool {
        a.type == b.type && a.transactionID == b.transactionID && a.options.map(\.code) == b.options.map(\.code)
            && a.options.map(\.data) == b.options.map(\.data)
    }

    /// A message from a server's datagram; nil when it is malformed.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= 4, let options = Self.options(bytes[4...]) else { return nil }
        type = bytes[0]
        transactionID = UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
        self.options = options
    }

    /// Options one after another (code, length, data), all of them inside `bytes`, else nil.
    static func options(_ bytes: ArraySlice<UInt8>) -> [(code: UInt16, data: [UInt8])]? {
        var found: [(code: UInt16, data: [UInt8])] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes.endIndex - index >= 4 else { return nil }
            let code = UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            guard bytes.endIndex - index - 4 >= length else { return nil }
            found.append((code, Array(bytes[(index + 4)..<(index + 4 + length)])))
            index += 4 + length
        }
        return found
    }

    public func encoded() -> [UInt8] {
        var bytes = [type, UInt8(transactionID >> 16 & 0xFF), UInt8(transactionID >> 8 & 0xFF), UInt8(transactionID & 0xFF)]
        for option in options { bytes += Self.option(option.code, option.data) }
        return bytes
    }

    static func option(_ code: UInt16, _ data: [UInt8]) -> [UInt8] {
        be16(code) + be16(UInt16(data.count)) + data
    }

    public func option(_ code: UInt16) -> [UInt8]? { options.first { $0.code == code }?.data }
}

func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(truncatingIfNeeded: v)] }
func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }

/// What a Reply (or an Advertise) gives the client.
public struct DHCPv6Lease: Sendable, Equatable {
    public var address: IPv6Address
    public var validSeconds: UInt32
    public var serverID: [UInt8]
    public var dnsServers: [IPv6Address] = []
    /// Option 59: where to boot from, a URL (`http://[2001:db8::1]/boot.ipxe`, `tftp://…`).
    public var bootFileURL: String?
    /// Option 60: the boot file's parameters, in order.
    public var bootFileParameters: [String] = []

    /// The lease in `message` for the client's IA `iaid`: nil without a server ID or an address
    /// (a status other than success in the IA or the message means none).
    public init?(_ message: DHCPv6Message, iaid: UInt32) {
        guard let serverID = message.option(DHCPv6Option.serverID), !serverID.isEmpty,
              Self.status(message.options) == 0 else { return nil }
        var found: (IPv6Address, UInt32)?
        for option in message.options where option.code == DHCPv6Option.identityAssociation && option.data.count >= 12 {
            let data = option.data
            guard Self.u32(data, 0) == iaid, let inner = DHCPv6Message.options(data[12...]), Self.status(inner) == 0 else { continue }
            for entry in inner where entry.code == DHCPv6Option.address && entry.data.count >= 24 {
                guard let address = IPv6Address(bytes: entry.data[0..<16]), let addressOptions = DHCPv6Message.options(entry.data[24...]),
                      Self.status(addressOptions) == 0 else { continue }
                let valid = Self.u32(entry.data, 20)
                if valid > 0 { found = (address, valid) }
            }
        }
        guard let (address, valid) = found else { return nil }
        self.address = address
        validSeconds = valid
        self.serverID = serverID
        if let dns = message.option(DHCPv6Option.dnsServers), dns.count % 16 == 0 {
            dnsServers = stride(from: 0, to: dns.count, by: 16).compactMap { IPv6Address(bytes: dns[$0..<($0 + 16)]) }
        }
        if let url = message.option(DHCPv6Option.bootFileURL) {
            let text = String(decoding: url.prefix { $0 != 0 }, as: UTF8.self)
            bootFileURL = text.isEmpty ? nil : text
        }
        if let parameters = message.option(DHCPv6Option.bootFileParameters) {
            var index = 0
            while index + 2 <= parameters.count {
                let length = Int(parameters[index]) << 8 | Int(parameters[index + 1])
                guard index + 2 + length <= parameters.count else { break }
                bootFileParameters.append(String(decoding: parameters[(index + 2)..<(index + 2 + length)], as: UTF8.self))
                index += 2 + length
            }
        }
    }

    /// The status code among `options` (0, success, when there is none).
    static func status(_ options: [(code: UInt16, data: [UInt8])]) -> Int {
        guard let status = options.first(where: { $0.code == DHCPv6Option.statusCode })?.data else { return 0 }
        return status.count >= 2 ? Int(status[0]) << 8 | Int(status[1]) : -1
    }

    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

public struct DHCPv6ClientSettings: Sendable, Equatable {
    public var mac: MACAddress
    public var transactionID: UInt32
    /// Client architecture (option 61, RFC 5970) as PXE numbers it: 7 x86-64 UEFI, 0 BIOS
    /// (with the HTTP class, the UEFI HTTP number for it).
    public var architecture: UInt16 = 0
    /// PXE or UEFI HTTP boot client (option 16's class).
    public var bootClass = BootClientClass.pxe
    public var firstRetransmit = 1.0
    public var maxRetransmit = 8.0
    public var giveUpAfter = 30.0

    public init(mac: MACAddress, transactionID: UInt32) {
        self.mac = mac
        self.transactionID = transactionID
    }

    /// DUID-LL (type 3, hardware type 1, the MAC), as iPXE and systemd-networkd make it.
    public var duid: [UInt8] { be16(3) + be16(1) + mac.bytes }

    /// The IA_NA's identifier: the MAC's last four bytes.
    public var iaid: UInt32 { mac.bytes[2...].reduce(0) { $0 << 8 | UInt32($1) } }
}

public struct DHCPv6Client: Sendable {
    public enum Action: Sendable, Equatable {
        /// Send this message to ff02::1:2, port 547.
        case send(DHCPv6Message)
        case bound(DHCPv6Lease)
        case gaveUp(String)
    }

    enum Phase: Sendable, Equatable {
        case idle, soliciting, requesting(DHCPv6Lease, [UInt8]), bound, failed
    }

    public let settings: DHCPv6ClientSettings
    var phase = Phase.idle
    var startedAt = 0.0
    var interval = 1.0
    var transactionID: UInt32
    var last: DHCPv6Message?
    var requests = 0
    public private(set) var deadline: Double?
    public private(set) var notes: [String] = []

    public init(_ settings: DHCPv6ClientSettings) {
        self.settings = settings
        transactionID = settings.transactionID & 0xFF_FFFF
    }

    public mutating func start(now: Double) -> [Action] {
        startedAt = now
        return solicit(now: now)
    }

    /// Options every message carries: the client's DUID, the elapsed time, what it asks for, and
    /// what it is (architecture, UNDI 3.16, PXE's or HTTP boot's vendor class).
    func common(now: Double) -> [(code: UInt16, data: [UInt8])] {
        let elapsed = UInt16(min(65535, max(0, (now - startedAt) * 100)))
        let vendor = Array(settings.bootClass.vendorClass(architecture: settings.architecture).utf8)
        return [
            (DHCPv6Option.clientID, settings.duid),
            (DHCPv6Option.elapsedTime, be16(elapsed)),
            (DHCPv6Option.optionRequest, [DHCPv6Option.dnsServers, DHCPv6Option.domainList, DHCPv6Option.bootFileURL,
                                          DHCPv6Option.bootFileParameters].flatMap(be16)),
            (DHCPv6Option.clientArchitecture, be16(settings.bootClass.architecture(settings.architecture))),
            (DHCPv6Option.networkInterface, [1, 3, 16]),
            (DHCPv6Option.vendorClass, be32(343) + be16(UInt16(vendor.count)) + vendor),
        ]
    }

    func identityAssociation(_ address: IPv6Address?) -> (code: UInt16, data: [UInt8]) {
        var data = be32(settings.iaid) + be32(0) + be32(0)
        if let address { data += DHCPv6Message.option(DHCPv6Option.address, address.bytes + be32(0) + be32(0)) }
        return (DHCPv6Option.identityAssociation, data)
    }

    mutating func solicit(now: Double) -> [Action] {
        transactionID = (transactionID &+ 1) & 0xFF_FFFF
        phase = .soliciting
        interval = settings.firstRetransmit
        let message = DHCPv6Message(type: .solicit, transactionID: transactionID, options: common(now: now) + [identityAssociation(nil)])
        return send(message, now: now)
    }

    mutating func send(_ message: DHCPv6Message, now: Double) -> [Action] {
        last = message
        deadline = now + interval
        return [.send(message)]
    }

    public mutating func timerFired(now: Double) -> [Action] {
        guard let deadline, now >= deadline else { return [] }
        if now - startedAt >= settings.giveUpAfter {
            phase = .failed
            self.deadline = nil
            return [.gaveUp("no DHCPv6 answer in \(Int(settings.giveUpAfter)) s")]
        }
        if case .requesting = phase, requests >= 4 {
            notes.append("no Reply to 4 Requests; soliciting again")
            requests = 0
            return solicit(now: now)
        }
        if case .requesting = phase { requests += 1 }
        interval = min(interval * 2, settings.maxRetransmit)
        guard var message = last else { return [] }
        // The elapsed time is the one option that changes on a retransmission.
        if let index = message.options.firstIndex(where: { $0.code == DHCPv6Option.elapsedTime }) {
            message.options[index].data = be16(UInt16(min(65535, max(0, (now - startedAt) * 100))))
        }
        return send(message, now: now)
    }

    public mutating func receive(_ bytes: [UInt8], now: Double) -> [Action] {
        guard let message = DHCPv6Message(bytes), message.transactionID == transactionID,
              message.option(DHCPv6Option.clientID) == settings.duid else { return [] }
        switch (phase, message.type) {
        case (.soliciting, DHCPv6MessageType.advertise.rawValue):
            guard let offer = DHCPv6Lease(message, iaid: settings.iaid), let serverID = message.option(DHCPv6Option.serverID) else {
                notes.append("an Advertise without an address: ignored")
                return []
            }
            transactionID = (transactionID &+ 1) & 0xFF_FFFF
            phase = .requesting(offer, serverID)
            interval = settings.firstRetransmit
            requests = 0
            let request = DHCPv6Message(
                type: .request, transactionID: transactionID,
                options: common(now: now) + [(DHCPv6Option.serverID, serverID), identityAssociation(offer.address)])
            return send(request, now: now)
        case (.requesting(_, let serverID), DHCPv6MessageType.reply.rawValue):
            guard message.option(DHCPv6Option.serverID) == serverID, let lease = DHCPv6Lease(message, iaid: settings.iaid) else {
                notes.append("a Reply without the address: soliciting again")
                return solicit(now: now)
            }
            phase = .bound
            deadline = nil
            return [.bound(lease)]
        default:
            return []
        }
    }
}
