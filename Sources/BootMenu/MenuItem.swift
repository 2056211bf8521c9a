// One line of the menu: what the user sees of an entry, whether it can boot, and its details.

public struct MenuItem: Sendable, Hashable {
    public var title: String
    /// The group the entry is shown under: its device, e.g. "vda1 ext4 LABEL=root".
    public var group: String
    /// Why the entry cannot boot, shown beside it; nil when it can.
    public var problem: String?
    /// The command line offered for editing.
    public var commandLine: String
    /// A key that boots the entry at once (GRUB --hotkey, syslinux ^ marker).
    public var hotkey: Character?
    /// Lines for the details view: title path, device, kernel, initrds, command line, origin…
    public var details: [String]

    public init(title: String, group: String = "", problem: String? = nil, commandLine: String = "", hotkey: Character? = nil, details: [String] = []) {
        self.title = title
        self.group = group
        self.problem = problem
        self.commandLine = commandLine
        self.hotkey = hotkey
        self.details = details
    }
}
