// A failed system call: which call, on what, and errno — printed as `call(path): strerror`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public var call: String
    public var subject: String?
    public var errno: Int32
    /// Said instead of the C library's text for `errno`, when Baton knows better.
    public var explanation: String?

    public init(_ call: String, _ subject: String? = nil, errno: Int32, explanation: String? = nil) {
        self.call = call
        self.subject = subject
        self.errno = errno
        self.explanation = explanation
    }

    /// The error for the current `errno`.
    static func current(_ call: String, _ subject: String? = nil) -> SystemError {
        SystemError(call, subject, errno: Glibc.errno)
    }

    public var message: String { explanation ?? String(cString: strerror(errno)) }

    /// EINVAL: what the kernel (and `openRegularFile`) answer for an argument of the wrong kind.
    public var isInvalidArgument: Bool { errno == EINVAL }

    /// ENODEV from mount: the kernel has no driver for the filesystem type (a module not loaded yet).
    public var isNoSuchDevice: Bool { errno == ENODEV }

    public var description: String {
        "\(call)(\(subject ?? "")): \(message)"
    }
}

/// Runs a call that returns -1 and sets errno on failure, retrying on EINTR.
@discardableResult
func retrying<T: BinaryInteger>(_ call: String, _ subject: String? = nil, _ body: () -> T) throws(SystemError) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        if errno == EINTR { continue }
        throw SystemError.current(call, subject)
    }
}
