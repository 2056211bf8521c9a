// The DHCPv4 client as a state machine (RFC 2131 4.4): DISCOVER, the first acceptable OFFER,
// REQUEST, ACK. It returns messages to send and the lease; the caller owns the socket and the
// clock. Retransmission doubles from `firstRetransmit` up to `maxRetransmit`, jittered, and the
// client gives up at `giveUpAfter`: a silent network never holds anything longer than that.

/// What a client says it is to DHCP (option 60 in DHCPv4, 16 in DHCPv6), and so which boot
/// file a server gives it: a PXE client gets a TFTP path, a UEFI HTTP boot client a URL.
public enum BootClientClass: Sendable, Equatable {
    case pxe
    case http

    /// The vendor class string for a PXE architecture (`PXEClient:Arch:00007:UNDI:003016`); an
    /// HTTP client names the matching UEFI HTTP architecture (`HTTPClient:Arch:00016:…`).
    public func vendorClass(architecture: UInt16) -> String {
        let (name, number) = self == .pxe ? ("PXEClient", architecture) : ("HTTPClient", Self.httpArchitecture(architecture))
        let arch = String(number)
        return name + ":Arch:" + String(repeating: "0", count: max(0, 5 - arch.count)) + arch + ":UNDI:003016"
    }

    /// The architecture this class reports (options 93 and 61): PXE's own, or UEFI HTTP's for it
    /// (RFC 4578's registry as IANA keeps it: x86 15, x86-64 16, arm64 19).
    public func architecture(_ pxe: UInt16) -> UInt16 { self == .pxe ? pxe : Self.httpArchitecture(pxe) }

    static func httpArchitecture(_ pxe: UInt16) -> UInt16 {
        switch pxe {
        case 6: return 15
        case 11: return 19
        default: return 16
        }
    }
}

public struct DHCPv4ClientSettings: Sendable, Equatable {
    public var mac: MACAddress
    public var transactionID: UInt32
    /// Client system architecture as PXE numbers it (option 93): 0 BIOS x86, 7 x86-64 UEFI.
    /// With the HTTP class the UEFI HTTP number for it is sent (16 for x86-64).
    public var architecture: UInt16 = 0
    public var bootClass = BootClientClass.pxe
    /// The machine's SMBIOS UUID, 16 bytes (option 97), when it has one.
    public var machineID: [UInt8]?
    public var hostName: String?
    public var firstRetransmit = 1.0
    public var maxRetransmit = 8.0
    public var giveUpAfter = 30.0

    public init(mac: MACAddress, transactionID: UInt32) {
        self.mac = mac
        self.transactionID = transactionID
    }

    /// Option 60 as PXE or UEFI HTTP boot clients send it.
    public var vendorClass: String { bootClass.vendorClass(architecture: architecture) }
}

public struct DHCPv4Client: Sendable {
    public enum Action: Sendable, Equatable {
        /// Broadcast this message (to 255.255.255.255 from 0.0.0.0, ports 68 → 67).
        case broadcast(DHCPv4Message)
        case bound(DHCPv4Lease)
        case gaveUp(String)
    }

    enum Phase: Sendable {
        case idle
        case selecting
        case requesting(offer: DHCPv4Message, tries: Int)
        case bound
        case failed
    }

    public let settings: DHCPv4ClientSettings
    var phase = Phase.idle
    var startedAt = 0.0
    var interval = 1.0
    var attempt = 0
    /// When `timerFired` next wants to be called; nil once bound or failed.
    public private(set) var deadline: Double?
    /// Notes for the log: offers ignored, NAKs, retransmissions.
    public private(set) var notes: [String] = []

    public init(_ settings: DHCPv4ClientSettings) { self.settings = settings }

    public var isBound: Bool { if case .bound = phase { true } else { false } }

    public mutating func start(now: Double) -> [Action] {
        startedAt = now
        return discover(now: now)
    }

    mutating func discover(now: Double) -> [Action] {
        phase = .selecting
        interval = settings.firstRetransmit
        attempt = 0
        return [.broadcast(message(.discover, now: now))] + schedule(now: now)
    }

    /// Next retransmission: the interval doubles to the cap, with ±1/8 of it as jitter drawn from
    /// the transaction ID (so clients started together spread out).
    mutating func schedule(now: Double) -> [Action] {
        let bits = Double((settings.transactionID >> UInt32(attempt % 24)) & 0xFF) / 255.0
        let jitter = (bits - 0.5) * interval / 4
        deadline = min(now + interval + jitter, startedAt + settings.giveUpAfter)
        interval = min(interval * 2, settings.maxRetransmit)
        attempt += 1
        return []
    }

