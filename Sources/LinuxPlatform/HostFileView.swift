// A FileView over a directory of the running system, e.g. a mounted disk at /run/baton/vda1.

import BootConfig

public struct HostFileView: FileView {
    public let root: String

    public init(root: String) { self.root = root }

    /// The host path for a path inside the view; ".." never climbs above the root.
    public func hostPath(_ path: String) -> String {
        let inner = Path.normalized(path)
        return root == "/" ? inner : root + (inner == "/" ? "" : inner)
    }

    public func contents(of path: String) -> [UInt8]? {
        let host = hostPath(path)
        guard FileSystem.isRegularFile(host) else { return nil }
        return try? FileSystem.read(host)
    }

    public func exists(_ path: String) -> Bool { FileSystem.exists(hostPath(path)) }

    public func list(_ path: String) -> [String] { FileSystem.list(hostPath(path)) }
}
