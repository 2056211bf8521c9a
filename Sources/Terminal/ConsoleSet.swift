// The consoles the menu runs on: every active kernel console, each opened on its own with the
// right terminal type, and the `console=` argument to pass on for each.

import BootModel
import LinuxPlatform

package struct ConsoleSet {
    package struct Member {
        package var name: String
        package var terminal: any ConsoleTerminal
        /// The `console=` value for this console, e.g. "ttyS0,115200n8".
        package var kernelArgument: String

        package init(name: String, terminal: any ConsoleTerminal, kernelArgument: String) {
            self.name = name
            self.terminal = terminal
            self.kernelArgument = kernelArgument
        }
    }

    package var members: [Member] = []
    /// The `console=` values of Baton's own command line, in order (passed on when nobody typed).
    package var commandLineConsoles: [String] = []

    package init() {}

    /// The terminal type for a console: `baton.term=` wins, then `linux` for the screen, and for a
    /// serial line vt220 (its keys and sequences are what serial terminals and SOL speak).
    package static func terminalType(for name: String, commandLine: KernelCommandLine) -> String {
        if let forced = commandLine.value(of: "baton.term") { return forced }
        return Console.isSerial(name) ? "vt220" : "linux"
    }

    /// Asks every serial console for its size now, so the answers arrive while devices are
    /// found; `open` reads them and keeps each question's descriptor as that console's.
    package static func askSizes(commandLine: KernelCommandLine, plainText: Bool) -> [String: TerminalSize.PendingQuery] {
        guard !plainText else { return [:] }
        var questions: [String: TerminalSize.PendingQuery] = [:]
        for name in Console.active() where terminalType(for: name, commandLine: commandLine) != "dumb" {
            guard let fd = try? Console.openDevice(name) else { continue }
            if TerminalSize.kernel(fd: fd) == nil, let question = TerminalSize.PendingQuery.ask(fd: fd) {
                questions[name] = question
            } else {
                Console.close(fd)
            }
        }
        return questions
    }

    /// Opens every active console; falls back to the descriptors Baton was started with.
    /// `sizes` are questions asked earlier with `askSizes`.
    package static func open(commandLine: KernelCommandLine, plainText: Bool = false, sizes: [String: TerminalSize.PendingQuery] = [:],
                     log: (String) -> Void) -> ConsoleSet {
        var set = ConsoleSet()
        set.commandLineConsoles = commandLine.values(of: "console")
        var names = Console.active()
        if names.isEmpty { names = ["console"] }
        for name in names {
            let question = sizes[name]
            let fd: Int32
            do {
                fd = try question?.descriptor ?? (name == "console" ? 0 : Console.openDevice(name))
            } catch {
                log("\(error)")
                continue
            }
            let term = plainText ? "dumb" : terminalType(for: name, commandLine: commandLine)
            // ncurses reads LINES/COLUMNS when the kernel knows no size (serial lines).
            let asked = question.map { $0.answer() }
            if TerminalSize.kernel(fd: fd) == nil, term != "dumb", let size = asked ?? TerminalSize.query(fd: fd) {
                Processes.setEnvironment("LINES", String(size.rows))
                Processes.setEnvironment("COLUMNS", String(size.columns))
            } else {
                Processes.setEnvironment("LINES", nil)
                Processes.setEnvironment("COLUMNS", nil)
            }
            let terminal: any ConsoleTerminal
            if term != "dumb", let curses = CursesTerminal(term: term, input: fd, output: Console.duplicate(fd)) {
                terminal = curses
            } else {
                if term != "dumb" { log("\(name): no terminfo for \(term); using plain lines") }
                terminal = DumbTerminal(input: fd, output: fd)
            }
            let fromCommandLine = set.commandLineConsoles.first { $0 == name || $0.hasPrefix(name + ",") }
            set.members.append(Member(name: name, terminal: terminal, kernelArgument: fromCommandLine ?? Console.kernelArgument(for: name, fd: fd)))
        }
        if set.members.isEmpty {
            set.members.append(Member(name: "console", terminal: DumbTerminal(input: 0, output: 1), kernelArgument: "tty0"))
        }
        return set
    }

    package var names: [String] { members.map(\.name) }

    /// The consoles the next kernel gets: the one the user typed on, else Baton's own.
    package func consolesForTarget(typedOn console: Int?) -> [String] {
        if let console, members.indices.contains(console) { return [members[console].kernelArgument] }
        return commandLineConsoles.isEmpty ? members.suffix(1).map(\.kernelArgument) : commandLineConsoles
    }

    /// How the details view explains the rule.
    package var rule: String {
        let fallback = consolesForTarget(typedOn: nil).map { "console=" + $0 }.joined(separator: " ")
        return "console= of the console you use, or \(fallback) when nobody typed"
    }
}
