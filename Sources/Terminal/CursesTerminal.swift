// Draws a menu Screen on one console with ncurses (one SCREEN per console, from newterm) and
// turns its keys into MenuKeys.

import BootMenu
internal import CCurses

public final class CursesTerminal: ConsoleTerminal {
    private let screen: OpaquePointer
    public let inputDescriptor: Int32
    public let outputDescriptor: Int32
    private var resized = false

    /// Starts curses on the terminal at the descriptors; nil when terminfo has no entry for `term`.
    public init?(term: String, input: Int32, output: Int32) {
        guard let s = ccurses_open(term, input, output) else { return nil }
        screen = s
        inputDescriptor = input
        outputDescriptor = output
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
            case .dim: 3
            }
            // Replacing characters can lengthen a line ("…" → "..."): cut it to the screen again.
            ccurses_put(screen, Int32(line.row), 0, String(Printable.ascii(line.text).prefix(content.columns)), style)
        }
        ccurses_refresh(screen, Int32(content.cursor?.row ?? -1), Int32(content.cursor?.column ?? 0))
    }

    public func invalidate() { ccurses_invalidate(screen) }

    public func takeResize() -> Bool {
        defer { resized = false }
        return resized
    }

    public func suspend() { ccurses_suspend(screen) }

    public func readKey(milliseconds: Int) -> MenuKey? {
        let c = ccurses_key(screen, Int32(milliseconds))
        switch c {
        case -1: return nil
        case Int32(CCURSES_KEY_RESIZE):
            resized = true
            return nil
        case Int32(CCURSES_KEY_UP): return .up
        case Int32(CCURSES_KEY_DOWN): return .down
        case Int32(CCURSES_KEY_LEFT): return .left
        case Int32(CCURSES_KEY_RIGHT): return .right
        case Int32(CCURSES_KEY_HOME): return .home
        case Int32(CCURSES_KEY_END): return .end
        case Int32(CCURSES_KEY_PPAGE): return .pageUp
        case Int32(CCURSES_KEY_NPAGE): return .pageDown
        case Int32(CCURSES_KEY_ENTER): return .enter
        case Int32(CCURSES_KEY_BACKSPACE): return .backspace
        case Int32(CCURSES_KEY_DC): return .delete
        case Int32(CCURSES_KEY_OTHER): return .other
        default: return KeyDecoding.key(forByte: c)
        }
    }
}

/// Plain bytes as keys, shared by the curses and the dumb terminal.
public enum KeyDecoding {
    public static func key(forByte c: Int32) -> MenuKey {
        switch c {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(c) + 96)))
        case 32...126: return .character(Character(Unicode.Scalar(UInt8(c))))
        default: return .other
        }
    }
}

/// Text safe to send to a terminal: titles and paths come from users' disks, so control
/// characters (escape sequences) never reach the terminal. Non-ASCII shows as `?` until the
/// menu has a UTF-8 locale; `…` as `...`.
public enum Printable {
    public static func ascii(_ text: String) -> String {
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
}
