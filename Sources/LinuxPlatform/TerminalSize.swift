// The size of a terminal: the kernel's idea (TIOCGWINSZ) for the screen, and for a serial line
// the answer of the terminal itself to "where is the cursor?" after moving it far down-right.

import Glibc

public enum TerminalSize {
    /// (rows, columns) as the kernel knows them; nil when unknown (serial lines say 0×0).
    public static func kernel(fd: Int32) -> (rows: Int, columns: Int)? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return nil }
        return (Int(size.ws_row), Int(size.ws_col))
    }

    /// Asks the terminal on a serial line for its size (ESC[6n cursor position report); nil when
    /// it does not answer within `milliseconds`. Input is read raw meanwhile and restored after.
    public static func query(fd: Int32, milliseconds: Int = 200) -> (rows: Int, columns: Int)? {
        PendingQuery.ask(fd: fd, milliseconds: milliseconds)?.answer()
    }

    /// A size question sent and not yet answered: ask early, do other work, read the answer
    /// later, so a terminal that never answers costs no extra time.
    public struct PendingQuery {
        /// The descriptor the question was written to (the caller's to keep or close).
        public let descriptor: Int32
        let raw: RawInput
        let deadline: Int

        /// Sends the question; the terminal is read raw until `answer()`.
        public static func ask(fd: Int32, milliseconds: Int = 200) -> PendingQuery? {
            guard let raw = RawInput(terminal: fd) else { return nil }
            // Save the cursor, go as far down-right as the terminal allows, ask, restore.
            let question = Array("\u{1b}7\u{1b}[999;999H\u{1b}[6n\u{1b}8".utf8)
            try? FileSystem.writeAll(question, to: fd, name: "terminal")
            return PendingQuery(descriptor: fd, raw: raw, deadline: Processes.monotonicMilliseconds() + milliseconds)
        }

        /// The reported size, waiting at most until the deadline set when asking; restores the
        /// terminal's settings.
        public func answer() -> (rows: Int, columns: Int)? {
            let fd = descriptor
            defer { raw.restore() }
            var reply: [UInt8] = []
            while reply.last != UInt8(ascii: "R"), reply.count < 32 {
                let left = max(0, deadline - Processes.monotonicMilliseconds())
                guard let byte = Console.readByte(fd: fd, milliseconds: left) else { return nil }
                reply.append(byte)
            }
            // A terminal that answers twice must not leave bytes for the menu to read as keys.
            Processes.sleep(milliseconds: 20)
            _ = tcflush(fd, TCIFLUSH)
            return parseReport(reply)
        }
    }

    /// `ESC [ rows ; columns R` → (rows, columns).
    public static func parseReport(_ bytes: [UInt8]) -> (rows: Int, columns: Int)? {
        guard let start = bytes.lastIndex(of: 0x1b), bytes.last == UInt8(ascii: "R") else { return nil }
        let body = String(decoding: bytes[(start + 1)...].dropFirst().dropLast(), as: UTF8.self)
        let parts = body.split(separator: ";").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 8, parts[1] >= 20 else { return nil }
        return (parts[0], parts[1])
    }
}
