// A FileView over a directory of the running system, e.g. a mounted disk at /run/baton/vda1.
// Every path is resolved inside that directory as if it were "/" (openat2 RESOLVE_IN_ROOT):
// "..", absolute paths and symlinks on a disk cannot reach the initramfs or another disk.

import BootModel
internal import CLinux
import Glibc

public struct HostFileView: FileView {
    public let root: String
    /// The most a configuration file may hold; larger files are not read.
    public static let fileSizeLimit = 16 << 20

    public init(root: String) { self.root = root }

    /// The host path for a path inside the view, for messages.
    public func hostPath(_ path: String) -> String {
        let inner = Path.normalized(path)
        return root == "/" ? inner : root + (inner == "/" ? "" : inner)
    }

    /// Opens a path inside the view; the caller closes the descriptor.
    public func open(_ path: String, flags: Int32 = O_RDONLY) throws(SystemError) -> Int32 {
        let rootFD = Glibc.open(root, clinux_o_path() | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { throw SystemError.current("open", root) }
        defer { close(rootFD) }
        let fd = clinux_open_in_root(rootFD, Path.normalized(path), flags)
        guard fd >= 0 else { throw SystemError("open", hostPath(path), errno: -fd) }
        return fd
    }

    /// Opens a regular file for reading (a FIFO or device node where a file should be is refused).
    public func openRegularFile(_ path: String) throws(SystemError) -> FileDescriptor {
        let fd = FileDescriptor(adopting: try open(path, flags: O_RDONLY | O_NONBLOCK))
        guard clinux_is_regular(fd.raw) != 0 else {
            throw SystemError("open", hostPath(path), errno: EINVAL, explanation: "not a regular file (a FIFO, device node or folder)")
        }
        return fd
    }

    public func contents(of path: String) -> [UInt8]? {
        guard let fd = try? openRegularFile(path) else { return nil }
        return try? FileSystem.read(fd: fd.raw, name: hostPath(path), limit: Self.fileSizeLimit)
    }

    public func exists(_ path: String) -> Bool {
        guard let fd = try? open(path, flags: clinux_o_path()) else { return false }
        close(fd)
        return true
    }

    public func list(_ path: String) -> [String] {
        guard let fd = try? open(path, flags: O_RDONLY | O_DIRECTORY) else { return [] }
        return FileSystem.list(fd: fd)
    }
}
