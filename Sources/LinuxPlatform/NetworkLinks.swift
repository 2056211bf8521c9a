// The machine's network interfaces as /sys/class/net shows them, and setting one up for boot
// through rtnetlink: link up, the leased address, the default route.

internal import CLinux
import BootModel
import Glibc
import Network

public struct NetworkInterface: Sendable, Equatable {
    public var name: String
    public var index: Int32
    public var mac: MACAddress?
    /// ARPHRD_ETHER: what DHCP and PXE run on (not loopback, not tunnels).
    public var isEthernet: Bool

    public init(name: String, index: Int32, mac: MACAddress?, isEthernet: Bool) {
        self.name = name
        self.index = index
        self.mac = mac
        self.isEthernet = isEthernet
    }

    /// Whether the link has carrier now (false while the interface is down).
    public var hasCarrier: Bool { FileSystem.text("/sys/class/net/\(name)/carrier")?.hasPrefix("1") ?? false }
}

public enum NetworkInterfaces {
    /// Every interface, Ethernet ones first, by name.
    public static func list() -> [NetworkInterface] {
        FileSystem.list("/sys/class/net").compactMap { name -> NetworkInterface? in
            let base = "/sys/class/net/\(name)/"
            guard let index = FileSystem.text(base + "ifindex").flatMap({ Int32($0.trimmingBlanks) }) else { return nil }
            let type = FileSystem.text(base + "type").flatMap { Int($0.trimmingBlanks) }
            let mac = FileSystem.text(base + "address").flatMap { MACAddress($0.trimmingBlanks) }
            return NetworkInterface(name: name, index: index, mac: mac, isEthernet: type == 1 && mac != nil)
        }.sorted { ($0.isEthernet ? 0 : 1, $0.name) < ($1.isEthernet ? 0 : 1, $1.name) }
    }

    public static func named(_ name: String) -> NetworkInterface? { list().first { $0.name == name } }
}

/// A NETLINK_ROUTE socket for the requests that configure an interface.
public final class RouteSocket {
    let descriptor: Int32
    var sequence: UInt32 = 1

    public init(timeoutMilliseconds: Int = 2000) throws(SystemError) {
        let fd = clinux_rtnetlink_socket(Int32(timeoutMilliseconds))
        guard fd >= 0 else { throw SystemError("socket", "NETLINK_ROUTE", errno: -fd) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Sends one request built for the next sequence number and waits for its acknowledgement.
    public func perform(_ what: String, _ build: (UInt32) -> [UInt8]) throws(SystemError) {
        sequence &+= 1
        let request = build(sequence)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else { throw SystemError.current("netlink send", what) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        for _ in 0..<16 {
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SystemError.current("netlink recv", what) }
            if let code = RTNetlink.acknowledgement(Array(buffer[0..<n]), sequence: sequence) {
                guard code == 0 else { throw SystemError("netlink", what, errno: -code) }
                return
            }
        }
        throw SystemError("netlink", what, errno: ETIMEDOUT)
    }

    /// Link up.
    public func bringUp(_ interface: NetworkInterface) throws(SystemError) {
        try perform("\(interface.name) up") { RTNetlink.linkUp(index: interface.index, sequence: $0) }
    }

    /// The lease's address and, when it names a router, the default route through it.
    public func configure(_ interface: NetworkInterface, address: IPv4Address, prefixLength: Int, router: IPv4Address?) throws(SystemError) {
        try perform("\(interface.name) address \(address)/\(prefixLength)") {
            RTNetlink.addAddress(index: interface.index, address: address, prefixLength: prefixLength, sequence: $0)
        }
        if let router {
            try perform("\(interface.name) default route via \(router)") {
                RTNetlink.addDefaultRoute(index: interface.index, gateway: router, sequence: $0)
            }
        }
    }
}

extension RouteSocket {
    /// DHCPv6's address (a /128: the on-link prefix and the default route come from the
    /// router advertisements the kernel itself takes).
    public func configure(_ interface: NetworkInterface, address: IPv6Address) throws(SystemError) {
        try perform("\(interface.name) address \(address)/128") {
            RTNetlink.addAddress(index: interface.index, address: address, prefixLength: 128, sequence: $0)
        }
    }
}

extension NetworkInterface {
    /// Whether the interface has a link-local IPv6 address past duplicate address detection
    /// (what DHCPv6 sends from), per /proc/net/if_inet6.
    public var hasLinkLocalAddress: Bool {
        guard let table = FileSystem.text("/proc/net/if_inet6") else { return false }
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // address, index, prefix length, scope (0x20: link), flags (0x40: tentative), name
            guard fields.count >= 6, fields[5] == name, fields[3] == "20", let flags = UInt32(fields[4], radix: 16) else { continue }
            if flags & 0x40 == 0 { return true }
        }
        return false
    }
}

/// DHCPv6's client socket: UDP on IPv6, port 546, on one interface, sending to ff02::1:2.
public final class DHCPv6Socket {
    public let descriptor: Int32
    let index: Int32

    public init(_ interface: NetworkInterface) throws(SystemError) {
        let fd = clinux_udp6_socket(interface.index, 546)
        guard fd >= 0 else { throw SystemError("socket", "UDP/IPv6 \(interface.name)", errno: -fd) }
        descriptor = fd
        index = interface.index
    }

    deinit { close(descriptor) }

