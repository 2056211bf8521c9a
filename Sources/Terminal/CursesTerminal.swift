// Draws a menu Screen on one console with ncurses and turns its keys into MenuKeys.

import BootMenu
import CCurses

public final class CursesTerminal {
    private let screen: OpaquePointer

    /// Starts curses on the terminal at the descriptors; nil when terminfo has no entry for `term`.
    public init?(term: String, input: Int32, output: Int32) {
        guard let s = ccurses_open(term, input, output) else { return nil }
        screen = s
    }

    deinit { ccurses_close(screen) }

    public var size: (rows: Int, columns: Int) {
        var rows: Int32 = 0, cols: Int32 = 0
        ccurses_size(screen, &rows, &cols)
        return (Int(max(rows, 1)), Int(max(cols, 1)))
    }

    public func draw(_ content: Screen) {
        ccurses_clear(screen)
        for line in content.lines {
            let style: Int32 = switch line.style {
            case .normal: 0
            case .selected: 1
            case .title: 2
            }
            ccurses_put(screen, Int32(line.row), 0, Self.printable(line.text), style)
        }
        ccurses_refresh(screen)
    }

    /// Text safe to send to a terminal: titles and paths come from users' disks, so control
    /// characters (escape sequences) never reach the terminal. Non-ASCII shows as `?` until the
    /// menu has a UTF-8 locale; `…` as `...`.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20...0x7e: out.unicodeScalars.append(scalar)
            case 0x2026: out += "..."
            case 0x09: out += " "
            default: out += "?"
            }
        }
        return out
    }

    /// Leaves curses mode so the next kernel (or a log line) finds a sane terminal.
    public func suspend() { ccurses_suspend(screen) }

    /// Waits up to `milliseconds` for a key; nil when none came.
    public func readKey(milliseconds: Int) -> MenuKey? {
        let c = ccurses_key(screen, Int32(milliseconds))
        switch c {
        case -1: return nil
        case Int32(CCURSES_KEY_UP), Int32(UInt8(ascii: "k")): return .up
        case Int32(CCURSES_KEY_DOWN), Int32(UInt8(ascii: "j")): return .down
        case Int32(CCURSES_KEY_HOME): return .home
        case Int32(CCURSES_KEY_END): return .end
        case Int32(CCURSES_KEY_PPAGE): return .pageUp
        case Int32(CCURSES_KEY_NPAGE): return .pageDown
        case Int32(CCURSES_KEY_ENTER), 10, 13: return .enter
        case Int32(CCURSES_KEY_RESIZE): return nil
        default: return .other
        }
    }
}
