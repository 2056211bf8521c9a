// Runs network boot's state machines against real sockets and the monotonic clock: a DHCPv4 or
// DHCPv6 exchange on one interface, a TFTP read, an HTTP GET. Each ends by its own bounds (retries,
// give-up time, per-step timeouts); none can wait forever.

import Glibc
import Network

/// What a long transfer tells the one waiting for it (bytes so far, and the total when known),
/// and how they stop it. Both are called between packets, on the transfer's own thread.
public struct TransferWatch {
    public var progress: (_ bytes: Int, _ total: Int?) -> Void
    public var cancelled: () -> Bool

    public init(progress: @escaping (_ bytes: Int, _ total: Int?) -> Void, cancelled: @escaping () -> Bool) {
        self.progress = progress
        self.cancelled = cancelled
    }

    /// The failure a cancelled transfer ends with.
    static func cancellation(_ what: String) -> SystemError {
        SystemError("fetch", what, errno: 125, explanation: "cancelled")
    }
}

public enum NetworkTransfers {
    static func now() -> Double { Double(Processes.monotonicNanoseconds()) / 1e9 }

    /// Waits for `descriptor` until `deadline` (seconds on the monotonic clock), at most 100 ms a time.
    static func wait(_ descriptor: Int32, until deadline: Double?) {
        let left = ((deadline ?? now() + 0.1) - now()) * 1000
        _ = Poll.wait([descriptor], milliseconds: Int(min(max(left, 0), 100).rounded(.up)))
    }

    /// DHCPv6 on `interface` (which must be up, with its link-local address): the lease, or why there is none.
    public static func dhcp6(on interface: NetworkInterface, settings: DHCPv6ClientSettings,
                             log: (String) -> Void = { _ in }) -> Result<DHCPv6Lease, SystemError> {
        let socket: DHCPv6Socket
        do { socket = try DHCPv6Socket(interface) } catch { return .failure(error) }
        var client = DHCPv6Client(settings)
        var pending = client.start(now: now())
        var logged = 0
        var sendErrors = 0
        while true {
            for action in pending {
                switch action {
                case .send(let message):
                    do { try socket.sendToServers(message.encoded()) } catch {
                        sendErrors += 1
                        if sendErrors <= 2 { log("\(interface.name): DHCPv6: \(error)") }
                    }
                case .bound(let lease):
                    return .success(lease)
                case .gaveUp(let why):
                    return .failure(SystemError("DHCPv6", interface.name, errno: 110, explanation: why))
                }
            }
            for note in client.notes.dropFirst(logged) { log("\(interface.name): DHCPv6: \(note)") }
            logged = client.notes.count
            wait(socket.descriptor, until: client.deadline)
            pending = []
            for datagram in socket.receive() { pending += client.receive(datagram, now: now()) }
            pending += client.timerFired(now: now())
        }
    }

    /// DHCPv4 on `interface` (which must be up): the lease, or why there is none.
    public static func dhcp(on interface: NetworkInterface, settings: DHCPv4ClientSettings,
                            log: (String) -> Void = { _ in }) -> Result<DHCPv4Lease, SystemError> {
        let socket: PacketSocket
        do { socket = try PacketSocket(interface) } catch { return .failure(error) }
        var client = DHCPv4Client(settings)
        var identification: UInt16 = UInt16(truncatingIfNeeded: settings.transactionID)
        var pending = client.start(now: now())
        var logged = 0
        while true {
            for action in pending {
                switch action {
                case .broadcast(let message):
                    identification &+= 1
                    let packet = UDPDatagram(source: .any, sourcePort: 68, destination: .broadcast, destinationPort: 67,
                                             payload: message.encoded()).ipv4Packet(identification: identification)
                    do { try socket.broadcast(packet) } catch { log("\(interface.name): DHCP: \(error)") }
                case .bound(let lease):
                    return .success(lease)
                case .gaveUp(let why):
                    return .failure(SystemError("DHCP", interface.name, errno: 110, explanation: why))
                }
            }
            for note in client.notes.dropFirst(logged) { log("\(interface.name): DHCP: \(note)") }
            logged = client.notes.count
            wait(socket.descriptor, until: client.deadline)
            pending = []
            for packet in socket.receive() {
                // The IP header's checksum is checked; the UDP one may not be filled in yet (see UDPDatagram).
                guard let datagram = UDPDatagram(ipv4Packet: packet, checkingUDPChecksum: false), datagram.destinationPort == 68 else { continue }
                pending += client.receive(datagram.payload, now: now())
            }
            pending += client.timerFired(now: now())
        }
    }

