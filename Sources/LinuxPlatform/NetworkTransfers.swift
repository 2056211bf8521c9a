// Runs network boot's state machines against real sockets and the monotonic clock: a DHCPv4 or
// DHCPv6 exchange on one interface, a TFTP read, an HTTP GET. Each ends by its own bounds (retries,
// give-up time, per-step timeouts); none can wait forever.

import Glibc
import Network
import Synchronization

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
    /// `firstBytes` (the whole file when it is shorter). TFTP uses `tftp`'s block sizes; HTTP
    /// reuses and keeps an open connection in `connections`.
    public static func fetch(_ url: NetworkURL, maxSize: Int, firstBytes: Int? = nil, tftp: TFTPSettings = .files,
                             certificates: String = TLSConnection.certificates, watch: TransferWatch? = nil,
                             connections: HTTPConnections? = nil) -> Result<[UInt8], SystemError> {
        guard url.scheme == .tftp else {
            return http(url, maxSize: maxSize, body: firstBytes.map { .first($0) } ?? .memory, certificates: certificates,
                        watch: watch, connections: connections).map(\.body)
        }
        return tftpFetch(url, maxSize: maxSize, firstBytes: firstBytes, tftp: tftp, watch: watch)
    }

    /// Reads `url` whole into `descriptor` (a memory file, an output file) as it arrives, so a
    /// kernel is never held twice; the number of bytes written.
    public static func fetch(_ url: NetworkURL, into descriptor: Int32, maxSize: Int, tftp: TFTPSettings = .files,
                             certificates: String = TLSConnection.certificates, watch: TransferWatch? = nil,
                             connections: HTTPConnections? = nil) -> Result<Int, SystemError> {
        guard url.scheme == .tftp else {
            return http(url, maxSize: maxSize, body: .file(descriptor), certificates: certificates, watch: watch,
                        connections: connections).map(\.length)
        }
        return tftpFetch(url, maxSize: maxSize, firstBytes: nil, tftp: tftp, watch: watch).flatMap { bytes -> Result<Int, SystemError> in
            Result { () throws(SystemError) in
                try FileSystem.writeAll(bytes, to: descriptor, name: url.description)
                return bytes.count
            }
        }
    }

    static func tftpFetch(_ url: NetworkURL, maxSize: Int, firstBytes: Int?, tftp: TFTPSettings, watch: TransferWatch?) -> Result<[UInt8], SystemError> {
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
    /// HTTP: a HEAD, after redirects); the failure says why not.
    public static func probe(_ url: NetworkURL, connections: HTTPConnections? = nil) -> Result<Void, SystemError> {
        if url.scheme != .tftp {
            let asked = http(url, maxSize: 0, body: .headOnly, connections: connections)
            // A server that takes no HEAD is asked for the file, and the answer's head read.
            guard case .failure(let error) = asked, error.errno == 2,
                  error.message.hasPrefix("server answered 405") || error.message.hasPrefix("server answered 501") else { return asked.map { _ in } }
            return http(url, maxSize: 0, body: .first(0)).map { _ in }
        }
        var answerOnly = TFTPSettings()
        answerOnly.answerOnly = true
        answerOnly.retries = 2
        return tftpFetch(url, maxSize: 0, firstBytes: 0, tftp: answerOnly, watch: nil).map { _ in }
    }

    /// What becomes of an HTTP answer's body.
    enum BodyDestination {
        /// Kept whole in the answer.
        case memory
        /// Only its first bytes are kept (the whole body when shorter); reading stops there.
        case first(Int)
        /// Not asked for (HEAD).
        case headOnly
        /// Written to the descriptor as it arrives (only a 200's body; a redirect's is dropped).
        case file(Int32)
    }

    /// GETs `url` over HTTP/1.1, following up to `redirects` redirects. Each step (connecting,
    /// sending, any silence while receiving) is bounded by `stepMilliseconds`; the body by `maxSize`.
    /// An `https://` URL's server must show a certificate that `certificates` (the CA
    /// certificates trusted: a folder or a file) vouches for and that names the server.
    /// The answer, and the length of its body (wherever `body` sent it).
    static func http(_ url: NetworkURL, maxSize: Int, body: BodyDestination, stepMilliseconds: Int = 10_000,
                     redirects: Int = 5, certificates: String = TLSConnection.certificates,
                     watch: TransferWatch? = nil, connections: HTTPConnections? = nil) -> Result<(body: [UInt8], length: Int), SystemError> {
        var url = url
        for _ in 0...redirects {
            guard url.scheme != .tftp else {
                return .failure(SystemError("fetch", url.description, errno: 93, explanation: "a redirect to tftp:// is not followed"))
            }
            guard url.address != nil || url.addressV6 != nil else {
                return .failure(SystemError("fetch", url.description, errno: 22, explanation: "give the server as an IP address (Baton resolves no names)"))
            }
            let exchange: HTTPExchange
            switch getRetrying(url, maxSize: maxSize, body: body, stepMilliseconds: stepMilliseconds,
                               certificates: certificates, watch: watch, connections: connections) {
            case .success(let got): exchange = got
            case .failure(let error): return .failure(error)
            }
            let response = exchange.response
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
            return .success((response.body, exchange.length))
        }
        return .failure(SystemError("fetch", url.description, errno: 40, explanation: "more than \(redirects) redirects"))
    }

    /// Waits before each retry of a connection that failed: a server restarting, or a link still
    /// coming up, is not the end of a boot.
    static let retryDelaysMilliseconds = [1000, 2000]

    /// `get`, tried again after a connection failure (refused, reset, unreachable, no answer to
    /// connect), with backoff. What the server said — a status, a certificate refused, a stall
    /// mid-body — is not tried again.
    static func getRetrying(_ url: NetworkURL, maxSize: Int, body: BodyDestination, stepMilliseconds: Int,
                            certificates: String, watch: TransferWatch?, connections: HTTPConnections?) -> Result<HTTPExchange, SystemError> {
        var attempt = 0
        while true {
            let result = get(url, maxSize: maxSize, body: body, stepMilliseconds: stepMilliseconds,
                             certificates: certificates, watch: watch, connections: connections)
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

    /// One answer, and how many body bytes it had.
    struct HTTPExchange {
        var response: HTTPResponse
        var length: Int
    }

    /// One request and its answer, on a kept connection to the server when `connections` has
    /// one (a kept connection the server has closed meanwhile is replaced by a new one, once),
    /// else on a new one; kept for the next request when the answer allows it.
    static func get(_ url: NetworkURL, maxSize: Int, body: BodyDestination, stepMilliseconds: Int,
                    certificates: String, watch: TransferWatch?, connections: HTTPConnections?) -> Result<HTTPExchange, SystemError> {
        if let kept = connections?.take(for: url) {
            switch exchange(on: kept, reused: true, url, maxSize: maxSize, body: body, stepMilliseconds: stepMilliseconds, watch: watch, connections: connections) {
            case .success(let got): return .success(got)
            case .failure(.closedUnanswered): break
            case .failure(.failed(let error)): return .failure(error)
            }
        }
        let stream: any ByteStream
        do {
            let tcp = if let address = url.addressV6 {
                try TCPConnection(to: address, port: url.port, milliseconds: stepMilliseconds)
            } else {
                try TCPConnection(to: url.address ?? .any, port: url.port, milliseconds: stepMilliseconds)
            }
            stream = url.scheme == .https
                ? try TLSConnection(over: tcp, host: url.host, certificates: certificates, milliseconds: stepMilliseconds) : tcp
        } catch {
            return .failure(error)
        }
        switch exchange(on: stream, reused: false, url, maxSize: maxSize, body: body, stepMilliseconds: stepMilliseconds, watch: watch, connections: connections) {
        case .success(let got): return .success(got)
        case .failure(.closedUnanswered):
            return .failure(SystemError("fetch", url.description, errno: 71, explanation: "the server closed the connection before answering"))
        case .failure(.failed(let error)): return .failure(error)
        }
    }

    enum ExchangeFailure: Error {
        /// The connection ended before a byte of the answer (for a `reused` one: failed in any
        /// way before it): a kept connection the server closed meanwhile.
        case closedUnanswered
        case failed(SystemError)
    }

    static func exchange(on connection: any ByteStream, reused: Bool, _ url: NetworkURL, maxSize: Int, body: BodyDestination, stepMilliseconds: Int,
                         watch: TransferWatch?, connections: HTTPConnections?) -> Result<HTTPExchange, ExchangeFailure> {
        let use: HTTPResponseReader.BodyUse
        let firstBytes: Int?
        switch body {
        case .memory: (use, firstBytes) = (.kept, nil)
        case .first(let count): (use, firstBytes) = (.keptUnreserved, count)
        case .headOnly: (use, firstBytes) = (.kept, nil)
        case .file: (use, firstBytes) = (.handedOn, nil)
        }
        var headOnly = false
        if case .headOnly = body { headOnly = true }
        // Reading only the first bytes, the body's size does not matter: reading stops early.
        var reader = HTTPResponseReader(maxBody: firstBytes == nil ? maxSize : Int.max / 2, use: use, headOnly: headOnly)
        // Only the first bytes of a body leave the rest unread: that connection cannot carry another request.
        let keepAlive = connections != nil && firstBytes == nil
        var heardAnything = false
        do {
            try connection.send(HTTPRequest.get(url, headOnly: headOnly, keepAlive: keepAlive), milliseconds: stepMilliseconds)
            var lastData = Processes.monotonicMilliseconds()
            while true {
                if let watch {
                    if watch.cancelled() { return .failure(.failed(TransferWatch.cancellation(url.description))) }
                    watch.progress(reader.received, reader.announcedLength)
                }
                guard let bytes = try connection.receive() else {
                    if Processes.monotonicMilliseconds() - lastData > stepMilliseconds {
                        return .failure(.failed(SystemError("fetch", url.description, errno: 110, explanation: "the server sent nothing for \(stepMilliseconds / 1000) s")))
                    }
                    _ = Poll.wait([connection.descriptor], milliseconds: 100)
                    continue
                }
                lastData = Processes.monotonicMilliseconds()
                if bytes.isEmpty, !heardAnything { return .failure(.closedUnanswered) }
                heardAnything = true
                let response = bytes.isEmpty ? try reader.closed() : try reader.feed(bytes)
                if case .file(let descriptor) = body, reader.response?.status == 200 {
                    let piece = reader.takeBody()
                    if !piece.isEmpty { try FileSystem.writeAll(piece, to: descriptor, name: url.description) }
                } else if case .file = body {
                    _ = reader.takeBody()
                }
                if var response {
                    if keepAlive, reader.connectionReusable, let connections { connections.keep(connection, for: url) }
                    if case .file = body { response.body = [] }
                    if let wanted = firstBytes { response.body = Array(response.body.prefix(wanted)) }
                    return .success(HTTPExchange(response: response, length: firstBytes == nil ? reader.received : response.body.count))
                }
                if let wanted = firstBytes, var response = reader.response, response.status != 200 || reader.body.count >= wanted {
                    response.body = Array(reader.body.prefix(wanted))
                    return .success(HTTPExchange(response: response, length: response.body.count))
                }
            }
        } catch let error as SystemError {
            return .failure(reused && !heardAnything ? .closedUnanswered : .failed(error))
        } catch let error as HTTPError {
            return .failure(.failed(SystemError("fetch", url.description, errno: 71, explanation: error.description)))
        } catch {
            return .failure(.failed(SystemError("fetch", url.description, errno: 5, explanation: "\(error)")))
        }
    }
}

/// Open HTTP connections kept for the next request to the same server (keep-alive), one per
/// server, for whoever fetches several files in turn: a boot's kernel and initrds, a boot
/// server's configuration files and the checks that its kernels are there. Dropped with it.
public final class HTTPConnections: @unchecked Sendable {
    /// Guarded by `lock`: a connection is used by one transfer at a time, taken out while in use.
    var idle: [String: any ByteStream] = [:]
    let lock = Mutex(())

    public init() {}

    static func key(_ url: NetworkURL) -> String { "\(url.scheme.rawValue)://\(url.authority)" }

    func take(for url: NetworkURL) -> (any ByteStream)? {
        lock.withLock { _ in idle.removeValue(forKey: Self.key(url)) }
    }

    func keep(_ connection: any ByteStream, for url: NetworkURL) {
        lock.withLock { _ in idle[Self.key(url)] = connection }
    }
}
