// The simplest console: no cursor addressing at all, for terminals terminfo does not know or
// `baton.term=dumb`. The menu prints as plain numbered lines whenever it changes; keys are bytes.

import BootMenu
import LinuxPlatform

public final class DumbTerminal: ConsoleTerminal {
    public let inputDescriptor: Int32
    public let outputDescriptor: Int32
    private var lastLines: [String] = []

    public init(input: Int32, output: Int32) {
        inputDescriptor = input
        outputDescriptor = output
    }

    public var size: (rows: Int, columns: Int) { (24, 80) }

    /// Prints the screen as lines when it changed; when only one line changed (the countdown,
    /// the status) just that line, so a slow serial line is not flooded every second.
    public func draw(_ screen: Screen) {
        let lines = screen.plainText.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.isEmpty }.map { Printable.ascii(String($0)) }
        guard lines != lastLines else { return }
        let changed = zip(lines, lastLines).filter { $0 != $1 }.map(\.0)
        if lines.count == lastLines.count, changed.count == 1 {
            Console.write(changed[0] + "\r", fd: outputDescriptor)
        } else {
            Console.write("\r\n" + lines.joined(separator: "\r\n") + "\r", fd: outputDescriptor)
        }
        lastLines = lines
    }

    public func invalidate() { lastLines = [] }

    public func takeResize() -> Bool { false }

    public func suspend() {}

    public func readKey(milliseconds: Int) -> MenuKey? {
        guard let byte = Console.readByte(fd: inputDescriptor, milliseconds: milliseconds) else { return nil }
        if byte == 27 {
            // Arrow keys arrive as ESC [ A…D; a lone Esc is Esc.
            guard let next = Console.readByte(fd: inputDescriptor, milliseconds: 50), next == UInt8(ascii: "[") || next == UInt8(ascii: "O"),
                  let final = Console.readByte(fd: inputDescriptor, milliseconds: 50) else { return .escape }
            switch final {
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            case UInt8(ascii: "C"): return .right
            case UInt8(ascii: "D"): return .left
            default: return .other
            }
        }
        return KeyDecoding.key(forByte: Int32(byte))
    }
}
