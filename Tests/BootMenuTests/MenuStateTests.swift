// Tests for the menu state machine: countdown, keys, views, editing, consoles, failures.

import Testing
@testable import BootMenu

extension MenuState {
    /// Presses keys on a console and returns the actions of the last one.
    @discardableResult
    mutating func press(_ keys: MenuKey..., on console: Int = 0) -> [MenuAction] {
        var last: [MenuAction] = []
        for key in keys { last = handle(.key(key, console: console)) }
        return last
    }

    mutating func type(_ text: String, on console: Int = 0) {
        for c in text { _ = handle(.key(.character(c), console: console)) }
    }
}

@Suite struct MenuStateTests {
    let items = [
        MenuItem(title: "Debian", group: "vda1", commandLine: "root=/dev/vda1 ro quiet", details: ["Kernel: /vmlinuz"]),
        MenuItem(title: "Rescue", group: "vda1", commandLine: "single", hotkey: "s"),
        MenuItem(title: "Broken", group: "vdb1", problem: "/vmlinuz: No such file or directory"),
    ]

    func entry(_ index: Int, _ commandLine: String? = nil, console: Int? = 0) -> MenuAction {
        .boot(BootRequest(.entry(index: index, commandLine: commandLine), console: console))
    }

    @Test func countdownBootsTheDefaultWithNoConsoleChosen() {
        var state = MenuState(items: items, defaultIndex: 1, timeout: 2)
        #expect(state.start() == [.redraw])
        #expect(state.handle(.tick) == [.redraw])
        #expect(state.countdown == 1)
        #expect(state.handle(.tick) == [.redraw, entry(1, console: nil)])
        #expect(state.press(.down) == [])  // keys wait while booting
    }

