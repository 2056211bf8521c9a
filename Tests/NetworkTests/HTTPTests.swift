// HTTP/1.1: the request, responses by Content-Length, chunked and until close, fed in pieces of
// every size; bodies handed on as they come; which answers leave the connection reusable
// (keep-alive); HEAD; redirects; and hostile heads and bodies that must be errors.

@testable import Network
import TestSupport
import Testing

@Suite struct HTTPTests {
    static func read(_ raw: String, pieces: Int = 1, maxBody: Int = 1 << 20) throws -> HTTPResponse? {
        let bytes = Array(raw.utf8)
        var reader = HTTPResponseReader(maxBody: maxBody)
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + pieces)
            if let response = try reader.feed(Array(bytes[index..<end])) { return response }
            index = end
        }
        return try reader.closed()
    }

    @Test func requestNamesHostAndPath() throws {
        let request = String(decoding: HTTPRequest.get(try NetworkURL("http://192.0.2.1:8080/boot/vmlinuz")), as: UTF8.self)
        #expect(request.hasPrefix("GET /boot/vmlinuz HTTP/1.1\r\nHost: 192.0.2.1:8080\r\n"))
        #expect(request.hasSuffix("\r\n\r\n"))
    }

    @Test(arguments: [1, 3, 7, 64, 4096]) func bodiesInPieces(_ pieces: Int) throws {
        let length = try Self.read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhelloNEXT", pieces: pieces)
        #expect(length?.status == 200 && length?.body == Array("hello".utf8) && length?.header("x") == "y")
        let chunked = try Self.read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n", pieces: pieces)
        #expect(chunked?.body == Array("hello world".utf8))
        let untilClose = try Self.read("HTTP/1.0 200 OK\r\n\r\nall of it", pieces: pieces)
        #expect(untilClose?.body == Array("all of it".utf8))
    }

    static func reusable(_ raw: String, headOnly: Bool = false) throws -> Bool {
        var reader = HTTPResponseReader(maxBody: 1 << 20, headOnly: headOnly)
        guard try reader.feed(Array(raw.utf8)) != nil else { return false }
        return reader.connectionReusable
    }

    @Test func whichAnswersLeaveTheConnectionReusable() throws {
        #expect(String(decoding: HTTPRequest.get(try NetworkURL("http://192.0.2.1/a"), keepAlive: true), as: UTF8.self).lowercased().contains("connection") == false)
        #expect(String(decoding: HTTPRequest.get(try NetworkURL("http://192.0.2.1/a"), headOnly: true), as: UTF8.self).hasPrefix("HEAD /a HTTP/1.1\r\n"))
        #expect(try Self.reusable("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        #expect(try Self.reusable("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"))
        #expect(try Self.reusable("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok"))
        #expect(try Self.reusable("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", headOnly: true))
        #expect(try !Self.reusable("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok"))
        #expect(try !Self.reusable("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        #expect(try !Self.reusable("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"))
        #expect(try !Self.reusable("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", headOnly: false))
        // A server that sends a body after a HEAD's answer has said more than it should.
        #expect(try !Self.reusable("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", headOnly: true))
        var untilClose = HTTPResponseReader(maxBody: 100)
        _ = try untilClose.feed(Array("HTTP/1.1 200 OK\r\n\r\nall".utf8))
        _ = try untilClose.closed()
        #expect(!untilClose.connectionReusable)
    }

    @Test(arguments: [1, 5, 4096]) func aBodyHandedOnIsNotKept(_ pieces: Int) throws {
        let raw = Array("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world".utf8)
        var reader = HTTPResponseReader(maxBody: 100, use: .handedOn)
        var passed: [UInt8] = []
        var index = 0
        var done: HTTPResponse?
        while index < raw.count, done == nil {
            let end = min(raw.count, index + pieces)
            done = try reader.feed(Array(raw[index..<end]))
            passed += reader.takeBody()
            index = end
        }
        #expect(passed == Array("hello world".utf8) && reader.received == 11 && reader.body.isEmpty)
        #expect(done?.status == 200)
    }

    @Test func redirects() throws {
        let url = try NetworkURL("http://192.0.2.1/a")
        let relative = try #require(try Self.read("HTTP/1.1 302 Found\r\nLocation: /b/c\r\nContent-Length: 0\r\n\r\n"))
        #expect(try relative.redirect(from: url)?.get() == NetworkURL(scheme: .http, host: "192.0.2.1", path: "/b/c"))
        let absolute = try #require(try Self.read("HTTP/1.1 301 Moved\r\nLocation: http://192.0.2.7:81/x\r\nContent-Length: 0\r\n\r\n"))
        #expect(try absolute.redirect(from: url)?.get().port == 81)
        let bare = try #require(try Self.read("HTTP/1.1 307 Temp\r\nContent-Length: 0\r\n\r\n"))
        #expect(throws: HTTPError.self) { try bare.redirect(from: url)?.get() }
        #expect(try Self.read("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")?.redirect(from: url) == nil)
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc",  // the fuzzer's finding: a negative size trapped
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3",
    ]) func hostileResponsesAreErrors(_ raw: String) {
        #expect(throws: HTTPError.self) { try Self.read(raw) }
    }

    @Test func headAndBodyCaps() {
        var reader = HTTPResponseReader(maxBody: 10)
        #expect(throws: HTTPError.self) { _ = try reader.feed([UInt8](repeating: 65, count: HTTPResponseReader.headLimit + 1)) }
        var closeReader = HTTPResponseReader(maxBody: 10)
        #expect(throws: HTTPError.self) { _ = try closeReader.feed(Array("HTTP/1.0 200 OK\r\n\r\n0123456789ABC".utf8)) }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SeededGenerator(state: 11)
        let good = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".utf8)
        for _ in 0..<3000 {
            var bytes = good
            for _ in 0..<4 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            var reader = HTTPResponseReader(maxBody: 1 << 16)
            _ = try? reader.feed(bytes)
            _ = try? reader.closed()
        }
    }
}
