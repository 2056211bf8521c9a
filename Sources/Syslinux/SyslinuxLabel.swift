// A LABEL block as syslinux records it, before it is turned into a boot entry.

import BootModel

struct SyslinuxLabel: Sendable {
    /// What a label does when chosen, as syslinux's menu sees it.
    enum Action: Sendable {
        case boot
        /// MENU EXIT, MENU QUIT, MENU GOTO, MENU HELP: menu navigation, not a boot entry.
        case navigation
    }

    /// The LABEL text, blanks trimmed. The menu module takes the whole rest of the line; the
    /// command line (no UI) takes its first word.
    var name: String
    var location: SourceLocation
    /// The working directory relative paths resolve against (the config's, or CONFIG's).
    var workingDirectory: String
    /// What KERNEL / LINUX / COM32 / … named, with any options written after the file; nil means
    /// the label's own name is the kernel.
    var kernel: String?
    var kind: SyslinuxImageKind = .kernel
    /// The label's own APPEND; nil falls back to `globalAppend`.
    var append: String?
    /// The global APPEND in force when syslinux recorded the label.
    var globalAppend: String?
    /// INITRD (comma-separated files); syslinux adds it to the command line as `initrd=`.
    var initrd: String?
    /// FDT / DEVICETREE and FDTDIR (U-Boot's extlinux extensions).
    var devicetree: String?
    var devicetreeDirectory: String?
    var menuLabel: String?
    var help: String?
    /// IPAPPEND / SYSAPPEND bits; the strings they add exist only at boot time.
    var sysappend: UInt64 = 0
    var hidden = false
    var menuDefault = false
    var disabled = false
    var hasPassword = false
    var action: Action = .boot
    /// Options typed after the label (DEFAULT / ONTIMEOUT "label options"), added at the end.
    var extraArguments = ""

    init(name: String, location: SourceLocation, workingDirectory: String, sysappend: UInt64) {
        self.name = name
        self.location = location
        self.workingDirectory = workingDirectory
        self.sysappend = sysappend
    }

    /// The command-line interface's name for the label: its first word.
    var firstWord: String { SyslinuxText.splitFirstWord(name).word }

    /// The kernel text syslinux runs: KERNEL's argument, or the label's first word.
    var kernelText: String { kernel ?? firstWord }

    /// The APPEND that applies: the label's own, else the global one; "-" means none.
    var effectiveAppend: String {
        let a = SyslinuxText.trimmed(append ?? globalAppend ?? "")
        return a == "-" ? "" : a
    }

    /// What follows the kernel file on the command line syslinux builds for this label: options
    /// written after the file on the KERNEL line, the APPEND, then `initrd=` from INITRD.
    var arguments: String {
        var parts = [SyslinuxText.splitFirstWord(kernelText).rest, effectiveAppend]
        if let initrd { parts.append("initrd=" + SyslinuxText.trimmed(initrd)) }
        parts.append(SyslinuxText.trimmed(extraArguments))
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
