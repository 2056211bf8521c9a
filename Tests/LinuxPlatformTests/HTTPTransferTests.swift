// HTTP transfers against a server on this machine's loopback: a connection refused is tried
// again with backoff, and a server that comes up in the meantime answers; what a server says
// (a 404) is not tried again; files in turn share one kept connection (keep-alive) where the
// server allows it, and a kept connection the server closed is replaced; a body goes straight
// into a file.

import Foundation
import Glibc
@testable import Network
import Synchronization
import Testing
@testable import LinuxPlatform

@Suite struct HTTPTransferTests {
    /// A free loopback port: bound once, then released.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        try #require(withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } } == 0)
        try #require(withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) } } == 0)
        return UInt16(bigEndian: address.sin_port)
    }

    /// Listens on `port` after `delay` seconds and answers one request with `response`.
    static func serveOnce(port: UInt16, after delay: Double, response: String) {
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: delay)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: port.bigEndian, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            listen(fd, 4)
            let client = accept(fd, nil, nil)
            var request = [UInt8](repeating: 0, count: 4096)
            _ = read(client, &request, request.count)
            let bytes = Array(response.utf8)
            _ = write(client, bytes, bytes.count)
            close(client)
            close(fd)
        }
    }

    @Test func aRefusedConnectionIsTriedAgainUntilTheServerIsUp() throws {
        let port = try Self.freePort()
        Self.serveOnce(port: port, after: 1.5, response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        let started = Processes.monotonicMilliseconds()
        let result = NetworkTransfers.fetch(try NetworkURL("http://127.0.0.1:\(port)/file"), maxSize: 1 << 20)
        #expect(try result.get() == Array("ok".utf8))
        #expect(Processes.monotonicMilliseconds() - started >= 1000)
    }

    @Test func whatTheServerSaysIsNotTriedAgain() throws {
        let port = try Self.freePort()
        Self.serveOnce(port: port, after: 0, response: "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.2)
        let result = NetworkTransfers.fetch(try NetworkURL("http://127.0.0.1:\(port)/missing"), maxSize: 1 << 20)
        guard case .failure(let error) = result else {
            Issue.record("a 404 was taken")
            return
        }
        #expect(error.message == "server answered 404 Not Found")
    }

    @Test func aServerThatNeverComesUpFailsAfterTheRetries() throws {
        let port = try Self.freePort()
        let started = Processes.monotonicMilliseconds()
        let result = NetworkTransfers.fetch(try NetworkURL("http://127.0.0.1:\(port)/file"), maxSize: 1 << 20)
        guard case .failure(let error) = result else {
            Issue.record("nothing listens, yet it answered")
            return
        }
        #expect(error.errno == ECONNREFUSED)
        #expect(Processes.monotonicMilliseconds() - started >= 3000)
    }

    /// What a keep-alive server saw: each connection's requests (method and path, and whether
    /// each asked to close).
    final class Seen: Sendable {
        let connections = Mutex<[[String]]>([])
    }

    /// Listens on `port` and answers each request with `answer(path)` (the head and body; a HEAD gets the head),
    /// closing a connection after `perConnection` answers; stops after `connections` connections.
    static func serveKeepingAlive(port: UInt16, connections: Int, perConnection: Int, seen: Seen,
                                  answer: @escaping @Sendable (String) -> String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: port.bigEndian, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        try #require(withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0)
        listen(fd, 4)
        Thread.detachNewThread {
            for _ in 0..<connections {
                let client = accept(fd, nil, nil)
                seen.connections.withLock { $0.append([]) }
                var pending: [UInt8] = []
                var answered = 0
                var chunk = [UInt8](repeating: 0, count: 4096)
                reading: while answered < perConnection {
                    let n = read(client, &chunk, chunk.count)
                    guard n > 0 else { break }
                    pending += chunk[0..<n]
                    while let end = HTTPResponseReader.find([13, 10, 13, 10], in: pending) {
                        let head = String(decoding: pending[..<end], as: UTF8.self)
                        pending.removeFirst(end + 4)
                        let words = head.split(separator: " ")
                        let closes = head.lowercased().contains("connection: close")
                        seen.connections.withLock { $0[$0.count - 1].append("\(words[0]) \(words[1])\(closes ? " close" : "")") }
                        var bytes = Array(answer(String(words[1])).utf8)
                        if words[0] == "HEAD", let headEnd = HTTPResponseReader.find([13, 10, 13, 10], in: bytes) { bytes = Array(bytes[..<(headEnd + 4)]) }
                        _ = write(client, bytes, bytes.count)
                        answered += 1
                        if answered == perConnection || closes { break reading }
                    }
                }
                close(client)
            }
            close(fd)
        }
    }

    @Test func filesInTurnShareOneKeptConnection() throws {
        let port = try Self.freePort()
        let seen = Seen()
        try Self.serveKeepingAlive(port: port, connections: 1, perConnection: 3, seen: seen) { path in
            let body = path == "/kernel" ? "KERNEL" : "initrd!"
            return "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n\(body)"
        }
        let connections = HTTPConnections()
        let kernel = try NetworkURL("http://127.0.0.1:\(port)/kernel")
        #expect(throws: Never.self) { try NetworkTransfers.probe(kernel, connections: connections).get() }
        #expect(try NetworkTransfers.fetch(kernel, maxSize: 1 << 20, connections: connections).get() == Array("KERNEL".utf8))
        let initrd = try NetworkURL("http://127.0.0.1:\(port)/initrd")
        #expect(try NetworkTransfers.fetch(initrd, maxSize: 1 << 20, connections: connections).get() == Array("initrd!".utf8))
        #expect(seen.connections.withLock { $0 } == [["HEAD /kernel", "GET /kernel", "GET /initrd"]])
    }

    @Test func aKeptConnectionTheServerClosedIsReplaced() throws {
        let port = try Self.freePort()
        let seen = Seen()
        try Self.serveKeepingAlive(port: port, connections: 2, perConnection: 1, seen: seen) { _ in
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        }
        let connections = HTTPConnections()
        for name in ["a", "b"] {
            #expect(try NetworkTransfers.fetch(try NetworkURL("http://127.0.0.1:\(port)/\(name)"), maxSize: 1 << 20, connections: connections).get() == Array("ok".utf8))
        }
        #expect(seen.connections.withLock { $0 } == [["GET /a"], ["GET /b"]])
    }

    @Test func anAnswerThatClosesIsNotKept() throws {
        let port = try Self.freePort()
        let seen = Seen()
        try Self.serveKeepingAlive(port: port, connections: 3, perConnection: 2, seen: seen) { path in
            path == "/old" ? "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok" : "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
        }
        let connections = HTTPConnections()
        for name in ["old", "closing", "old"] {
            #expect(try NetworkTransfers.fetch(try NetworkURL("http://127.0.0.1:\(port)/\(name)"), maxSize: 1 << 20, connections: connections).get() == Array("ok".utf8))
        }
        #expect(seen.connections.withLock { $0 } == [["GET /old"], ["GET /closing"], ["GET /old"]])
        // Without a place to keep connections, every request asks the server to close.
        let alone = Seen()
        let other = try Self.freePort()
        try Self.serveKeepingAlive(port: other, connections: 1, perConnection: 1, seen: alone) { _ in "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" }
        _ = NetworkTransfers.fetch(try NetworkURL("http://127.0.0.1:\(other)/x"), maxSize: 1 << 20)
        #expect(alone.connections.withLock { $0 } == [["GET /x close"]])
    }

    @Test func aBodyGoesStraightIntoAFileAndARedirectsBodyDoesNot() throws {
        let port = try Self.freePort()
        let seen = Seen()
        let body = String(repeating: "0123456789abcdef", count: 40_000)
        try Self.serveKeepingAlive(port: port, connections: 1, perConnection: 2, seen: seen) { path in
            path == "/moved" ? "HTTP/1.1 302 Found\r\nLocation: /file\r\nContent-Length: 9\r\n\r\nnot this!"
                : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(String(body.utf8.count, radix: 16))\r\n\(body)\r\n0\r\n\r\n"
        }
        let file = try Kexec.memoryFile(name: "test")
        let written = try NetworkTransfers.fetch(try NetworkURL("http://127.0.0.1:\(port)/moved"), into: file.raw, maxSize: 1 << 20,
                                                 connections: HTTPConnections()).get()
        #expect(written == body.utf8.count)
        #expect(lseek(file.raw, 0, SEEK_END) == body.utf8.count)
        var back = [UInt8](repeating: 0, count: 32)
        #expect(pread(file.raw, &back, 32, 0) == 32 && back == Array(body.utf8.prefix(32)))
        #expect(seen.connections.withLock { $0 } == [["GET /moved", "GET /file"]])
    }
}
