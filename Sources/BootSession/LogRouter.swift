// Where the menu's log lines go while it runs.

import LinuxPlatform

/// Where log lines go: the kernel log always; the console before the menu shows, the menu's log
/// view after (writing to a console under ncurses would scribble over the menu).
package final class LogRouter {
    package var toConsole = true
    package var pending: [String] = []

    package init() {}

    package func log(_ line: String) {
        Console.kernelLog(line)
        if toConsole { Console.write("baton: " + line) }
        pending.append(line)
    }

    /// The lines logged since the last call.
    package func take() -> [String] {
        defer { pending = [] }
        return pending
    }
}
