// A TFTP server seen as a read-only file view, so the configuration readers read a pxelinux
// config and what it includes over the network exactly as they read a disk. TFTP cannot list
// directories; every file is fetched whole, within a size cap, and kept for the view's life.

import BootModel
import Network
import Synchronization

public final class TFTPFileView: FileView {
    public let server: IPv4Address
    public let settings: TFTPSettings
    let log: @Sendable (String) -> Void
    /// What each path fetched to (nil: not there); one fetch at a time.
    let fetched = Mutex<[String: [UInt8]?]>([:])
    /// Whether the server has each path, asked without downloading it.
    let answered = Mutex<[String: Bool]>([:])

    public init(server: IPv4Address, settings: TFTPSettings = TFTPSettings(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.server = server
        self.settings = settings
        self.log = log
    }

    /// A file's bytes (path relative to the TFTP root; a leading `/` is dropped), nil when the
    /// server has no such file or does not answer.
    public func contents(of path: String) -> [UInt8]? {
        let name = String(Path.normalized(path).drop { $0 == "/" })
        return fetched.withLock { fetched in
            if let known = fetched[name] { return known }
            let result = NetworkTransfers.tftp(name, from: server, settings: settings)
            let bytes: [UInt8]?
            switch result {
            case .success(let file): bytes = file
            case .failure(let error):
                log("tftp://\(server)/\(name): \(error.message)")
                bytes = nil
            }
            fetched[name] = bytes
            return bytes
        }
    }

    public func list(_ path: String) -> [String] { [] }

    /// Asks the server for the file and stops at its answer (a kernel is not downloaded to see
    /// that it is there).
    public func exists(_ path: String) -> Bool {
        let name = String(Path.normalized(path).drop { $0 == "/" })
        if let known = fetched.withLock({ $0[name] }) { return known != nil }
        return answered.withLock { answered in
            if let known = answered[name] { return known }
            var probe = settings
            probe.answerOnly = true
            probe.retries = 2
            let found = (try? NetworkTransfers.tftp(name, from: server, settings: probe).get()) != nil
            answered[name] = found
            return found
        }
    }
}
