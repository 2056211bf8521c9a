// What the menu needs from one console, whichever way it is driven: draw a screen, read keys.

import BootMenu

public protocol ConsoleTerminal: AnyObject {
    /// The descriptor keys arrive on, for poll().
    var inputDescriptor: Int32 { get }
    /// The descriptor it writes to (plain lines go there while it is suspended).
    var outputDescriptor: Int32 { get }
    var size: (rows: Int, columns: Int) { get }
    func draw(_ screen: Screen)
    /// Draws everything again on the next draw (Ctrl-L).
    func invalidate()
    /// The next key if one is waiting (or arrives within `milliseconds`); nil otherwise.
    func readKey(milliseconds: Int) -> MenuKey?
    /// Whether the terminal changed size since the last call (then the menu is drawn again).
    func takeResize() -> Bool
    /// Leaves full-screen mode so log lines and the next kernel find a sane terminal.
    func suspend()
}