    /// Sends to all DHCPv6 servers and relays on the link.
    public func sendToServers(_ bytes: [UInt8]) throws(SystemError) {
        let n = IPv6Address.allDHCPAgents.bytes.withUnsafeBufferPointer { address in
            bytes.withUnsafeBytes { clinux_udp6_send(descriptor, address.baseAddress, index, 547, $0.baseAddress, $0.count) }
        }
        guard n >= 0 else { throw SystemError("sendto", "[ff02::1:2]:547", errno: Int32(-n)) }
    }

    /// The datagrams waiting now.
    public func receive() -> [[UInt8]] { Datagrams.waiting(on: descriptor, bufferSize: 65536, atMost: 64) }
}

/// An AF_PACKET socket carrying IPv4 on one interface: DHCP before the interface has an address.
public final class PacketSocket {
    public let descriptor: Int32
    let index: Int32

    public init(_ interface: NetworkInterface) throws(SystemError) {
        let fd = clinux_packet_socket(interface.index)
        guard fd >= 0 else { throw SystemError("socket", "AF_PACKET \(interface.name)", errno: -fd) }
        descriptor = fd
        index = interface.index
    }

    deinit { close(descriptor) }

    public func broadcast(_ packet: [UInt8]) throws(SystemError) {
        let n = packet.withUnsafeBytes { clinux_packet_broadcast(descriptor, index, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw SystemError("sendto", "broadcast", errno: Int32(-n)) }
    }

    /// The IPv4 packets waiting now.
    public func receive() -> [[UInt8]] { Datagrams.waiting(on: descriptor, bufferSize: 65536, atMost: 256) }
}

/// A UDP socket on an ephemeral port (TFTP).
public final class UDPSocket {
    public let descriptor: Int32
    /// One datagram's room, kept: a transfer receives thousands.
    var buffer = [UInt8](repeating: 0, count: 65536)

    public init() throws(SystemError) {
        let fd = clinux_udp_socket()
        guard fd >= 0 else { throw SystemError("socket", "UDP", errno: -fd) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    public func send(_ bytes: [UInt8], to address: IPv4Address, port: UInt16) throws(SystemError) {
        let n = bytes.withUnsafeBytes { clinux_udp_send(descriptor, address.value, port, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw SystemError("sendto", "\(address):\(port)", errno: Int32(-n)) }
    }

    /// The datagrams waiting now, with their senders.
    public func receive() -> [(bytes: [UInt8], address: IPv4Address, port: UInt16)] {
        var datagrams: [(bytes: [UInt8], address: IPv4Address, port: UInt16)] = []
        while datagrams.count < 256 {
            var address: UInt32 = 0
            var port: UInt16 = 0
            let n = buffer.withUnsafeMutableBytes { clinux_udp_receive(descriptor, $0.baseAddress, $0.count, &address, &port) }
            if n == -Int(EINTR) { continue }
            guard n >= 0 else { break }
            datagrams.append((Array(buffer[0..<n]), IPv4Address(address), port))
        }
        return datagrams
    }
}

/// A TCP connection (HTTP), non-blocking, connected within a time bound.
public final class TCPConnection {
    public let descriptor: Int32
    var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// Connects to `address`:`port`, waiting at most `milliseconds`.
    public init(to address: IPv4Address, port: UInt16, milliseconds: Int) throws(SystemError) {
        let fd = clinux_tcp_connect(address.value, port)
        guard fd >= 0 else { throw SystemError("connect", "\(address):\(port)", errno: -fd) }
        descriptor = fd
        try Self.waitConnected(fd, "\(address):\(port)", milliseconds: milliseconds)
    }

    /// Connects to `address`:`port` over IPv6, waiting at most `milliseconds`.
    public init(to address: IPv6Address, port: UInt16, milliseconds: Int) throws(SystemError) {
        let fd = address.bytes.withUnsafeBufferPointer { clinux_tcp6_connect($0.baseAddress, port) }
        guard fd >= 0 else { throw SystemError("connect", "[\(address)]:\(port)", errno: -fd) }
        descriptor = fd
        try Self.waitConnected(fd, "[\(address)]:\(port)", milliseconds: milliseconds)
    }

    static func waitConnected(_ fd: Int32, _ what: String, milliseconds: Int) throws(SystemError) {
        var pollEntry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&pollEntry, 1, Int32(clamping: milliseconds))
        guard ready > 0 else { throw SystemError("connect", what, errno: ETIMEDOUT) }
        let error = clinux_socket_error(fd)
        guard error == 0 else { throw SystemError("connect", what, errno: error) }
    }

    deinit { close(descriptor) }

    /// Sends all of `bytes`, waiting for room at most `milliseconds` at a time.
    public func send(_ bytes: [UInt8], milliseconds: Int) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
                continue
            }
            guard n < 0, errno == EAGAIN || errno == EINTR else { throw SystemError.current("send", "HTTP request") }
            var pollEntry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            guard poll(&pollEntry, 1, Int32(clamping: milliseconds)) > 0 else { throw SystemError("send", "HTTP request", errno: ETIMEDOUT) }
        }
    }

    /// What has arrived: bytes, an empty array when the peer closed, nil when nothing is there yet.
    public func receive() throws(SystemError) -> [UInt8]? {
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n == 0 { return [] }
            if errno == EINTR { continue }
            if errno == EAGAIN { return nil }
            throw SystemError.current("recv", "HTTP")
        }
    }
}
