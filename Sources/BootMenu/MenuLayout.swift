// Lays the menu out for one console: header, entries grouped by device, countdown, status and
// key help — or the edit, details, log, help and command views. Works from 40×12 up.

public enum MenuLayout {
    public static let keyHelp = "Enter boot  e edit  d details  l log  h help  r rescan  c cmd  R reboot  P off"

    public static let helpText = [
        "Up/Down, j/k, PgUp/PgDn, Home/End   choose an entry",
        "0-9                                 choose entry by number",
        "Enter                               boot the chosen entry",
        "e                                   edit its command line (Enter boots once, Esc cancels)",
        "d or Tab                            details: files, command line, where it came from",
        "l                                   log: what Baton did and found",
        "r                                   look for devices again",
        "c                                   boot a kernel by hand: DEVICE:/kernel [initrd=DEVICE:/file] ARGS",
        "R / P                               reboot / power off",
        "Ctrl-L                              draw the screen again",
        "Editing: Left/Right, Home/End, Ctrl-A/E/K/U, Backspace, Delete",
        "A key on another console takes the menu over there.",
    ]

    public static func render(_ state: MenuState, console: Int = 0, header: String = "Baton", rows: Int, columns: Int) -> Screen {
        var screen = Screen(rows: max(rows, 1), columns: max(columns, 1))
        if !state.showsMenu {
            if state.countdownStyle == .countdown, let left = state.countdown {
                screen.put("Booting in \(left) s. Press any key for the menu.", row: 0)
            }
            return screen
        }
        screen.put(header, row: 0, style: .title)
        let bodyTop = 2
        let bodyRows = max(1, rows - bodyTop - 3)
        switch state.view {
        case .list, .confirm: list(state, &screen, top: bodyTop, rows: bodyRows)
        case .edit: editor(state, &screen, top: bodyTop, title: "Command line for \"\(selectedTitle(state))\" (Enter boots once, Esc cancels):")
        case .command: editor(state, &screen, top: bodyTop, title: "Boot by hand: DEVICE:/kernel [initrd=DEVICE:/file] ARGS (Esc cancels):")
        case .details:
            let lines = state.items.indices.contains(state.selection) ? state.items[state.selection].details : []
            pager(["Details of \"\(selectedTitle(state))\":"] + lines, &screen, top: bodyTop, rows: bodyRows, scroll: state.scroll)
        case .log: pager(["Log:"] + state.logLines, &screen, top: bodyTop, rows: bodyRows, scroll: state.scroll)
        case .help: pager(["Keys:"] + helpText, &screen, top: bodyTop, rows: bodyRows, scroll: state.scroll)
        }
        if let left = state.countdown, state.items.indices.contains(state.defaultIndex) {
            screen.put("Booting \"\(state.items[state.defaultIndex].title)\" in \(left) s. Press any key to stop.", row: rows - 3)
        }
        if let controller = state.controller, controller != console {
            screen.put("Menu in use on \(state.name(of: controller)). Press any key here to take it over.", row: rows - 2, style: .title)
        } else if let status = state.status {
            // Two lines when the countdown's is free: a message's reason is often at its end.
            let lines = wrapped(status, columns: columns, lines: state.countdown == nil ? 2 : 1)
            for (offset, line) in lines.enumerated() { screen.put(line, row: rows - 1 - lines.count + offset) }
        }
        screen.put(state.view == .list ? keyHelp : "Any other key returns to the menu.", row: rows - 1, style: .dim)
        return screen
    }

    /// `text` in at most `lines` lines of `columns`, broken at a blank (the last line may be cut).
    static func wrapped(_ text: String, columns: Int, lines: Int) -> [String] {
        guard lines > 1, text.count > columns, columns > 1 else { return [text] }
        let head = text.prefix(columns)
        let cut = head.lastIndex(of: " ").flatMap { $0 > head.startIndex ? $0 : nil } ?? head.endIndex
        let rest = text[cut...].drop { $0 == " " }
        return [String(text[..<cut])] + wrapped(String(rest), columns: columns, lines: lines - 1)
    }

    static func selectedTitle(_ state: MenuState) -> String {
        state.items.indices.contains(state.selection) ? state.items[state.selection].title : ""
    }

    /// Entries under a line for each device, scrolled so the selection shows.
    static func list(_ state: MenuState, _ screen: inout Screen, top: Int, rows: Int) {
        guard !state.items.isEmpty else {
            screen.put("  No bootable entries were found. Press r to look again, l for the log.", row: top)
            return
        }
        enum Row { case group(String), entry(Int) }
        var display: [Row] = []
        var lastGroup: String?
        for (index, item) in state.items.enumerated() {
            if item.group != lastGroup, !item.group.isEmpty {
                display.append(.group(item.group))
                lastGroup = item.group
            }
            display.append(.entry(index))
        }
        let selectedRow = display.firstIndex { if case .entry(state.selection) = $0 { return true } else { return false } } ?? 0
        let first = max(0, selectedRow - rows + 1)
        for (offset, row) in display.dropFirst(first).prefix(rows).enumerated() {
            switch row {
            case .group(let name):
                screen.put(name, row: top + offset, style: .dim)
            case .entry(let index):
                let item = state.items[index]
                let marker = index == state.defaultIndex ? "*" : " "
                let number = index < 10 ? "\(index)" : " "
                var text = " \(number)\(marker) \(item.title)"
                if let problem = item.problem { text += "  [\(problem)]" }
                if text.count < screen.columns { text += String(repeating: " ", count: screen.columns - text.count) }
                screen.put(text, row: top + offset, style: index == state.selection ? .selected : .normal)
            }
        }
    }

    static func wrap(_ text: String, _ width: Int) -> [String] {
        guard width > 0, !text.isEmpty else { return [text] }
        var lines: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return lines
    }

    static func editor(_ state: MenuState, _ screen: inout Screen, top: Int, title: String) {
        screen.put(title, row: top)
        let width = max(1, screen.columns)
        let text = state.editor.string
        for (n, line) in wrap(text, width).enumerated() { screen.put(line, row: top + 1 + n) }
        screen.cursor = Screen.Position(row: top + 1 + state.editor.cursor / width, column: state.editor.cursor % width)
    }

    static func pager(_ lines: [String], _ screen: inout Screen, top: Int, rows: Int, scroll: Int) {
        let wrapped = lines.flatMap { wrap($0, max(1, screen.columns)) }
        let first = max(0, min(scroll, wrapped.count - rows))
        for (offset, line) in wrapped.dropFirst(first).prefix(rows).enumerated() {
            screen.put(line, row: top + offset, style: offset == 0 && first == 0 ? .title : .normal)
        }
    }
}
