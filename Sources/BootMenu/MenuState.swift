// The menu as a state machine: the views (list, edit, details, log, help, command prompt),
// selection, countdown, which console has control, and status — changed only by `handle`.

public struct MenuState: Sendable, Hashable {
    public enum View: Sendable, Hashable {
        case list, edit, details, log, help, command
        /// Waiting for `y` before rebooting or powering off (a stray byte on a serial line must not).
        case confirm(MenuAction)
    }

    /// How the menu shows while the countdown runs (GRUB timeout_style).
    public enum CountdownStyle: Sendable, Hashable { case menu, countdown, hidden }

    public private(set) var items: [MenuItem]
    public private(set) var selection: Int
    public private(set) var defaultIndex: Int
    /// Seconds left before the default boots; nil once stopped (or with no timeout).
    public private(set) var countdown: Int?
    public let countdownStyle: CountdownStyle
    /// A message for the user, e.g. why the last boot failed.
    public private(set) var status: String?
    /// True while a boot is being attempted; keys wait until it fails.
    public private(set) var booting = false
    /// The entry being booted, named when its boot fails (nil for a command typed at the prompt).
    private var bootingTitle: String?
    public private(set) var view: View = .list
    public private(set) var editor = LineEditor("")
    /// The consoles the menu is on, by name ("ttyS0", "tty0").
    public let consoles: [String]
    /// The console whose keys drive the menu: the first on which a key was pressed.
    public private(set) var controller: Int?
    public private(set) var logLines: [String] = []
    /// The first line shown in the log and details views.
    public private(set) var scroll = 0

    public static let logLimit = 500

    public init(items: [MenuItem], defaultIndex: Int, timeout: Int?, style: CountdownStyle = .menu, consoles: [String] = ["console"]) {
        self.items = items
        let valid = items.indices.contains(defaultIndex) ? defaultIndex : 0
        self.defaultIndex = valid
        self.selection = valid
        self.countdown = items.isEmpty ? nil : timeout.map { max(0, $0) }
        self.countdownStyle = timeout == nil ? .menu : style
        self.consoles = consoles.isEmpty ? ["console"] : consoles
    }

    /// Whether the menu itself is visible (a hidden countdown shows nothing until a key).
    public var showsMenu: Bool { countdown == nil || countdownStyle == .menu }

    /// The actions to take right away, before any input: a timeout of 0 boots at once.
    public mutating func start() -> [MenuAction] {
        if countdown == 0 {
            countdown = nil
            return boot(defaultIndex, commandLine: nil)
        }
        return [.redraw]
    }

    public mutating func handle(_ input: MenuInput) -> [MenuAction] {
        switch input {
        case .tick:
            guard let left = countdown, !booting else { return [] }
            if left <= 1 {
                countdown = nil
                return boot(defaultIndex, commandLine: nil)
            }
            countdown = left - 1
            return [.redraw]
        case .key(let key, let console):
            return handle(key, console: console)
        case .bootFailed(let message):
            booting = false
            countdown = nil
            view = .list
            status = bootingTitle.map { "Cannot boot \"\($0)\": \(message)" } ?? "Cannot boot: \(message)"
            bootingTitle = nil
            appendLog("boot failed: \(message)")
            return [.redraw]
        case .itemsChanged(let newItems, let newDefault, let timeout):
            let selected = items.indices.contains(selection) ? items[selection].title : nil
            let wasEmpty = items.isEmpty
            items = newItems
            defaultIndex = newItems.indices.contains(newDefault) ? newDefault : 0
            // The selected entry stays selected; if it went, the highlight stays where it was.
            selection = selected.flatMap { title in newItems.firstIndex { $0.title == title } } ?? max(0, min(selection, newItems.count - 1))
            if newItems.isEmpty { countdown = nil }
            // The first entries, found after start-up (a slow disk), get the countdown nobody has
            // stopped yet; once someone pressed a key it stays stopped.
            if wasEmpty, !newItems.isEmpty, controller == nil, !booting, let timeout {
                selection = defaultIndex
                countdown = max(1, timeout)
            }
            return [.redraw]
        case .log(let line):
            appendLog(line)
            return view == .log ? [.redraw] : []
        }
    }