    /// The time the NTP server at `server` gives (Unix seconds), asking up to three times, a
    /// second apart.
    public static func sntp(_ server: IPv4Address) -> Result<Double, SystemError> {
        let socket: UDPSocket
        do { socket = try UDPSocket() } catch { return .failure(error) }
        for _ in 0..<3 {
            let sent = WallClock.now()
            do { try socket.send(SNTP.request(now: sent), to: server, port: 123) } catch { return .failure(error) }
            let deadline = now() + 1
            while now() < deadline {
                wait(socket.descriptor, until: deadline)
                for datagram in socket.receive() where datagram.address == server && datagram.port == 123 {
                    if let time = SNTP.serverTime(datagram.bytes, sent: sent) { return .success(time) }
                }
            }
        }
        return .failure(SystemError("SNTP", "\(server)", errno: 110, explanation: "no answer from the NTP server"))
    }

    /// Reads `path` from the TFTP server at `server`.
    public static func tftp(_ path: String, from server: IPv4Address, settings: TFTPSettings = TFTPSettings(),
                            watch: TransferWatch? = nil) -> Result<[UInt8], SystemError> {
        let socket: UDPSocket
        do { socket = try UDPSocket() } catch { return .failure(error) }
        var transfer = TFTPTransfer(path: path, settings: settings)
        var pending = transfer.start(now: now())
        while true {
            for action in pending {
                switch action {
                case .send(let packet, let port):
                    do { try socket.send(packet, to: server, port: port) } catch { return .failure(error) }
                case .finished(let file):
                    return .success(file)
                case .failed(let error):
                    return .failure(SystemError("TFTP", "\(server)", errno: error.serverSilent ? 110 : 5, explanation: error.description))
                }
            }
            if let watch {
                if watch.cancelled() { return .failure(TransferWatch.cancellation("tftp://\(server)/\(path)")) }
                watch.progress(transfer.received.count, transfer.announcedSize)
            }
            wait(socket.descriptor, until: transfer.deadline)
            pending = []
            for datagram in socket.receive() where datagram.address == server {
                pending += transfer.receive(datagram.bytes, port: datagram.port, now: now())
            }
            pending += transfer.timerFired(now: now())
        }
    }

    /// Reads `url` (tftp:// or http://) whole, up to `maxSize` bytes, or only its first
    /// `firstBytes` (the whole file when it is shorter). TFTP uses `tftp`'s block sizes.
    public static func fetch(_ url: NetworkURL, maxSize: Int, firstBytes: Int? = nil, tftp: TFTPSettings = .files,
                             certificates: String = TLSConnection.certificates, watch: TransferWatch? = nil) -> Result<[UInt8], SystemError> {
        guard url.scheme == .tftp else { return http(url, maxSize: maxSize, firstBytes: firstBytes, certificates: certificates, watch: watch) }
        guard let server = url.address else {
            let why = url.addressV6 != nil ? "TFTP over IPv6 is not supported (use http://)" : "give the server as an IPv4 address (Baton resolves no names)"
            return .failure(SystemError("fetch", url.description, errno: 22, explanation: why))
        }
        var settings = tftp
        settings.port = url.port
        settings.maxSize = maxSize
        settings.firstBytes = firstBytes
        return self.tftp(String(url.path.dropFirst()), from: server, settings: settings, watch: watch)
    }

    /// Whether the server has `url`, asked without downloading it (TFTP: its first answer;
    /// HTTP: the status line, after redirects); the failure says why not.
    public static func probe(_ url: NetworkURL) -> Result<Void, SystemError> {
        var answerOnly = TFTPSettings()
        answerOnly.answerOnly = true
        answerOnly.retries = 2
        return fetch(url, maxSize: 0, firstBytes: 0, tftp: answerOnly).map { _ in }
    }

    /// GETs `url` over HTTP/1.1, following up to `redirects` redirects. Each step (connecting,
    /// sending, any silence while receiving) is bounded by `stepMilliseconds`; the body by `maxSize`.
    /// With `firstBytes`, only the body's first bytes are read.
    /// An `https://` URL's server must show a certificate that `certificates` (the CA
    /// certificates trusted: a folder or a file) vouches for and that names the server.
    public static func http(_ url: NetworkURL, maxSize: Int, firstBytes: Int? = nil, stepMilliseconds: Int = 10_000,
                            redirects: Int = 5, certificates: String = TLSConnection.certificates,
                            watch: TransferWatch? = nil) -> Result<[UInt8], SystemError> {
        var url = url
        for _ in 0...redirects {
            guard url.scheme != .tftp else {
                return .failure(SystemError("fetch", url.description, errno: 93, explanation: "a redirect to tftp:// is not followed"))
            }
            guard url.address != nil || url.addressV6 != nil else {
                return .failure(SystemError("fetch", url.description, errno: 22, explanation: "give the server as an IP address (Baton resolves no names)"))
            }
            let response: HTTPResponse
            switch getRetrying(url, maxSize: maxSize, firstBytes: firstBytes, stepMilliseconds: stepMilliseconds,
                               certificates: certificates, watch: watch) {
            case .success(let got): response = got
            case .failure(let error): return .failure(error)
            }
            switch response.redirect(from: url) {
            case .success(let next)?:
                url = next
                continue
            case .failure(let error)?:
                return .failure(SystemError("fetch", url.description, errno: 71, explanation: error.description))
            case nil:
                break
            }
            guard response.status == 200 else {
                return .failure(SystemError("fetch", url.description, errno: 2, explanation: "server answered \(response.status) \(response.reason)"))
            }
            return .success(response.body)
        }
        return .failure(SystemError("fetch", url.description, errno: 40, explanation: "more than \(redirects) redirects"))
    }

