// An open file descriptor that closes itself: whoever holds the value owns the descriptor, and
// it is closed exactly once, when the last holder lets go. Used where a descriptor is opened for
// one task (a kernel and initrds for kexec, a probe) rather than kept for the process's life.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

public final class FileDescriptor: @unchecked Sendable {
    /// The descriptor number, for a call that only borrows it.
    public let raw: Int32

    /// Takes ownership of `raw`, which must be open.
    public init(adopting raw: Int32) { self.raw = raw }

    deinit { close(raw) }
}

extension Console {
    /// A second descriptor for the same open console (ncurses writes through its own).
    public static func duplicate(_ fd: Int32) -> Int32 { dup(fd) }

    /// Closes a console descriptor that will not be used.
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }
}
