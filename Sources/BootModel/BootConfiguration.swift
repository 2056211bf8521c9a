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
    /// How the menu shows during the timeout (GRUB `timeout_style`).
    public var timeoutStyle: TimeoutStyle
    /// Index of the entry to try when the default fails (GRUB `fallback`).
    public var fallbackIndex: Int?
    /// Whether reading it looked at other devices (GRUB `search`, `(vdb1)/path`): it may read
    /// differently once devices come or go.
    public var consultsOtherDevices = false

    public enum TimeoutStyle: String, Sendable, Hashable {
        /// The menu shows with a countdown.
        case menu
        /// Only a countdown shows; a key brings up the menu.
        case countdown
        /// Nothing shows; a key during the timeout brings up the menu.
        case hidden
    }

    public init(
        path: String, entries: [BootEntry], defaultIndex: Int = 0, timeout: Int? = nil, diagnostics: [Diagnostic] = [],
        timeoutStyle: TimeoutStyle = .menu, fallbackIndex: Int? = nil
    ) {
        self.path = path
        self.entries = entries
        self.defaultIndex = defaultIndex
        self.timeout = timeout
        self.diagnostics = diagnostics
        self.timeoutStyle = timeoutStyle
        self.fallbackIndex = fallbackIndex
    }
}
