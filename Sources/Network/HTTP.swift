// HTTP/1.1 GET and HEAD (RFC 9112) as a request writer and an incremental response reader: the
// status line and headers within a size cap, then the body by Content-Length, chunked transfer
// coding, or the connection's end, kept whole or handed on as it comes; whether the connection
// may carry the next request (keep-alive); redirects are the caller's (`HTTPResponse.redirect`).
// Every length is checked: a hostile server gets an error with what was wrong, never a trap or a
// huge allocation.

import BootModel

public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum HTTPRequest {
    /// A GET for `url` (a HEAD with `headOnly`: the answer without its body). With `keepAlive`
    /// the connection may carry the next request; without it the server closes it after its answer.
    public static func get(_ url: NetworkURL, headOnly: Bool = false, keepAlive: Bool = false, userAgent: String = "Baton") -> [UInt8] {
        let method = headOnly ? "HEAD" : "GET"
        let connection = keepAlive ? "" : "Connection: close\r\n"
        return Array("\(method) \(url.path) HTTP/1.1\r\nHost: \(url.authority)\r\nUser-Agent: \(userAgent)\r\nAccept: */*\r\n\(connection)\r\n".utf8)
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    /// Header names lower-cased, values trimmed, in order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public static func == (a: HTTPResponse, b: HTTPResponse) -> Bool {
        a.status == b.status && a.reason == b.reason && a.body == b.body
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }

    public func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }

    /// Where a redirect (301, 302, 303, 307, 308) leads, resolved against `url`.
    public func redirect(from url: NetworkURL) -> Result<NetworkURL, HTTPError>? {
        guard [301, 302, 303, 307, 308].contains(status) else { return nil }
        guard let location = header("location"), !location.isEmpty else { return .failure(HTTPError("redirect \(status) without a Location")) }
        if location.hasPrefix("/") { return .success(NetworkURL(scheme: url.scheme, host: url.host, port: url.port, path: location)) }
        do { return .success(try NetworkURL(location)) } catch { return .failure(HTTPError("redirect to \(error)")) }
    }
}

/// Reads one response from the bytes a connection delivers, as they come.
public struct HTTPResponseReader: Sendable {
    public static let headLimit = 64 << 10

    enum Body: Sendable, Equatable {
        case length(Int)
        case chunked
        case untilClose
    }

    enum Phase: Sendable, Equatable {
        case head
        case body(Body)
        /// In a chunked body: reading a chunk's size line, its data (bytes left), or the trailer.
        case chunkSize
        case chunkData(Int)
        case chunkDataEnd
        case trailer
        case done
    }

    /// What becomes of the body's bytes.
    public enum BodyUse: Sendable, Equatable {
        /// Kept whole, its announced length reserved at once.
        case kept
        /// Kept, but not reserved (only its first bytes are wanted: reading stops early).
        case keptUnreserved
        /// Handed on as they come (`takeBody`), so a large body is never in memory at once.
        case handedOn
    }

    public let maxBody: Int
    var phase = Phase.head
    var pending: [UInt8] = []
    public private(set) var response: HTTPResponse?
    /// The body's bytes kept so far (with `.handedOn`: since the last `takeBody`).
    public private(set) var body: [UInt8] = []
    /// How many body bytes have arrived in all.
    public private(set) var received = 0
    let use: BodyUse
    /// The request was a HEAD: the answer has no body, whatever its headers say.
    let headOnly: Bool
    /// The status line said HTTP/1.0, which closes after one answer unless it asks to keep the connection.
    var isHTTP10 = false
    /// The server sent bytes past the end of its answer: the connection carries nothing more.
    var overran = false

    public init(maxBody: Int, use: BodyUse = .kept, headOnly: Bool = false) {
        self.maxBody = maxBody
        self.use = use
        self.headOnly = headOnly
    }

    public var isComplete: Bool { phase == .done }

    /// Whether, after this complete answer, the connection may carry the next request: an
    /// HTTP/1.1 answer framed by its length or chunks, with nothing after it, and no `Connection: close`.
    public var connectionReusable: Bool {
        guard phase == .done, pending.isEmpty, !overran, !closeDelimited, let response else { return false }
        let options = (response.header("connection") ?? "").lowercased().split(separator: ",").map { String($0).trimmingBlanks }
        return !options.contains("close") && (!isHTTP10 || options.contains("keep-alive"))
    }
    /// The body ends where the connection does.
    var closeDelimited = false

    /// The body's bytes since the last call (with `.handedOn`), to pass on; the reader keeps none.
    public mutating func takeBody() -> [UInt8] {
        defer { body = [] }
        return body
    }

    mutating func appendBody<S: Collection<UInt8>>(_ bytes: S) {
        received += bytes.count
        if use == .handedOn, body.isEmpty, let whole = bytes as? [UInt8] {
            body = whole
        } else {
            body += bytes
        }
    }

    /// The body's length when the response announced it (Content-Length).
    public var announcedLength: Int? {
        if case .body(.length(let total)) = phase { return total }
        return nil
    }

