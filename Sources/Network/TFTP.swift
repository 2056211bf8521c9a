// A TFTP read (RFC 1350) with option negotiation (RFC 2347): blksize (2348), tsize (2349) and
// windowsize (7440), as a state machine that returns packets to send; the caller owns the UDP
// socket and the clock. A transfer ends with the file, or an error saying what happened — the
// server's error, a file over the size cap, or silence past the retries — never a hang.

public enum TFTPOpcode: UInt16, Sendable {
    case readRequest = 1, writeRequest, data, acknowledgement, error, optionAcknowledgement
}

public struct TFTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// The server never answered (as against answering with an error).
    public var serverSilent = false
    public init(_ description: String, serverSilent: Bool = false) {
        self.description = description
        self.serverSilent = serverSilent
    }
}

public struct TFTPSettings: Sendable, Equatable {
    public var blockSize = 1468  // an Ethernet frame's worth
    /// Where a larger block size falls back when its first block never comes (a path that drops
    /// IP fragments): the transfer starts again at this size.
    public var fallbackBlockSize = 1468
    public var windowSize = 8
    /// Seconds without a packet before the last one is sent again.
    public var timeout = 1.0
    public var retries = 5
    public var maxSize = 1 << 30
    /// The server's request port.
    public var port: UInt16 = 69
    /// Stop once the server answers: whether the file exists (and its size, when the server
    /// says), without downloading it — what a config reader's "does this kernel exist" costs.
    public var answerOnly = false
    /// Stop once this many bytes arrived (what a file is, from its first bytes); the whole file
    /// when it is shorter.
    public var firstBytes: Int?

    public init() {}

    /// For kernels and initrds: blocks of 8 KiB (six Ethernet frames as IP fragments), so a
    /// lock-step server needs a sixth of the round trips; falls back to one frame per block.
    public static var files: TFTPSettings {
        var settings = TFTPSettings()
        settings.blockSize = 8192
        settings.maxSize = 1 << 30
        return settings
    }
}

public struct TFTPTransfer: Sendable {
    public enum Action: Sendable, Equatable {
        /// Send to the server: to its request port (69) until it answers, then to the port it answered from.
        case send([UInt8], port: UInt16)
        case finished([UInt8])
        case failed(TFTPError)
    }

    public let path: String
    public let settings: TFTPSettings
    /// The server's transfer port, once it has answered.
    public private(set) var serverPort: UInt16?
    public private(set) var received: [UInt8] = []
    /// The size the server announced (tsize), when it did.
    public private(set) var announcedSize: Int?
    public private(set) var deadline: Double?
    var blockSize = 512
    var windowSize = 1
    var lastBlock: UInt16 = 0  // last block received in order
    var lastAcked: UInt16 = 0
    var lastSent: [UInt8] = []
    var tries = 0
    var done = false
    /// The block size asked for; lowered once by the fallback.
    var requestedBlockSize: Int
    /// Whether the transfer started again at the fallback block size.
    public private(set) var fellBack = false
    /// The server port of the transfer given up by the fallback: what still comes from it is ignored.
    var abandonedPort: UInt16?

    public init(path: String, settings: TFTPSettings = TFTPSettings()) {
        self.path = path
        self.settings = settings
        requestedBlockSize = settings.blockSize
    }

    /// The read request, with the options Baton asks for.
    public mutating func start(now: Double) -> [Action] {
        var request = Self.u16(TFTPOpcode.readRequest.rawValue) + Array(path.utf8) + [0] + Array("octet".utf8) + [0]
        for (name, value) in [("blksize", requestedBlockSize), ("tsize", 0), ("windowsize", settings.windowSize)] where value >= 0 {
            if name == "windowsize" && settings.windowSize <= 1 { continue }
            request += Array(name.utf8) + [0] + Array(String(value).utf8) + [0]
        }
        return send(request, now: now)
    }

    mutating func send(_ packet: [UInt8], now: Double) -> [Action] {
        lastSent = packet
        tries = 0
        deadline = now + settings.timeout
        return [.send(packet, port: serverPort ?? settings.port)]
    }

    public mutating func timerFired(now: Double) -> [Action] {
        guard !done, let deadline, now >= deadline else { return [] }
        tries += 1
        // A large block size agreed, and its first block lost twice: fragments do not get through.
        if serverPort != nil, received.isEmpty, blockSize > settings.fallbackBlockSize, !fellBack, tries >= 2 {
            fellBack = true
            abandonedPort = serverPort
            serverPort = nil
            blockSize = 512
            windowSize = 1
            requestedBlockSize = settings.fallbackBlockSize
            return start(now: now)
        }
        guard tries <= settings.retries else {
            done = true
            self.deadline = nil
            return [.failed(TFTPError("no answer from the server after \(settings.retries) retries", serverSilent: serverPort == nil))]
        }
        self.deadline = now + settings.timeout * Double(1 << min(tries, 3))
        // After a lost window, ask again from the last block received in order.
        if serverPort != nil, lastSent.count == 4, lastSent[1] == 4 {
            lastSent = Self.acknowledgement(lastBlock)
            lastAcked = lastBlock
        }
        return [.send(lastSent, port: serverPort ?? settings.port)]
    }

