// While a network file is fetched at boot: one progress line on every console — what, how much,
// how fast — and Esc on any console to stop the transfer (the menu then says it was cancelled).
// The consoles are suspended (plain lines) while a boot loads its files.

import BootModel
import Discovery
import LinuxPlatform
import Terminal

package final class TransferProgressLine {
    let outputs: [Int32]
    let inputs: [Int32]
    /// Nothing shows for transfers shorter than this, and the line changes at most this often.
    static let quietMilliseconds = 500
    static let intervalMilliseconds = 250
    private var started = 0
    private var lastShown = 0
    private var shownLength = 0
    private var name = ""
    /// Keys come one by one while files come (the suspended terminals are in line mode).
    private var raw: RawInput?

    init(consoles: [any ConsoleTerminal]) {
        outputs = consoles.map(\.outputDescriptor)
        inputs = consoles.map(\.inputDescriptor)
    }

    /// The watch for one file: nil for a file on a disk.
    func watch(for file: PlannedFile) -> TransferWatch? {
        guard let url = file.url else { return nil }
        endLine()
        if raw == nil { raw = RawInput(inputs) }
        name = url.description
        started = Processes.monotonicMilliseconds()
        lastShown = started
        return TransferWatch(progress: { [self] in progress($0, $1) }, cancelled: { [self] in escapePressed() })
    }

    func finish() {
        endLine()
        raw?.restore()
        raw = nil
    }

    /// "Fetching URL: 3.2 of 7.5 MB, 1.4 MB/s. Esc cancels."
    package static func text(name: String, bytes: Int, total: Int?, milliseconds: Int) -> String {
        let megabytes = String(decimal: Double(bytes) / 1e6, places: 1)
        let amount = total.map { "\(megabytes) of \(String(decimal: Double($0) / 1e6, places: 1)) MB" } ?? "\(megabytes) MB"
        let rate = milliseconds > 0 ? Double(bytes) / 1e3 / Double(milliseconds) : 0
        return "Fetching \(name): \(amount), \(String(decimal: rate, places: 1)) MB/s. Esc cancels."
    }

    private func progress(_ bytes: Int, _ total: Int?) {
        let now = Processes.monotonicMilliseconds()
        guard now - started >= Self.quietMilliseconds, now - lastShown >= Self.intervalMilliseconds else { return }
        lastShown = now
        let line = Self.text(name: name, bytes: bytes, total: total, milliseconds: now - started)
        // Over the last line, padded: a plain console knows no "erase to the end of the line".
        let padded = line + String(repeating: " ", count: max(0, shownLength - line.count))
        shownLength = line.count
        for fd in outputs { try? FileSystem.writeAll(Array(("\r" + padded).utf8), to: fd, name: "console") }
    }

    private func endLine() {
        guard shownLength > 0 else { return }
        shownLength = 0
        for fd in outputs { try? FileSystem.writeAll(Array("\r\n".utf8), to: fd, name: "console") }
    }

    /// Whether Esc alone (not the start of an arrow key's sequence) arrived on a console.
    private func escapePressed() -> Bool {
        for fd in inputs {
            while let byte = Console.readByte(fd: fd, milliseconds: 0) {
                guard byte == 0x1B else { continue }
                guard let next = Console.readByte(fd: fd, milliseconds: 30) else { return true }
                if next == UInt8(ascii: "[") || next == UInt8(ascii: "O") {
                    _ = Console.readByte(fd: fd, milliseconds: 30)
                } else if next == 0x1B {
                    return true
                }
            }
        }
        return false
    }
}
