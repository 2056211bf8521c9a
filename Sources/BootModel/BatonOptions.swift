// Baton's own kernel parameters (baton.timeout, baton.debug), read from the kernel command line.

public struct BatonOptions: Sendable, Hashable {
    /// Overrides the configuration's timeout; 0 boots the default entry at once.
    public var timeout: Int?
    /// Keeps kernel messages on the console and logs more.
    public var debug: Bool
    /// `baton.stages`: prints boot stage marks on the console, for benchmarks.
    public var stages = false

    public init(timeout: Int? = nil, debug: Bool = false) {
        self.timeout = timeout
        self.debug = debug
    }

    public init(commandLine: KernelCommandLine) {
        timeout = commandLine.value(of: "baton.timeout").flatMap { Int($0) }.map { max(0, $0) }
        debug = commandLine.parameters.contains { $0 == "baton.debug" || $0 == "baton.debug=1" }
        stages = commandLine.parameters.contains { $0 == "baton.stages" || $0 == "baton.stages=1" }
    }
}
