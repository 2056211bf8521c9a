// One bootable choice as a configuration describes it: kernel, initrds and command line.

public struct BootEntry: Sendable, Hashable {
    /// The title, with submenu titles before it.
    public var title: String
    /// Path of the kernel in the entry's file view; nil when the entry names none.
    public var kernel: String?
    /// Paths of the initrds, in the order they are concatenated.
    public var initrds: [String]
    public var commandLine: String
    public var origin: SourceLocation
    /// Why this entry cannot be booted by kexec, if it cannot.
    public var unbootableReason: String?

    public init(
        title: String, kernel: String?, initrds: [String] = [], commandLine: String = "",
        origin: SourceLocation, unbootableReason: String? = nil
    ) {
        self.title = title
        self.kernel = kernel
        self.initrds = initrds
        self.commandLine = commandLine
        self.origin = origin
        self.unbootableReason = unbootableReason
    }
}
