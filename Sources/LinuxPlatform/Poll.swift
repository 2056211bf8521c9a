// Waiting for input on several descriptors at once (the consoles), with a timeout.

import Glibc

public enum Poll {
    /// The descriptors that became readable within `milliseconds` (-1 waits forever).
    public static func wait(_ fds: [Int32], milliseconds: Int) -> [Int32] {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = entries.withUnsafeMutableBufferPointer { buffer in
            Glibc.poll(buffer.baseAddress, nfds_t(buffer.count), Int32(clamping: milliseconds))
        }
        guard n > 0 else { return [] }
        return entries.filter { $0.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 }.map(\.fd)
    }
}