    mutating func appendLog(_ line: String) {
        logLines.append(line)
        if logLines.count > Self.logLimit { logLines.removeFirst(logLines.count - Self.logLimit) }
    }

    private mutating func handle(_ key: MenuKey, console: Int) -> [MenuAction] {
        guard !booting else { return [] }
        if countdown != nil {
            countdown = nil
            status = "Countdown stopped."
        }
        if key == .control("l") { return [.repaint] }
        if let current = controller, current != console {
            // Another console takes the menu over; the key that does it does nothing else.
            controller = console
            status = "Menu taken over on \(name(of: console))."
            return [.redraw]
        }
        controller = console
        switch view {
        case .list: return listKey(key)
        case .edit, .command: return editKey(key)
        case .details, .log, .help: return pagerKey(key)
        case .confirm(let action):
            view = .list
            guard key == .character("y") || key == .character("Y") else {
                status = nil
                return [.redraw]
            }
            return [action]
        }
    }

    func name(of console: Int) -> String { consoles.indices.contains(console) ? consoles[console] : "console \(console)" }

    private mutating func listKey(_ key: MenuKey) -> [MenuAction] {
        let last = items.count - 1
        switch key {
        case .up, .character("k"): selection = max(0, selection - 1)
        case .down, .character("j"): selection = max(0, min(last, selection + 1))
        case .pageUp: selection = max(0, selection - 10)
        case .pageDown: selection = max(0, min(last, selection + 10))
        case .home: selection = 0
        case .end: selection = max(0, last)
        case .enter: return boot(selection, commandLine: nil)
        case .character("e"):
            guard items.indices.contains(selection) else { break }
            editor = LineEditor(items[selection].commandLine)
            view = .edit
        case .character("d"), .tab:
            guard items.indices.contains(selection) else { break }
            scroll = 0
            view = .details
        case .character("l"):
            scroll = max(0, logLines.count - 1)
            view = .log
        case .character("h"), .character("?"):
            scroll = 0
            view = .help
        case .character("c"):
            editor = LineEditor("")
            view = .command
        case .character("r"):
            status = "Rescanning devices..."
            return [.redraw, .rescan]
        case .character("R"):
            view = .confirm(.reboot)
            status = "Reboot? Press y to reboot, any other key to go back."
        case .character("P"):
            view = .confirm(.powerOff)
            status = "Power off? Press y to power off, any other key to go back."
        case .character(let c) where c.isASCII && c.isNumber:
            if let n = c.wholeNumberValue, items.indices.contains(n) { selection = n }
        case .character(let c):
            if let hit = items.firstIndex(where: { $0.hotkey.map { $0.lowercased() == c.lowercased() } ?? false }) {
                return boot(hit, commandLine: nil)
            }
        default: break
        }
        return [.redraw]
    }

    private mutating func editKey(_ key: MenuKey) -> [MenuAction] {
        switch editor.handle(key) {
        case .editing: return [.redraw]
        case .cancelled:
            view = .list
            return [.redraw]
        case .done:
            let text = editor.string
            let wasCommand = view == .command
            view = .list
            if wasCommand {
                guard !text.allSatisfy({ $0 == " " }) else { return [.redraw] }
                booting = true
                bootingTitle = nil
                status = "Booting \(text)..."
                return [.redraw, .boot(BootRequest(.typed(text), console: controller))]
            }
            return boot(selection, commandLine: text)
        }
    }

    private mutating func pagerKey(_ key: MenuKey) -> [MenuAction] {
        switch key {
        case .up, .character("k"): scroll = max(0, scroll - 1)
        case .down, .character("j"): scroll += 1
        case .pageUp: scroll = max(0, scroll - 10)
        case .pageDown: scroll += 10
        case .home: scroll = 0
        default:
            view = .list
        }
        return [.redraw]
    }

    private mutating func boot(_ index: Int, commandLine: String?) -> [MenuAction] {
        guard items.indices.contains(index) else { return [.redraw] }
        selection = index
        if let problem = items[index].problem {
            status = "Cannot boot \"\(items[index].title)\": \(problem)"
            return [.redraw]
        }
        booting = true
        bootingTitle = items[index].title
        status = "Booting \"\(items[index].title)\"..."
        return [.redraw, .boot(BootRequest(.entry(index: index, commandLine: commandLine), console: controller))]
    }
}
