// A boot server seen as a read-only file view — a TFTP root or an HTTP server — so the
// configuration readers read a pxelinux or GRUB configuration and what it includes over the
// network exactly as they read a disk. Servers cannot list directories; every file is fetched
// whole, within a size cap, and kept for the view's life.

import BootModel
import Network
import Synchronization

public final class NetworkFileView: FileView {
    /// The server's root: scheme, host and port (its path is not used).
    public let server: NetworkURL
    public let maxSize: Int
    let log: @Sendable (String) -> Void
    /// What each path fetched to (nil: not there); one fetch at a time.
    let fetched = Mutex<[String: [UInt8]?]>([:])
    /// Why the server does not give each path (nil: it does), asked without downloading it.
    let answered = Mutex<[String: String?]>([:])
    /// Set when the server never answered: later reads fail at once instead of waiting again.
    let silent = Mutex(false)
    /// One HTTP connection to the server, kept from request to request.
    let connections = HTTPConnections()

    /// Configuration files are small: the cap keeps a hostile server from making them a memory problem.
    public init(server: NetworkURL, maxSize: Int = 4 << 20, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.server = NetworkURL(scheme: server.scheme, host: server.host, port: server.port, path: "/")
        self.maxSize = maxSize
        self.log = log
    }

    /// `tftp://192.0.2.1`, `http://192.0.2.1:8080`: what a file's URL starts with.
    public var root: String { String(server.description.dropLast()) }

    /// The URL of a path on this server (relative paths are taken from the root).
    public func url(of path: String) -> NetworkURL {
        NetworkURL(scheme: server.scheme, host: server.host, port: server.port, path: Self.normalized(path))
    }

    /// A path without `.` and `..`, its query (`?…`) kept as it is.
    static func normalized(_ path: String) -> String {
        let name = path.prefix { $0 != "?" }
        return Path.normalized(String(name)) + path.dropFirst(name.count)
    }

    /// A file's bytes, nil when the server has no such file or does not answer.
    public func contents(of path: String) -> [UInt8]? {
        let url = url(of: path)
        return fetched.withLock { fetched in
            if let known = fetched[url.path] { return known }
            if silent.withLock({ $0 }) { return nil }
            let bytes: [UInt8]?
            switch NetworkTransfers.fetch(url, maxSize: maxSize, tftp: TFTPSettings(), connections: connections) {
            case .success(let file): bytes = file
            case .failure(let error):
                log("\(url): \(error.message)")
                if error.errno == 110 { silent.withLock { $0 = true } }
                bytes = nil
            }
            fetched[url.path] = bytes
            return bytes
        }
    }

    public func list(_ path: String) -> [String] { [] }

    /// Asks the server for the file and stops at its answer (a kernel is not downloaded to see
    /// that it is there).
    public func exists(_ path: String) -> Bool { problem(path) == nil }

    /// Why the server does not give the file (nil: it does), asked as `exists` asks.
    public func problem(_ path: String) -> String? {
        let url = url(of: path)
        if let known = fetched.withLock({ $0[url.path] }) { return known == nil ? "not on the server" : nil }
        return answered.withLock { answered in
            if let known = answered[url.path] { return known }
            let problem: String?
            switch NetworkTransfers.probe(url, connections: connections) {
            case .success: problem = nil
            case .failure(let error): problem = error.message
            }
            answered[url.path] = problem
            return problem
        }
    }
}
