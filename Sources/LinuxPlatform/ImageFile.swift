// A disk image file (or a block device) opened read-only as random-access bytes, for host mode's
// readers of partition tables and filesystems.

import DiskImage
import Glibc

public final class ImageFile: ByteSource {
    private let descriptor: Int32
    public let path: String
    public let size: UInt64

    /// Opens the file read-only; it must be a regular file or a block device.
    public init(path: String) throws(SystemError) {
        let fd = try retrying("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = SystemError.current("fstat", path)
            close(fd)
            throw error
        }
        let kind = info.st_mode & S_IFMT
        var bytes = UInt64(info.st_size)
        if kind == S_IFBLK {
            let end = lseek(fd, 0, SEEK_END)
            bytes = end > 0 ? UInt64(end) : 0
        } else if kind != S_IFREG {
            close(fd)
            throw SystemError("open", path, errno: EINVAL, explanation: "not a disk image (neither a regular file nor a block device)")
        }
        descriptor = fd
        self.path = path
        size = bytes
    }

    deinit { close(descriptor) }

    public func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, offset <= UInt64(Int64.max) else { return nil }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + done }, count - done, off_t(offset) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return buffer
    }
}
