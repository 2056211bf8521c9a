// What a DHCPv4 acknowledgement gives the client: its address and network, and where to boot
// from — next-server, TFTP server name (66) or address (150), boot file (67 or `file`), and
// pxelinux's options 208–211.

public struct DHCPv4Lease: Sendable, Equatable {
    public var address: IPv4Address
    public var subnetMask: IPv4Address
    public var routers: [IPv4Address] = []
    public var dnsServers: [IPv4Address] = []
    public var domainName: String?
    public var hostName: String?
    public var ntpServers: [IPv4Address] = []
    public var leaseSeconds: UInt32?
    public var serverIdentifier: IPv4Address?
    /// siaddr: the server to boot from, when the DHCP server names one.
    public var nextServer: IPv4Address?
    public var tftpServerName: String?
    public var tftpServerAddresses: [IPv4Address] = []
    public var bootFile: String?
    public var pxelinuxConfigFile: String?
    public var pxelinuxPathPrefix: String?
    public var pxelinuxRebootSeconds: UInt32?

    public init(address: IPv4Address, subnetMask: IPv4Address) {
        self.address = address
        self.subnetMask = subnetMask
    }

    /// The lease an ACK carries; nil when it gives no address.
    public init?(_ ack: DHCPv4Message) {
        guard ack.yourAddress != .any else { return nil }
        address = ack.yourAddress
        subnetMask = ack.option(DHCPOption.subnetMask).flatMap { IPv4Address(bytes: $0) } ?? Self.classfulMask(ack.yourAddress)
        routers = Self.addresses(ack.option(DHCPOption.router))
        dnsServers = Self.addresses(ack.option(DHCPOption.dnsServer))
        ntpServers = Self.addresses(ack.option(DHCPOption.ntpServer))
        domainName = Self.text(ack.option(DHCPOption.domainName))
        hostName = Self.text(ack.option(DHCPOption.hostName))
        leaseSeconds = ack.option(DHCPOption.leaseTime).flatMap(Self.uint32)
        serverIdentifier = ack.option(DHCPOption.serverIdentifier).flatMap { IPv4Address(bytes: $0) }
        nextServer = ack.serverAddress == .any ? nil : ack.serverAddress
        tftpServerName = Self.text(ack.option(DHCPOption.tftpServerName)) ?? (ack.serverName.isEmpty ? nil : ack.serverName)
        tftpServerAddresses = Self.addresses(ack.option(DHCPOption.tftpServerAddress))
        bootFile = Self.text(ack.option(DHCPOption.bootFileName)) ?? (ack.file.isEmpty ? nil : ack.file)
        pxelinuxConfigFile = Self.text(ack.option(DHCPOption.pxelinuxConfigFile))
        pxelinuxPathPrefix = Self.text(ack.option(DHCPOption.pxelinuxPathPrefix))
        pxelinuxRebootSeconds = ack.option(DHCPOption.pxelinuxRebootTime).flatMap(Self.uint32)
    }

    public var prefixLength: Int { subnetMask.prefixLength ?? 24 }

    /// The server to fetch the boot file from: next-server, else option 150, else option 66 when
    /// it is an address (Baton resolves no names), else the DHCP server itself.
    public var bootServer: IPv4Address? {
        nextServer ?? tftpServerAddresses.first ?? tftpServerName.flatMap { IPv4Address($0) } ?? serverIdentifier
    }

    static func addresses(_ bytes: [UInt8]?) -> [IPv4Address] {
        guard let bytes, bytes.count % 4 == 0 else { return [] }
        return stride(from: 0, to: bytes.count, by: 4).compactMap { IPv4Address(bytes: bytes[$0..<($0 + 4)]) }
    }

    /// Option text up to the first NUL (some servers count it in the length); nil when empty.
    static func text(_ bytes: [UInt8]?) -> String? {
        guard let bytes else { return nil }
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    static func uint32(_ bytes: [UInt8]) -> UInt32? {
        bytes.count == 4 ? bytes.reduce(0) { $0 << 8 | UInt32($1) } : nil
    }

    static func classfulMask(_ address: IPv4Address) -> IPv4Address {
        switch address.value >> 29 {
        case 0...3: IPv4Address.mask(8)
        case 4...5: IPv4Address.mask(16)
        default: IPv4Address.mask(24)
        }
    }
}
