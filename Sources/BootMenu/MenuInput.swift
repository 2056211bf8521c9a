// What can happen to the menu — a key on one of the consoles, a second passing, entries changing,
// the result of a boot attempt — and what the menu asks its owner to do in return.

public enum MenuKey: Sendable, Hashable {
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, tab, backspace, delete
    /// A printable character.
    case character(Character)
    /// Ctrl plus a letter, e.g. `.control("a")` for Ctrl-A.
    case control(Character)
    /// Any other key: it stops the countdown and does nothing else.
    case other
}

public enum MenuInput: Sendable, Hashable {
    /// A key pressed on the console at this index.
    case key(MenuKey, console: Int)
    /// One second of the countdown has passed.
    case tick
    /// Booting the entry failed with this message; the menu stays.
    case bootFailed(message: String)
    /// The entries changed (a device appeared or a rescan finished); the selection follows its
    /// entry. `timeout` is the configuration's, used when the menu had no entries until now.
    case itemsChanged([MenuItem], defaultIndex: Int, timeout: Int?)
    /// A line for the log view (Baton's own messages, config diagnostics).
    case log(String)
}

/// What to boot: an entry, possibly with a command line edited for this boot only, or a kernel
/// typed at the command prompt; and the console the user was on (nil when nobody pressed a key).
public struct BootRequest: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case entry(index: Int, commandLine: String?)
        case typed(String)
    }

    public var target: Target
    public var console: Int?

    public init(_ target: Target, console: Int?) {
        self.target = target
        self.console = console
    }
}

public enum MenuAction: Sendable, Hashable {
    /// The state changed: draw it.
    case redraw
    /// Clear and draw everything again (Ctrl-L: a console that joined late or got garbled).
    case repaint
    case boot(BootRequest)
    case rescan
    case reboot
    case powerOff
}