    public mutating func timerFired(now: Double) -> [Action] {
        guard let deadline, now >= deadline else { return [] }
        if now >= startedAt + settings.giveUpAfter {
            phase = .failed
            self.deadline = nil
            return [.gaveUp("no DHCP answer in \(Int(settings.giveUpAfter)) s")]
        }
        switch phase {
        case .selecting:
            notes.append("no offer yet: DISCOVER again")
            return [.broadcast(message(.discover, now: now))] + schedule(now: now)
        case .requesting(let offer, let tries):
            guard tries < 4 else {
                notes.append("no answer to REQUEST: starting over")
                return discover(now: now)
            }
            phase = .requesting(offer: offer, tries: tries + 1)
            return [.broadcast(request(for: offer, now: now))] + schedule(now: now)
        case .idle, .bound, .failed:
            return []
        }
    }

    /// A datagram that arrived on port 68.
    public mutating func receive(_ bytes: [UInt8], now: Double) -> [Action] {
        guard let reply = try? DHCPv4Message(decoding: bytes), reply.op == 2, reply.transactionID == settings.transactionID,
              Array(reply.clientHardware.prefix(6)) == settings.mac.bytes else { return [] }
        switch (phase, reply.messageType) {
        case (.selecting, .offer?):
            guard reply.yourAddress != .any else {
                notes.append("offer without an address ignored")
                return []
            }
            phase = .requesting(offer: reply, tries: 0)
            interval = settings.firstRetransmit
            return [.broadcast(request(for: reply, now: now))] + schedule(now: now)
        case (.requesting(let offer, _), .ack?):
            guard let lease = DHCPv4Lease(reply) else { return [] }
            // A server's ACK for the address it offered; another server's answer is not ours.
            let server = reply.option(DHCPOption.serverIdentifier).flatMap { IPv4Address(bytes: $0) }
            let offered = offer.option(DHCPOption.serverIdentifier).flatMap { IPv4Address(bytes: $0) }
            guard server == nil || offered == nil || server == offered else { return [] }
            phase = .bound
            deadline = nil
            return [.bound(lease)]
        case (.requesting, .nak?):
            let text = reply.option(DHCPOption.message).map { String(decoding: $0, as: UTF8.self) } ?? ""
            notes.append("NAK\(text.isEmpty ? "" : ": " + text): starting over")
            return discover(now: now)
        default:
            return []
        }
    }

    func request(for offer: DHCPv4Message, now: Double) -> DHCPv4Message {
        var m = message(.request, now: now)
        m.set(DHCPOption.requestedAddress, offer.yourAddress.bytes)
        if let server = offer.option(DHCPOption.serverIdentifier) { m.set(DHCPOption.serverIdentifier, server) }
        return m
    }

    func message(_ type: DHCPMessageType, now: Double) -> DHCPv4Message {
        var m = DHCPv4Message()
        m.transactionID = settings.transactionID
        m.seconds = UInt16(min(max(now - startedAt, 0), 65535))
        m.broadcast = true  // no address yet: the server must broadcast its answer
        m.clientHardware = settings.mac.bytes
        m.set(DHCPOption.messageType, [type.rawValue])
        m.set(DHCPOption.maxMessageSize, [0x05, 0xDC])  // 1500
        m.set(DHCPOption.parameterRequest, [
            DHCPOption.subnetMask, DHCPOption.router, DHCPOption.dnsServer, DHCPOption.hostName, DHCPOption.domainName,
            DHCPOption.ntpServer, DHCPOption.vendorSpecific, DHCPOption.tftpServerName, DHCPOption.bootFileName,
            DHCPOption.tftpServerAddress, DHCPOption.pxelinuxMagic, DHCPOption.pxelinuxConfigFile,
            DHCPOption.pxelinuxPathPrefix, DHCPOption.pxelinuxRebootTime,
        ])
        m.set(DHCPOption.vendorClass, Array(settings.vendorClass.utf8))
        m.set(DHCPOption.clientIdentifier, [1] + settings.mac.bytes)
        let architecture = settings.bootClass.architecture(settings.architecture)
        m.set(DHCPOption.clientArchitecture, [UInt8(architecture >> 8), UInt8(truncatingIfNeeded: architecture)])
        m.set(DHCPOption.clientInterface, [1, 3, 16])  // UNDI 3.16, as PXE clients say
        if let id = settings.machineID, id.count == 16 { m.set(DHCPOption.clientMachineID, [0] + id) }
        if let name = settings.hostName, !name.isEmpty { m.set(DHCPOption.hostName, Array(name.utf8)) }
        return m
    }
}
