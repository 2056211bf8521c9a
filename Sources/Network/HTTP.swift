// HTTP/1.1 GET (RFC 9112) as a request writer and an incremental response reader: the status
// line and headers within a size cap, then the body by Content-Length, chunked transfer coding,
// or the connection's end; redirects are the caller's (`HTTPResponse.redirect`). Every length is
// checked: a hostile server gets an error with what was wrong, never a trap or a huge allocation.

import BootModel

public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum HTTPRequest {
    /// A GET for `url`; the server closes the connection after its answer (one per transfer).
    public static func get(_ url: NetworkURL, userAgent: String = "Baton") -> [UInt8] {
        return Array("GET \(url.path) HTTP/1.1\r\nHost: \(url.authority)\r\nUser-Agent: \(userAgent)\r\nAccept: */*\r\nConnection: close\r\n\r\n".utf8)
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

    public let maxBody: Int
    var phase = Phase.head
    var pending: [UInt8] = []
    public private(set) var response: HTTPResponse?
    public private(set) var body: [UInt8] = []

    /// Whether a body's announced length is reserved at once (not when only its first bytes are read).
    let reservesBody: Bool

    public init(maxBody: Int, reservesBody: Bool = true) {
        self.maxBody = maxBody
        self.reservesBody = reservesBody
    }

    public var isComplete: Bool { phase == .done }

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
                body += bytes.prefix(total - body.count)
                guard body.count == total else { return nil }
                phase = .done
                response?.body = body
                return response
            case .body(.untilClose):
                guard body.count + bytes.count <= maxBody else { throw HTTPError("body over the \(maxBody)-byte cap") }
                body += bytes
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
                let take = min(total - body.count, pending.count)
                body += pending[..<take]
                pending.removeFirst(take)
                guard body.count == total else { return nil }
                phase = .done
            case .body(.untilClose):
                guard body.count + pending.count <= maxBody else { throw HTTPError("body over the \(maxBody)-byte cap") }
                body += pending
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
                guard body.count + size <= maxBody else { throw HTTPError("body over the \(maxBody)-byte cap") }
                phase = size == 0 ? .trailer : .chunkData(size)
            case .chunkData(let left):
                let take = min(left, pending.count)
                body += pending[..<take]
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
            throw HTTPError(response == nil ? "the server closed the connection before answering" : "the server closed the connection \(body.count) bytes into the body")
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
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { throw HTTPError("header line '\(line.prefix(80))' has no name") }
            headers.append((String(line[..<colon]).lowercased(), String(line[line.index(after: colon)...]).trimmingBlanks))
        }
        let response = HTTPResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: [])
        self.response = response
        if status == 204 || status == 304 || (100..<200).contains(status) {
            phase = .done
        } else if let coding = response.header("transfer-encoding") {
            guard coding.lowercased() == "chunked" else { throw HTTPError("transfer coding '\(coding)' is not supported") }
            phase = .body(.chunked)
        } else if let length = response.header("content-length") {
            guard length.count <= 15, let n = Int(length), n >= 0 else { throw HTTPError("Content-Length '\(length.prefix(40))' is not a number") }
            guard n <= maxBody else { throw HTTPError("\(n) bytes, over the \(maxBody)-byte cap") }
            phase = .body(.length(n))
            if reservesBody { body.reserveCapacity(n) }
        } else {
            phase = .body(.untilClose)
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
