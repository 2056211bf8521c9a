// The kernel's device events (uevents) from its netlink socket: devices and modules appearing
// and going, without udev.

internal import CLinux
import Glibc

public final class UeventSocket {
    public let descriptor: Int32

    public init() throws(SystemError) {
        let fd = clinux_uevent_socket()
        guard fd >= 0 else { throw SystemError("socket", "NETLINK_KOBJECT_UEVENT", errno: -fd) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// The messages waiting now (none when nothing arrived); each is the raw datagram.
    public func receive() -> [[UInt8]] { Datagrams.waiting(on: descriptor, bufferSize: 8192, atMost: 1024) }
}

/// Reading what a datagram socket holds without waiting.
enum Datagrams {
    /// The datagrams waiting on `descriptor` now, at most `atMost`, each cut at `bufferSize` bytes.
    static func waiting(on descriptor: Int32, bufferSize: Int, atMost: Int) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: bufferSize)
        while datagrams.count < atMost {
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            datagrams.append(Array(buffer[0..<n]))
        }
        return datagrams
    }
}

public enum BlockDeviceControl {
    /// Marks a block device read-only in the kernel, so nothing — not even a journal replay or a
    /// filesystem driver's bug — can write to it while Baton runs.
    public static func setReadOnly(_ device: String) throws(SystemError) {
        let fd = try retrying("open", device) { open(device, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        defer { close(fd) }
        let rc = clinux_block_set_read_only(fd)
        if rc < 0 { throw SystemError("ioctl(BLKROSET)", device, errno: -rc) }
    }
}
