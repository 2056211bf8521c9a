// Tests for reading a terminal's cursor position report (its size over a serial line).

import Testing
@testable import LinuxPlatform

@Suite struct TerminalSizeTests {
    @Test func parsesAReport() {
        #expect(TerminalSize.parseReport(Array("\u{1b}[24;80R".utf8)).map { [$0.rows, $0.columns] } == [24, 80])
        #expect(TerminalSize.parseReport(Array("junk\u{1b}[50;132R".utf8)).map { [$0.rows, $0.columns] } == [50, 132])
    }

    @Test func rejectsGarbageAndTinySizes() {
        #expect(TerminalSize.parseReport(Array("\u{1b}[24;80".utf8)) == nil)
        #expect(TerminalSize.parseReport(Array("\u{1b}[1;1R".utf8)) == nil)
        #expect(TerminalSize.parseReport(Array("24;80R".utf8)) == nil)
    }
}
