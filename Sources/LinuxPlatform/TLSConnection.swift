// HTTPS's transport: a TLS client connection over a TCP connection, with the server's certificate
// verified against the CA certificates Baton carries (`/etc/baton/certs` in the initramfs, from
// `initramfs/certs/`) and checked to name the server — there is no way to skip it. The TLS is
// mbedTLS's (CTLS); this file only drives it over the non-blocking socket, within bounds.

internal import CTLS
import Glibc

/// What HTTP reads and writes: a TCP connection, or TLS over one.
public protocol ByteStream: AnyObject {
    /// The socket, for poll().
    var descriptor: Int32 { get }
    /// Sends all of `bytes`, waiting for room at most `milliseconds` at a time.
    func send(_ bytes: [UInt8], milliseconds: Int) throws(SystemError)
    /// What has arrived: bytes, an empty array when the peer closed, nil when nothing is there yet.
    func receive() throws(SystemError) -> [UInt8]?
}

extension TCPConnection: ByteStream {}

public final class TLSConnection: ByteStream {
    /// Where the PID 1 finds the CA certificates it trusts.
    public static let certificates = "/etc/baton/certs"

    let tcp: TCPConnection
    let connection: OpaquePointer
    let host: String
    var buffer = [UInt8](repeating: 0, count: 1 << 16)

    public var descriptor: Int32 { tcp.descriptor }

    /// The handshake over `tcp` with `host` (a name or an IPv4 address), trusting the CA
    /// certificates at `certificates` (a folder or a file); each wait at most `milliseconds`.
    public init(over tcp: TCPConnection, host: String, certificates: String, milliseconds: Int) throws(SystemError) {
        self.tcp = tcp
        self.host = host
        var error = [CChar](repeating: 0, count: 600)
        guard let made = ctls_new(tcp.descriptor, certificates, host, &error, error.count) else {
            throw SystemError("TLS", host, errno: EPROTO, explanation: Self.text(error))
        }
        connection = made
        let deadline = Processes.monotonicMilliseconds() + milliseconds
        while true {
            let state = ctls_handshake(connection, &error, error.count)
            if state == 0 { return }
            // Every stored property is set: when init throws from here on, deinit frees the connection.
            guard state > 0 else { throw SystemError("TLS", host, errno: EPROTO, explanation: Self.text(error)) }
            let left = deadline - Processes.monotonicMilliseconds()
            var entry = pollfd(fd: tcp.descriptor, events: Int16(state == 1 ? POLLIN : POLLOUT), revents: 0)
            guard left > 0, poll(&entry, 1, Int32(clamping: left)) > 0 else {
                throw SystemError("TLS", host, errno: ETIMEDOUT, explanation: "the TLS handshake took over \(milliseconds / 1000) s")
            }
        }
    }

    deinit { ctls_free(connection) }

    static func text(_ error: [CChar]) -> String {
        String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func send(_ bytes: [UInt8], milliseconds: Int) throws(SystemError) {
        var error = [CChar](repeating: 0, count: 200)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { ctls_write(connection, $0.baseAddress.map { $0 + offset }, $0.count - offset, &error, error.count) }
            if n > 0 {
                offset += n
                continue
            }
            guard n == -2 else { throw SystemError("TLS", host, errno: EPROTO, explanation: Self.text(error)) }
            var entry = pollfd(fd: descriptor, events: Int16(POLLOUT | POLLIN), revents: 0)
            guard poll(&entry, 1, Int32(clamping: milliseconds)) > 0 else { throw SystemError("send", "HTTPS request", errno: ETIMEDOUT) }
        }
    }

    public func receive() throws(SystemError) -> [UInt8]? {
        var error = [CChar](repeating: 0, count: 200)
        let n = buffer.withUnsafeMutableBytes { ctls_read(connection, $0.baseAddress, $0.count, &error, error.count) }
        if n > 0 { return Array(buffer[0..<n]) }
        if n == 0 { return [] }
        if n == -2 { return nil }
        throw SystemError("TLS", host, errno: EPROTO, explanation: Self.text(error))
    }
}
