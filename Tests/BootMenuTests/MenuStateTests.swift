// Tests for the menu state machine (countdown, keys, default, failures) and its layout.

import Testing
@testable import BootMenu

@Suite struct MenuStateTests {
    let items = [MenuItem(title: "Debian"), MenuItem(title: "Rescue"), MenuItem(title: "Broken", problem: "/vmlinuz: No such file or directory")]

    @Test func countdownBootsTheDefault() {
        var state = MenuState(items: items, defaultIndex: 1, timeout: 2)
        #expect(state.start() == [.redraw])
        #expect(state.handle(.tick) == [.redraw])
        #expect(state.countdown == 1)
        #expect(state.handle(.tick) == [.redraw, .boot(index: 1)])
        #expect(state.handle(.key(.down)) == [])  // keys wait while booting
    }

    @Test func timeoutZeroBootsAtOnce() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 0)
        #expect(state.start() == [.redraw, .boot(index: 0)])
    }

    @Test func anyKeyStopsTheCountdown() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 5)
        #expect(state.handle(.key(.other)) == [.redraw])
        #expect(state.countdown == nil)
        for _ in 0..<10 { #expect(state.handle(.tick) == []) }
    }

    @Test func downAndEnterBootTheSecondEntry() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 5)
        _ = state.handle(.key(.down))
        #expect(state.handle(.key(.enter)) == [.redraw, .boot(index: 1)])
    }

    @Test func selectionStaysInBounds() {
        var state = MenuState(items: items, defaultIndex: 2, timeout: nil)
        _ = state.handle(.key(.down))
        #expect(state.selection == 2)
        _ = state.handle(.key(.home))
        _ = state.handle(.key(.up))
        #expect(state.selection == 0)
        _ = state.handle(.key(.end))
        #expect(state.selection == 2)
    }

    @Test func anEntryWithAProblemShowsItInsteadOfBooting() {
        var state = MenuState(items: items, defaultIndex: 2, timeout: 1)
        #expect(state.handle(.tick) == [.redraw])
        #expect(state.status == "Cannot boot \"Broken\": /vmlinuz: No such file or directory")
        _ = state.handle(.key(.up))
        #expect(state.handle(.key(.enter)) == [.redraw, .boot(index: 1)])
    }

    @Test func aFailedBootKeepsTheMenuUsable() {
        var state = MenuState(items: items, defaultIndex: 0, timeout: 1)
        _ = state.handle(.tick)
        #expect(state.handle(.bootFailed(index: 0, message: "kexec_file_load(/vmlinuz): Operation not permitted")) == [.redraw])
        #expect(state.status == "Cannot boot \"Debian\": kexec_file_load(/vmlinuz): Operation not permitted")
        #expect(state.countdown == nil)
        #expect(state.handle(.key(.down)) == [.redraw])
        #expect(state.handle(.key(.enter)) == [.redraw, .boot(index: 1)])
    }

    @Test func anInvalidDefaultFallsBackToTheFirst() {
        #expect(MenuState(items: items, defaultIndex: 9, timeout: nil).defaultIndex == 0)
        var empty = MenuState(items: [], defaultIndex: 0, timeout: 3)
        #expect(empty.countdown == nil)
        #expect(empty.handle(.key(.enter)) == [.redraw])
    }

    @Test func layoutShowsEntriesCountdownAndStatus() {
        var state = MenuState(items: items, defaultIndex: 1, timeout: 3)
        let screen = MenuLayout.render(state, rows: 12, columns: 60)
        let text = screen.plainText
        #expect(text.contains("   Debian"))
        #expect(text.contains(" * Rescue"))
        #expect(text.contains("[/vmlinuz: No such file or directory]"))
        #expect(text.contains("Booting \"Rescue\" in 3 s. Press any key to stop."))
        #expect(screen.lines.first { $0.style == .selected }?.text.hasPrefix(" * Rescue") == true)
        _ = state.handle(.key(.other))
        #expect(MenuLayout.render(state, rows: 12, columns: 60).plainText.contains("Up/Down to choose, Enter to boot."))
    }

    @Test func layoutScrollsToKeepTheSelectionVisible() {
        let many = (0..<30).map { MenuItem(title: "Entry \($0)") }
        var state = MenuState(items: many, defaultIndex: 0, timeout: nil)
        for _ in 0..<25 { _ = state.handle(.key(.down)) }
        let screen = MenuLayout.render(state, rows: 10, columns: 40)
        #expect(screen.lines.contains { $0.style == .selected && $0.text.contains("Entry 25") })
        #expect(!screen.plainText.contains("Entry 0 "))
    }
}
