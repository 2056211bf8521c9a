// HTTP transfers against a server on this machine's loopback: a connection refused is tried
// again with backoff, and a server that comes up in the meantime answers; what a server says
// (a 404) is not tried again.

import Foundation
import Glibc
import Network
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
        let result = NetworkTransfers.http(try NetworkURL("http://127.0.0.1:\(port)/file"), maxSize: 1 << 20)
        #expect(try result.get() == Array("ok".utf8))
        #expect(Processes.monotonicMilliseconds() - started >= 1000)
    }

    @Test func whatTheServerSaysIsNotTriedAgain() throws {
        let port = try Self.freePort()
        Self.serveOnce(port: port, after: 0, response: "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.2)
        let result = NetworkTransfers.http(try NetworkURL("http://127.0.0.1:\(port)/missing"), maxSize: 1 << 20)
        guard case .failure(let error) = result else {
            Issue.record("a 404 was taken")
            return
        }
        #expect(error.message == "server answered 404 Not Found")
    }

    @Test func aServerThatNeverComesUpFailsAfterTheRetries() throws {
        let port = try Self.freePort()
        let started = Processes.monotonicMilliseconds()
        let result = NetworkTransfers.http(try NetworkURL("http://127.0.0.1:\(port)/file"), maxSize: 1 << 20)
        guard case .failure(let error) = result else {
            Issue.record("nothing listens, yet it answered")
            return
        }
        #expect(error.errno == ECONNREFUSED)
        #expect(Processes.monotonicMilliseconds() - started >= 3000)
    }
}
