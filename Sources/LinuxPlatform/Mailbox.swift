// Hands values from background threads to the thread that polls: a locked list, and an eventfd
// that becomes readable when something was posted, so the poll loop wakes for it.

internal import CLinux
import Glibc
import Synchronization

public final class Mailbox<Message: Sendable>: Sendable {
    private let messages = Mutex<[Message]>([])
    /// Readable while messages wait (an eventfd; -1 if the kernel refused one).
    public let descriptor: Int32

    public init() throws(SystemError) {
        let fd = clinux_eventfd()
        guard fd >= 0 else { throw SystemError.current("eventfd") }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Adds a message and wakes the reader (callable from any thread).
    public func post(_ message: Message) {
        messages.withLock { $0.append(message) }
        var one: UInt64 = 1
        _ = write(descriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// The messages posted so far, oldest first; empty when none.
    public func take() -> [Message] {
        var count: UInt64 = 0
        _ = read(descriptor, &count, MemoryLayout<UInt64>.size)
        return messages.withLock { list in
            defer { list = [] }
            return list
        }
    }
}