    @Test func timeoutZeroBootsAtOnce() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 0)
        #expect(state.start() == [.redraw, entry(0, console: nil)])
    }

    @Test func anyKeyStopsTheCountdownAndSaysSo() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 5)
        #expect(state.press(.other) == [.redraw])
        #expect(state.countdown == nil)
        #expect(state.status == "Countdown stopped.")
        for _ in 0..<10 { #expect(state.handle(.tick) == []) }
    }

    @Test func downAndEnterBootTheSecondEntryOnTheConsoleUsed() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 5, consoles: ["tty0", "ttyS0"])
        state.press(.down, on: 1)
        #expect(state.press(.enter, on: 1) == [.redraw, entry(1, console: 1)])
    }

    @Test func navigationKeysStayInBounds() {
        var state = MenuState(items: items, defaultIndex: 2, timeout: nil)
        state.press(.down)
        #expect(state.selection == 2)
        state.press(.home, .up)
        #expect(state.selection == 0)
        state.press(.end)
        #expect(state.selection == 2)
        state.press(.character("k"), .pageUp)
        #expect(state.selection == 0)
        state.press(.character("2"))
        #expect(state.selection == 2)
        state.press(.character("9"))
        #expect(state.selection == 2)
    }

    @Test func hotkeysBoot() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        #expect(state.press(.character("S")) == [.redraw, entry(1)])
    }

    @Test func anEntryWithAProblemShowsItInsteadOfBooting() {
        var state = MenuState(items: items, defaultIndex: 2, timeout: 1)
        #expect(state.handle(.tick) == [.redraw])
        #expect(state.status == "Cannot boot \"Broken\": /vmlinuz: No such file or directory")
        #expect(state.press(.up, .enter) == [.redraw, entry(1)])
    }

    @Test func aFailedBootKeepsTheMenuUsable() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 1)
        _ = state.handle(.tick)
        #expect(state.handle(.bootFailed(message: "kexec_file_load(/vmlinuz): Operation not permitted")) == [.redraw])
        #expect(state.status == "Cannot boot \"Debian\": kexec_file_load(/vmlinuz): Operation not permitted")
        #expect(state.logLines.last == "boot failed: kexec_file_load(/vmlinuz): Operation not permitted")
        #expect(state.press(.down) == [.redraw])
        #expect(state.press(.enter) == [.redraw, entry(1)])
    }

    @Test func editingTheCommandLineBootsOnceWithTheEdit() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        state.press(.character("e"))
        #expect(state.view == .edit)
        #expect(state.editor.string == "root=/dev/vda1 ro quiet")
        state.press(.backspace, .backspace, .backspace, .backspace, .backspace)
        state.type("single")
        state.press(.home, .delete)
        state.type("R")
        #expect(state.press(.enter) == [.redraw, entry(0, "Root=/dev/vda1 ro single")])
        #expect(state.items[0].commandLine == "root=/dev/vda1 ro quiet")
    }

    @Test func escapeCancelsEditing() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        state.press(.character("e"))
        state.type("xyz")
        #expect(state.press(.escape) == [.redraw])
        #expect(state.view == .list)
    }

    @Test func lineEditorShortcuts() {
        var editor = LineEditor("hello world")
        _ = editor.handle(.control("a"))
        _ = editor.handle(.right)
        _ = editor.handle(.control("k"))
        #expect(editor.string == "h")
        _ = editor.handle(.character("i"))
        _ = editor.handle(.left)
        _ = editor.handle(.control("u"))
        #expect(editor.string == "i" && editor.cursor == 0)
        _ = editor.handle(.control("e"))
        #expect(editor.cursor == 1)
    }

    @Test func commandPromptBootsATypedKernel() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        state.press(.character("c"))
        #expect(state.view == .command)
        state.type("vda1:/boot/vmlinuz root=/dev/vda1")
        #expect(state.press(.enter) == [.redraw, .boot(BootRequest(.typed("vda1:/boot/vmlinuz root=/dev/vda1"), console: 0))])
    }

    @Test func viewsOpenAndAnyOtherKeyReturns() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        for (key, view) in [(MenuKey.character("d"), MenuState.View.details), (.tab, .details), (.character("l"), .log), (.character("h"), .help), (.character("?"), .help)] {
            state.press(key)
            #expect(state.view == view)
            state.press(.down)
            #expect(state.view == view)  // scrolling stays
            state.press(.character("x"))
            #expect(state.view == .list)
        }
    }

    @Test func commandsForTheOwner() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        #expect(state.press(.character("r")) == [.redraw, .rescan])
        #expect(state.press(.character("R")) == [.redraw])
        #expect(state.status == "Reboot? Press y to reboot, any other key to go back.")
        #expect(state.press(.character("y")) == [.reboot])
        #expect(state.press(.character("P"), .character("y")) == [.powerOff])
        // A stray byte (a late terminal reply on a serial line) does not reboot.
        #expect(state.press(.character("R"), .character("0")) == [.redraw])
        #expect(state.view == .list)
        #expect(state.press(.control("l")) == [.repaint])
    }

    @Test func theFirstConsoleWithAKeyHasControlAndAnotherCanTakeIt() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 9, consoles: ["tty0", "ttyS0"])
        state.press(.down, on: 1)
        #expect(state.controller == 1)
        #expect(state.selection == 1)
        // The first key on the other console only takes control.
        #expect(state.press(.down, on: 0) == [.redraw])
        #expect(state.selection == 1)
        #expect(state.controller == 0)
        #expect(state.status == "Menu taken over on tty0.")
        state.press(.down, on: 0)
        #expect(state.selection == 2)
    }

    @Test func itemsChangingKeepsTheSelectedEntry() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        state.press(.down)
        let more = [MenuItem(title: "New")] + items
        #expect(state.handle(.itemsChanged(more, defaultIndex: 1, timeout: 5)) == [.redraw])
        #expect(state.selection == 2)
        #expect(state.defaultIndex == 1)
    }

    @Test func whenTheSelectedEntryGoesTheHighlightStaysInPlace() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        state.press(.end)
        #expect(state.handle(.itemsChanged(Array(items.prefix(2)), defaultIndex: 0, timeout: nil)) == [.redraw])
        #expect(state.selection == 1)
        _ = state.handle(.itemsChanged([], defaultIndex: 0, timeout: nil))
        #expect(state.selection == 0)
        #expect(state.press(.enter) == [.redraw])
    }

    @Test func entriesFoundAfterStartUpGetTheCountdown() {
        var state = MenuState(items: [], defaultIndex: 0, timeout: 5)
        #expect(state.countdown == nil)
        _ = state.handle(.itemsChanged(items, defaultIndex: 1, timeout: 3))
        #expect(state.countdown == 3)
        #expect(state.selection == 1)
        // Not when someone already pressed a key.
        var touched = MenuState(items: [], defaultIndex: 0, timeout: 5)
        touched.press(.other)
        _ = touched.handle(.itemsChanged(items, defaultIndex: 0, timeout: 3))
        #expect(touched.countdown == nil)
        // Nor when entries were there already.
        var running = MenuState(items: items, defaultIndex: 0, timeout: nil)
        _ = running.handle(.itemsChanged(items, defaultIndex: 0, timeout: 3))
        #expect(running.countdown == nil)
    }

    @Test func logKeepsTheLastLines() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        for n in 0..<(MenuState.logLimit + 10) { _ = state.handle(.log("line \(n)")) }
        #expect(state.logLines.count == MenuState.logLimit)
        #expect(state.logLines.first == "line 10")
    }
}

