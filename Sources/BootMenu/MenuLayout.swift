// Lays the menu state out on a screen of a given size: header, entries, countdown, status.

public enum MenuLayout {
    public static func render(_ state: MenuState, rows: Int, columns: Int) -> Screen {
        var screen = Screen(rows: rows, columns: columns)
        screen.put("Baton boot menu", row: 0, style: .title)
        let top = 2
        let footerRows = 4
        let visible = max(1, rows - top - footerRows)
        if state.items.isEmpty {
            screen.put("  No bootable entries were found.", row: top)
        }
        // Scroll so the selection stays visible.
        let first = max(0, min(state.selection - visible + 1, state.items.count - visible))
        for (offset, index) in state.items.indices.dropFirst(first).prefix(visible).enumerated() {
            let item = state.items[index]
            let marker = index == state.defaultIndex ? "*" : " "
            var text = " \(marker) \(item.title)"
            if !item.detail.isEmpty { text += "  (\(item.detail))" }
            if let problem = item.problem { text += "  [\(problem)]" }
            let padded = text + String(repeating: " ", count: max(0, columns - text.count))
            screen.put(padded, row: top + offset, style: index == state.selection ? .selected : .normal)
        }
        let footer = rows - footerRows + 1
        if let left = state.countdown, state.items.indices.contains(state.defaultIndex) {
            screen.put("Booting \"\(state.items[state.defaultIndex].title)\" in \(left) s. Press any key to stop.", row: footer)
        } else {
            screen.put("Up/Down to choose, Enter to boot.", row: footer)
        }
        if let status = state.status { screen.put(status, row: footer + 1) }
        return screen
    }
}
