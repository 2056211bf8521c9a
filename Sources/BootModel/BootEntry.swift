// One bootable choice as a configuration describes it: kernel, initrds and command line.

public struct BootEntry: Sendable, Hashable {
    /// The title, with submenu titles before it, joined by " > ".
    public var title: String
    /// The entry's id (GRUB `--id`, syslinux LABEL), when it has one.
    public var id: String?
    /// The kernel; nil when the entry names none.
    public var kernel: BootFile?
    /// The initrds, in the order they are concatenated.
    public var initrds: [BootFile]
    public var devicetree: BootFile?
    public var commandLine: String
    public var origin: SourceLocation
    /// Why this entry cannot be booted by kexec, if it cannot.
    public var unbootableReason: String?
    /// Help text shown with the entry's details (syslinux TEXT HELP).
    public var help: String?
    /// A key that boots the entry from the menu (GRUB `--hotkey`, syslinux `^` in MENU LABEL).
    public var hotkey: Character?

    public init(
        title: String, id: String? = nil, kernel: BootFile?, initrds: [BootFile] = [], devicetree: BootFile? = nil,
        commandLine: String = "", origin: SourceLocation, unbootableReason: String? = nil, help: String? = nil,
        hotkey: Character? = nil
    ) {
        self.title = title
        self.id = id
        self.kernel = kernel
        self.initrds = initrds
        self.devicetree = devicetree
        self.commandLine = commandLine
        self.origin = origin
        self.unbootableReason = unbootableReason
        self.help = help
        self.hotkey = hotkey
    }
}