@Suite struct MenuLayoutTests {
    let items = [
        MenuItem(title: "Debian GNU/Linux", group: "vda1 ext4", commandLine: "ro"),
        MenuItem(title: "Advanced options for Debian GNU/Linux > Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)", group: "vda1 ext4"),
        MenuItem(title: "Broken", group: "vdb1 vfat", problem: "/vmlinuz: No such file or directory"),
    ]

    @Test func the80x24MenuAsText() {
        let state = MenuState(items: items, defaultIndex: 0, timeout: 5, consoles: ["ttyS0"])
        let text = MenuLayout.render(state, header: "Baton boot menu", rows: 24, columns: 80).plainText
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Baton boot menu")
        #expect(lines[2] == "vda1 ext4")
        #expect(lines[3] == " 0* Debian GNU/Linux")
        #expect(lines[4].hasPrefix(" 1  Advanced options for Debian GNU/Linux > Debian GNU/Linux, with Linux 6.1"))
        #expect(lines[4].hasSuffix("...") && lines[4].count == 80)
        #expect(lines[5] == "vdb1 vfat")
        #expect(lines[6] == " 2  Broken  [/vmlinuz: No such file or directory]")
        #expect(lines[21] == "Booting \"Debian GNU/Linux\" in 5 s. Press any key to stop.")
        #expect(lines[23] == MenuLayout.keyHelp)
        #expect(lines.allSatisfy { $0.count <= 80 })
    }

    @Test func smallScreensScrollToTheSelection() {
        let many = (0..<30).map { MenuItem(title: "Entry \($0)", group: $0 < 15 ? "A" : "B") }
        var state = MenuState(items: many, defaultIndex: 0, timeout: nil)
        state.press(.character("9"))
        for _ in 0..<16 { state.press(.down) }
        let screen = MenuLayout.render(state, rows: 12, columns: 40)
        #expect(screen.lines.contains { $0.style == .selected && $0.text.contains("Entry 25") })
        #expect(!screen.plainText.contains("Entry 0\n"))
        #expect(screen.plainText.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.count <= 40 })
    }

    @Test func otherConsolesSayWhereTheMenuIsInUse() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil, consoles: ["tty0", "ttyS0"])
        state.press(.down, on: 1)
        #expect(MenuLayout.render(state, console: 0, rows: 24, columns: 80).plainText.contains("Menu in use on ttyS0. Press any key here to take it over."))
        #expect(!MenuLayout.render(state, console: 1, rows: 24, columns: 80).plainText.contains("Menu in use"))
    }

    @Test func hiddenAndCountdownStyles() {
        let hidden = MenuState(items: items, defaultIndex: 0, timeout: 3, style: .hidden)
        #expect(MenuLayout.render(hidden, rows: 24, columns: 80).lines.isEmpty)
        let countdown = MenuState(items: items, defaultIndex: 0, timeout: 3, style: .countdown)
        #expect(MenuLayout.render(countdown, rows: 24, columns: 80).plainText.hasPrefix("Booting in 3 s. Press any key for the menu."))
        var shown = hidden
        shown.press(.other)
        #expect(MenuLayout.render(shown, rows: 24, columns: 80).plainText.contains("Debian GNU/Linux"))
    }

    @Test func editorPlacesTheCursor() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: nil)
        state.press(.character("e"))
        state.type(String(repeating: "x", count: 45))
        let screen = MenuLayout.render(state, rows: 12, columns: 40)
        #expect(screen.cursor == Screen.Position(row: 4, column: 7))
    }

    @Test func emptyMenuSaysWhatToDo() {
        let state = MenuState(items: [], defaultIndex: 0, timeout: 3)
        #expect(MenuLayout.render(state, rows: 24, columns: 80).plainText.contains("No bootable entries were found. Press r to look again, l for the log."))
    }
}

@Suite struct StatusLineTests {
    @Test func aLongMessageTakesTwoLinesBrokenAtABlank() {
        let message = "Cannot boot \"HTTPS expired\": https://192.0.2.1:8444/vmlinuz: its certificate has expired"
        #expect(MenuLayout.wrapped(message, columns: 80, lines: 2)
            == ["Cannot boot \"HTTPS expired\": https://192.0.2.1:8444/vmlinuz: its certificate", "has expired"])
        #expect(MenuLayout.wrapped(message, columns: 80, lines: 1) == [message])
        #expect(MenuLayout.wrapped("short", columns: 80, lines: 2) == ["short"])
        #expect(MenuLayout.wrapped(String(repeating: "x", count: 100), columns: 40, lines: 2).map(\.count) == [40, 60])
    }
}
