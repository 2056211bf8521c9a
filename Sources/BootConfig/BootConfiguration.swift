// What one configuration file yields: entries, the default, the timeout and diagnostics.

public struct BootConfiguration: Sendable, Hashable {
    /// The file the configuration was read from, in its file view.
    public var path: String
    public var entries: [BootEntry]
    /// Index into `entries` of the default entry.
    public var defaultIndex: Int
    /// Seconds before the default boots; nil waits for the user, 0 boots at once.
    public var timeout: Int?
    public var diagnostics: [Diagnostic]

    public init(path: String, entries: [BootEntry], defaultIndex: Int = 0, timeout: Int? = nil, diagnostics: [Diagnostic] = []) {
        self.path = path
        self.entries = entries
        self.defaultIndex = defaultIndex
        self.timeout = timeout
        self.diagnostics = diagnostics
    }
}