    /// A datagram from the server, from UDP port `port`.
    public mutating func receive(_ packet: [UInt8], port: UInt16, now: Double) -> [Action] {
        guard !done, packet.count >= 4, port != abandonedPort else { return [] }
        if let serverPort, port != serverPort {
            // Another transfer's packet (RFC 1350: answer with an error, keep going).
            return [.send(Self.errorPacket(5, "Unknown transfer ID"), port: port)]
        }
        let opcode = TFTPOpcode(rawValue: UInt16(packet[0]) << 8 | UInt16(packet[1]))
        switch opcode {
        case .error?:
            let code = UInt16(packet[2]) << 8 | UInt16(packet[3])
            let message = String(decoding: packet[4...].prefix { $0 != 0 }, as: UTF8.self)
            return fail("server error \(code)\(message.isEmpty ? "" : ": " + message)")
        case .optionAcknowledgement? where serverPort == nil:
            serverPort = port
            guard let options = Self.options(Array(packet[2...])) else { return fail("malformed option acknowledgement") }
            for (name, value) in options {
                switch name.lowercased() {
                case "blksize":
                    guard let size = Int(value), (8...requestedBlockSize).contains(size) else { return fail("server chose block size \(value)") }
                    blockSize = size
                case "windowsize":
                    guard let size = Int(value), (1...settings.windowSize).contains(size) else { return fail("server chose window size \(value)") }
                    windowSize = size
                case "tsize":
                    announcedSize = Int(value)
                    if let size = announcedSize, size > settings.maxSize, !settings.answerOnly {
                        return [.send(Self.errorPacket(3, "File too large"), port: port)] + fail("\(size) bytes, over the \(settings.maxSize)-byte cap")
                    }
                default:
                    break
                }
            }
            if settings.answerOnly {
                done = true
                deadline = nil
                return [.send(Self.errorPacket(8, "Only the answer was wanted"), port: port), .finished([])]
            }
            return send(Self.acknowledgement(0), now: now)
        case .data?:
            if serverPort == nil { serverPort = port }  // a server without options answers with block 1
            if settings.answerOnly {
                done = true
                deadline = nil
                return [.send(Self.errorPacket(0, "Only the answer was wanted"), port: port), .finished([])]
            }
            let block = UInt16(packet[2]) << 8 | UInt16(packet[3])
            let data = packet[4...]
            guard data.count <= blockSize else { return fail("block \(block) holds \(data.count) bytes, over the block size \(blockSize)") }
            guard block == lastBlock &+ 1 else {
                // Out of order or repeated: acknowledge what arrived in order, so the server resends from there.
                if block == lastBlock || lastSent != Self.acknowledgement(lastBlock) {
                    lastAcked = lastBlock
                    return send(Self.acknowledgement(lastBlock), now: now)
                }
                return []
            }
            guard received.count + data.count <= settings.maxSize else {
                return [.send(Self.errorPacket(3, "File too large"), port: port)] + fail("over the \(settings.maxSize)-byte cap")
            }
            received += data
            lastBlock = block
            deadline = now + settings.timeout
            if data.count < blockSize {
                done = true
                deadline = nil
                if let size = announcedSize, size != received.count {
                    return [.send(Self.acknowledgement(block), port: port), .failed(TFTPError("\(received.count) bytes received, the server announced \(size)"))]
                }
                return [.send(Self.acknowledgement(block), port: port), .finished(received)]
            }
            if let wanted = settings.firstBytes, received.count >= wanted {
                done = true
                deadline = nil
                return [.send(Self.errorPacket(0, "Only the first bytes were wanted"), port: port), .finished(received)]
            }
            if block &- lastAcked >= UInt16(windowSize) {
                lastAcked = block
                return send(Self.acknowledgement(block), now: now)
            }
            return []
        default:
            return []
        }
    }

    mutating func fail(_ message: String) -> [Action] {
        done = true
        deadline = nil
        return [.failed(TFTPError(message))]
    }

    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(truncatingIfNeeded: v)] }

    static func acknowledgement(_ block: UInt16) -> [UInt8] { u16(TFTPOpcode.acknowledgement.rawValue) + u16(block) }

    static func errorPacket(_ code: UInt16, _ message: String) -> [UInt8] { u16(TFTPOpcode.error.rawValue) + u16(code) + Array(message.utf8) + [0] }

    /// NUL-terminated name/value pairs; nil when they do not pair up.
    static func options(_ bytes: [UInt8]) -> [(String, String)]? {
        var strings = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if strings.last == "" { strings.removeLast() }
        guard strings.count % 2 == 0 else { return nil }
        return stride(from: 0, to: strings.count, by: 2).map { (strings[$0], strings[$0 + 1]) }
    }
}