    /// Takes bytes from the connection; returns the whole response once it is complete.
    public mutating func feed(_ bytes: [UInt8]) throws(HTTPError) -> HTTPResponse? {
        // The body's bytes go straight to it: a kernel is hundreds of these pieces.
        if pending.isEmpty {
            switch phase {
            case .body(.length(let total)):
                if bytes.count > total - received {
                    overran = true
                    appendBody(bytes.prefix(total - received))
                } else {
                    appendBody(bytes)
                }
                guard received == total else { return nil }
                phase = .done
                response?.body = body
                return response
            case .body(.untilClose):
                guard received + bytes.count <= maxBody else { throw HTTPError("body over the \(maxBody)-byte cap") }
                appendBody(bytes)
                return nil
            default:
                break
            }
        }
        pending += bytes
        while true {
            switch phase {
            case .head:
                guard let end = Self.find([13, 10, 13, 10], in: pending) else {
                    if pending.count > Self.headLimit { throw HTTPError("response head over \(Self.headLimit) bytes") }
                    return nil
                }
                let head = Array(pending[..<end])
                pending.removeFirst(end + 4)
                try readHead(head)
            case .body(.length(let total)):
                let take = min(total - received, pending.count)
                appendBody(pending[..<take])
                pending.removeFirst(take)
                guard received == total else { return nil }
                phase = .done
            case .body(.untilClose):
                guard received + pending.count <= maxBody else { throw HTTPError("body over the \(maxBody)-byte cap") }
                appendBody(pending)
                pending = []
                return nil
            case .body(.chunked), .chunkSize:
                guard let end = Self.find([13, 10], in: pending) else {
                    if pending.count > 1024 { throw HTTPError("chunk size line over 1024 bytes") }
                    return nil
                }
                let line = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeFirst(end + 2)
                let digits = line.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }
                // Hex digits only: Int(_:radix:) would also take a sign, and a negative size.
                guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy(\.isHexDigit), let size = Int(digits, radix: 16) else {
                    throw HTTPError("chunk size '\(line.prefix(40))' is not hex")
                }
                guard received + size <= maxBody else { throw HTTPError("body over the \(maxBody)-byte cap") }
                phase = size == 0 ? .trailer : .chunkData(size)
            case .chunkData(let left):
                let take = min(left, pending.count)
                appendBody(pending[..<take])
                pending.removeFirst(take)
                guard take == left else {
                    phase = .chunkData(left - take)
                    return nil
                }
                phase = .chunkDataEnd
            case .chunkDataEnd:
                guard pending.count >= 2 else { return nil }
                guard pending[0] == 13, pending[1] == 10 else { throw HTTPError("chunk not followed by CRLF") }
                pending.removeFirst(2)
                phase = .chunkSize
            case .trailer:
                guard let end = Self.find([13, 10], in: pending) else {
                    if pending.count > Self.headLimit { throw HTTPError("trailer over \(Self.headLimit) bytes") }
                    return nil
                }
                pending.removeFirst(end + 2)
                if end == 0 { phase = .done }
            case .done:
                response?.body = body
                return response
            }
        }
    }

    /// The connection closed: a body read to its end is complete; anything else was cut short.
    public mutating func closed() throws(HTTPError) -> HTTPResponse {
        if phase == .body(.untilClose) { phase = .done }
        guard phase == .done, var response else {
            throw HTTPError(response == nil ? "the server closed the connection before answering" : "the server closed the connection \(received) bytes into the body")
        }
        response.body = body
        return response
    }

    mutating func readHead(_ head: [UInt8]) throws(HTTPError) {
        let lines = head.split(separator: 10, omittingEmptySubsequences: false).map { line -> String in
            String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
        }
        guard let statusLine = lines.first else { throw HTTPError("no status line") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw HTTPError("status line '\(statusLine.prefix(80))' is not HTTP/1.x")
        }
        isHTTP10 = parts[0] == "HTTP/1.0"
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { throw HTTPError("header line '\(line.prefix(80))' has no name") }
            headers.append((String(line[..<colon]).lowercased(), String(line[line.index(after: colon)...]).trimmingBlanks))
        }
        let response = HTTPResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: [])
        self.response = response
        if headOnly || status == 204 || status == 304 || (100..<200).contains(status) {
            phase = .done
        } else if let coding = response.header("transfer-encoding") {
            guard coding.lowercased() == "chunked" else { throw HTTPError("transfer coding '\(coding)' is not supported") }
            phase = .body(.chunked)
        } else if let length = response.header("content-length") {
            guard length.count <= 15, let n = Int(length), n >= 0 else { throw HTTPError("Content-Length '\(length.prefix(40))' is not a number") }
            guard n <= maxBody else { throw HTTPError("\(n) bytes, over the \(maxBody)-byte cap") }
            phase = n == 0 ? .done : .body(.length(n))
            if use == .kept { body.reserveCapacity(n) }
        } else {
            phase = .body(.untilClose)
            closeDelimited = true
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