    /// Waits before each retry of a connection that failed: a server restarting, or a link still
    /// coming up, is not the end of a boot.
    static let retryDelaysMilliseconds = [1000, 2000]

    /// `get`, tried again after a connection failure (refused, reset, unreachable, no answer to
    /// connect), with backoff. What the server said — a status, a certificate refused, a stall
    /// mid-body — is not tried again.
    static func getRetrying(_ url: NetworkURL, maxSize: Int, firstBytes: Int?, stepMilliseconds: Int,
                            certificates: String, watch: TransferWatch?) -> Result<HTTPResponse, SystemError> {
        var attempt = 0
        while true {
            let result = get(url, maxSize: maxSize, firstBytes: firstBytes, stepMilliseconds: stepMilliseconds,
                             certificates: certificates, watch: watch)
            guard case .failure(let error) = result, attempt < retryDelaysMilliseconds.count, isConnectionFailure(error) else { return result }
            let until = Processes.monotonicMilliseconds() + retryDelaysMilliseconds[attempt]
            while Processes.monotonicMilliseconds() < until {
                if let watch, watch.cancelled() { return .failure(TransferWatch.cancellation(url.description)) }
                Processes.sleep(milliseconds: 50)
            }
            attempt += 1
        }
    }

    static func isConnectionFailure(_ error: SystemError) -> Bool {
        error.call == "connect" || [ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ENETUNREACH, EPIPE].contains(error.errno) && error.call != "TLS"
    }

    static func get(_ url: NetworkURL, maxSize: Int, firstBytes: Int?, stepMilliseconds: Int,
                    certificates: String, watch: TransferWatch?) -> Result<HTTPResponse, SystemError> {
        do {
            let tcp = if let address = url.addressV6 {
                try TCPConnection(to: address, port: url.port, milliseconds: stepMilliseconds)
            } else {
                try TCPConnection(to: url.address ?? .any, port: url.port, milliseconds: stepMilliseconds)
            }
            let connection: any ByteStream = url.scheme == .https
                ? try TLSConnection(over: tcp, host: url.host, certificates: certificates, milliseconds: stepMilliseconds) : tcp
            try connection.send(HTTPRequest.get(url), milliseconds: stepMilliseconds)
            // Reading only the first bytes, the body's size does not matter: reading stops early.
            var reader = HTTPResponseReader(maxBody: firstBytes == nil ? maxSize : Int.max / 2, reservesBody: firstBytes == nil)
            var lastData = Processes.monotonicMilliseconds()
            while true {
                if let watch {
                    if watch.cancelled() { return .failure(TransferWatch.cancellation(url.description)) }
                    watch.progress(reader.body.count, reader.announcedLength)
                }
                guard let bytes = try connection.receive() else {
                    if Processes.monotonicMilliseconds() - lastData > stepMilliseconds {
                        return .failure(SystemError("fetch", url.description, errno: 110, explanation: "the server sent nothing for \(stepMilliseconds / 1000) s"))
                    }
                    _ = Poll.wait([connection.descriptor], milliseconds: 100)
                    continue
                }
                lastData = Processes.monotonicMilliseconds()
                if bytes.isEmpty { return .success(try reader.closed()) }
                if let response = try reader.feed(bytes) { return .success(response) }
                if let wanted = firstBytes, var response = reader.response, response.status != 200 || reader.body.count >= wanted {
                    response.body = Array(reader.body.prefix(wanted))
                    return .success(response)
                }
            }
        } catch let error as SystemError {
            return .failure(error)
        } catch let error as HTTPError {
            return .failure(SystemError("fetch", url.description, errno: 71, explanation: error.description))
        } catch {
            return .failure(SystemError("fetch", url.description, errno: 5, explanation: "\(error)"))
        }
    }
}
