// Splits GRUB script text into tokens as GRUB's lexer (grub-core/script/yylex.l) does: words (quotes,
// escapes and variable references kept as parts), newlines, `;`, `{`, `}`, the operators GRUB lexes
// but its grammar rejects, and text it cannot lex (a `$` that starts no variable, an open quote).
// It works on UTF-8 bytes, as GRUB does: every special character is ASCII, and other bytes pass
// through untouched.

public enum GrubLexer {
    /// The bytes a text is lexed from: its UTF-8, without carriage returns when read as a file.
    static func bytes(of text: String, file: Bool) -> [UInt8] {
        // A native string's bytes are copied at once; others byte by byte.
        var text = text
        var bytes = text.withUTF8 { Array($0) }
        if file, contains(bytes, UInt8(ascii: "\r")) { bytes.removeAll { $0 == UInt8(ascii: "\r") } }
        return bytes
    }

    /// Whether `bytes` holds `byte`, looking at eight bytes at a time (most files have no `\r`,
    /// and the whole file is looked at).
    static func contains(_ bytes: [UInt8], _ byte: UInt8) -> Bool {
        bytes.withUnsafeBytes { raw in
            let ones: UInt64 = 0x0101_0101_0101_0101
            let pattern = UInt64(byte) &* ones
            var i = 0
            while i + 8 <= raw.count {
                // A zero byte in `x` is a byte equal to `byte` (the classic "has zero byte" test).
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
                if (x &- ones) & ~x & (ones &* 0x80) != 0 { return true }
                i += 8
            }
            while i < raw.count {
                if raw[i] == byte { return true }
                i += 1
            }
            return false
        }
    }

    /// The tokens of `text`. `file` says the text is read as GRUB reads a file, line by line:
    /// carriage returns are dropped and lines that start with `#` are skipped whole, even inside a
    /// quote that spans lines (a menu entry body or `eval` text is not read that way).
    public static func tokens(_ text: String, file: Bool = false) -> [GrubToken] {
        tokens(bytes: bytes(of: text, file: file), file: file)
    }

    static func tokens(bytes: [UInt8], file: Bool) -> [GrubToken] {
        var lexer = State(bytes)
        lexer.skipHashLines = file
        lexer.run()
        return lexer.tokens
    }

    private struct State {
        let s: [UInt8]
        var i = 0
        var line = 1
        var tokens: [GrubToken] = []
        // The word being read.
        var word = GrubWord()
        /// The quoting of the word's last part when that part is text; nil when it has no part or
        /// ends with a variable. Text with the same quoting joins that part.
        var lastTextQuoting: Bool?
        /// Text of the current part, collected before it becomes a part: a range of the source
        /// while it is one (most text is), else copied bytes.
        var pendingRange: Range<Int>?
        var pending: [UInt8] = []
        var pendingQuoted: Bool?
        var inWord = false
        var wordLine = 1
        var wordStart = 0
        var wordInvalid: String?
        var skipHashLines = false

        init(_ s: [UInt8]) {
            self.s = s
            tokens.reserveCapacity(s.count / 8)
        }

        static let newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#"), backslash = UInt8(ascii: "\\")
        static let singleQuote = UInt8(ascii: "'"), doubleQuote = UInt8(ascii: "\""), dollar = UInt8(ascii: "$")

        /// The byte at `j`, or nil past the end.
        func byte(at j: Int) -> UInt8? { j < s.count ? s[j] : nil }

        /// Moves `i` to the next newline (or the end).
        mutating func skipToNewline() {
            while i < s.count, s[i] != Self.newline { i += 1 }
        }

        /// At the start of a line inside a word: GRUB's reader never hands over lines starting with `#`.
        mutating func skipHashLinesHere() {
            guard skipHashLines else { return }
            while i < s.count, s[i] == Self.hash {
                skipToNewline()
                guard i < s.count else { return }
                i += 1
                line += 1
            }
        }

        mutating func startWord() {
            guard !inWord else { return }
            inWord = true
            wordLine = line
            wordStart = i
        }

        /// Starts a text part quoted or not, ending the one being collected when its quoting differs.
        mutating func beginText(quoted: Bool) {
            startWord()
            if pendingQuoted != quoted {
                flushText()
                pendingQuoted = quoted
            }
        }

        /// Appends bytes to the word's current text part; a change of quoting starts a new part.
        mutating func addText<C: Collection>(_ bytes: C, quoted: Bool) where C.Element == UInt8 {
            beginText(quoted: quoted)
            copyPendingRange()
            pending.append(contentsOf: bytes)
        }

        /// Appends source bytes `range` to the current text part, without copying while the
        /// part is one stretch of the source.
        mutating func addSource(_ range: Range<Int>, quoted: Bool) {
            beginText(quoted: quoted)
            if pending.isEmpty, let current = pendingRange, current.upperBound == range.lowerBound {
                pendingRange = current.lowerBound..<range.upperBound
            } else if pending.isEmpty, pendingRange == nil {
                pendingRange = range
            } else {
                copyPendingRange()
                pending.append(contentsOf: s[range])
            }
        }

        mutating func copyPendingRange() {
            guard let range = pendingRange else { return }
            pending.append(contentsOf: s[range])
            pendingRange = nil
        }

        /// Whether a byte ends a run of unquoted text: blanks, newlines, quotes, escapes, `$` and
        /// operators (` \t\n"$&';<>` below 64, `\{|}` above), as two bit masks.
        static func endsPlainText(_ c: UInt8) -> Bool {
            let low: UInt64 = 1 << 9 | 1 << 10 | 1 << 32 | 1 << 34 | 1 << 36 | 1 << 38 | 1 << 39 | 1 << 59 | 1 << 60 | 1 << 62
            let high: UInt64 = 1 << (92 - 64) | 1 << (123 - 64) | 1 << (124 - 64) | 1 << (125 - 64)
            return c < 64 ? (low >> UInt64(c)) & 1 != 0 : c < 128 && (high >> UInt64(c - 64)) & 1 != 0
        }

        /// Ends the text part being collected: merged with the previous part when quoting is the
        /// same; an empty quoted text is still a part ('' is an argument).
        mutating func flushText() {
            guard let quoted = pendingQuoted else { return }
            let text: String
            if let range = pendingRange {
                text = String(decoding: s[range], as: UTF8.self)
                pendingRange = nil
            } else {
                text = String(decoding: pending, as: UTF8.self)
                if !pending.isEmpty { pending.removeAll(keepingCapacity: true) }
            }
            pendingQuoted = nil
            if lastTextQuoting == quoted {
                if !text.isEmpty { word.extendLastText(text) }
            } else if !text.isEmpty || quoted {
                word.append(.text(text, quoted: quoted))
                lastTextQuoting = quoted
            }
        }

        mutating func endWord() {
            guard inWord else { return }
            flushText()
            let kind: GrubTokenKind = wordInvalid.map { .invalid($0) } ?? .word(word)
            tokens.append(GrubToken(kind: kind, line: wordLine, endLine: line, start: wordStart, end: i))
            word = GrubWord()
            lastTextQuoting = nil
            inWord = false
            wordInvalid = nil
        }

        mutating func emit(_ kind: GrubTokenKind, length: Int = 1) {
            endWord()
            tokens.append(GrubToken(kind: kind, line: line, start: i, end: i + length))
            i += length
        }

        /// Bytes in the UTF-8 sequence that starts with `lead` (1 for ASCII and stray bytes).
        static func sequenceLength(_ lead: UInt8) -> Int {
            switch lead {
            case 0xC0...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF7: 4
            default: 1
            }
        }

        static func isNameStart(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
        }
        static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) }
        static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        static func isSpecial(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || c == UInt8(ascii: "*") || c == UInt8(ascii: "@")
        }

        /// Where the variable name at `j` (a name, digits or one of `?#*@`) ends; nil when none starts there.
        func nameEnd(at j: Int) -> Int? {
            guard j < s.count else { return nil }
            var k = j
            if Self.isNameStart(s[j]) {
                while k < s.count, Self.isNameChar(s[k]) { k += 1 }
            } else if Self.isDigit(s[j]) {
                while k < s.count, Self.isDigit(s[k]) { k += 1 }
            } else if Self.isSpecial(s[j]) {
                k += 1
            } else {
                return nil
            }
            return k
        }

        /// Reads `$name`, `${name}`, `$1`, `$?`… at `i`; false when the `$` starts no variable
        /// (GRUB rejects the whole command then).
        mutating func readVariable(quoted: Bool) -> Bool {
            let name: Range<Int>
            let end: Int
            if byte(at: i + 1) == UInt8(ascii: "{") {
                guard let nameEnd = nameEnd(at: i + 2), byte(at: nameEnd) == UInt8(ascii: "}") else { return false }
                name = (i + 2)..<nameEnd
                end = nameEnd + 1
            } else {
                guard let nameEnd = nameEnd(at: i + 1) else { return false }
                name = (i + 1)..<nameEnd
                end = nameEnd
            }
            startWord()
            flushText()
            word.append(.variable(String(decoding: s[name], as: UTF8.self), quoted: quoted))
            lastTextQuoting = nil
            i = end
            return true
        }

        mutating func run() {
            while i < s.count {
                let c = s[i]
                if !Self.endsPlainText(c), c != Self.hash || inWord {
                    // A run of ordinary bytes is one piece of text (inside a word `#` is ordinary).
                    let start = i
                    i += 1
                    while i < s.count, !Self.endsPlainText(s[i]) { i += 1 }
                    addSource(start..<i, quoted: false)
                    continue
                }
                switch c {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    endWord()
                    i += 1
                case Self.newline:
                    emit(.newline)
                    line += 1
                case Self.hash:
                    skipToNewline()
                case Self.backslash:
                    guard let next = byte(at: i + 1) else {
                        i += 1
                        continue
                    }
                    if next == Self.newline {
                        i += 2
                        line += 1
                        if inWord { skipHashLinesHere() }
                    } else {
                        // A whole character is escaped, however many bytes it takes.
                        let end = min(s.count, i + 1 + Self.sequenceLength(next))
                        addSource((i + 1)..<end, quoted: true)
                        i = end
                    }
                case Self.singleQuote:
                    startWord()
                    i += 1
                    // Most quoted texts are one stretch of the source, taken as a range; one that
                    // spans lines is copied, as `#` lines inside it are skipped.
                    let start = i
                    while i < s.count, s[i] != Self.singleQuote, s[i] != Self.newline { i += 1 }
                    if byte(at: i) == Self.newline {
                        i = start
                        var text: [UInt8] = []
                        while i < s.count, s[i] != Self.singleQuote { takeQuoted(into: &text) }
                        addText(text, quoted: true)
                    } else {
                        addSource(start..<i, quoted: true)
                    }
                    if i >= s.count { wordInvalid = "a quote that is never closed" }
                    i += 1
                case Self.doubleQuote:
                    startWord()
                    i += 1
                    readDoubleQuoted()
                case Self.dollar:
                    if !readVariable(quoted: false) {
                        endWord()
                        emit(.invalid("'$' starts no variable"))
                    }
                case UInt8(ascii: ";"):
                    if byte(at: i + 1) == UInt8(ascii: ";") { emit(.unsupported(";;"), length: 2) } else { emit(.semicolon) }
                case UInt8(ascii: "{"):
                    emit(.leftBrace)
                case UInt8(ascii: "}"):
                    emit(.rightBrace)
                case UInt8(ascii: "&"), UInt8(ascii: "|"):
                    let op = String(UnicodeScalar(c))
                    if byte(at: i + 1) == c { emit(.unsupported(op + op), length: 2) } else { emit(.unsupported(op)) }
                default:  // `<`, `>`
                    emit(.unsupported(String(UnicodeScalar(c))))
                }
            }
            endWord()
        }

        /// The byte at `i` of a quoted text; a newline in it counts a line and skips `#` lines after it.
        mutating func takeQuoted(into text: inout [UInt8]) {
            let d = s[i]
            text.append(d)
            i += 1
            if d == Self.newline {
                line += 1
                skipHashLinesHere()
            }
        }

        /// After an opening `"`: `\"`, `\\`, `\$` are literal, backslash-newline joins lines, other
        /// backslashes stay; `$` must start a variable.
        mutating func readDoubleQuoted() {
            var producedPart = false
            while i < s.count, s[i] != Self.doubleQuote {
                let d = s[i]
                if d == Self.backslash, let next = byte(at: i + 1),
                   next == Self.doubleQuote || next == Self.backslash || next == Self.dollar || next == Self.newline {
                    i += 2
                    if next == Self.newline {
                        line += 1
                        skipHashLinesHere()
                    } else {
                        addSource((i - 1)..<i, quoted: true)
                        producedPart = true
                    }
                } else if d == Self.dollar {
                    if readVariable(quoted: true) {
                        producedPart = true
                    } else {
                        wordInvalid = "'$' starts no variable"
                        i += 1
                    }
                } else if d == Self.newline {
                    addSource(i..<(i + 1), quoted: true)
                    producedPart = true
                    i += 1
                    line += 1
                    skipHashLinesHere()
                } else {
                    // A run of plain text (a lone backslash included), as a range of the source.
                    let start = i
                    i += 1
                    while i < s.count {
                        let e = s[i]
                        if e == Self.doubleQuote || e == Self.backslash || e == Self.dollar || e == Self.newline { break }
                        i += 1
                    }
                    addSource(start..<i, quoted: true)
                    producedPart = true
                }
            }
            if i >= s.count { wordInvalid = "a quote that is never closed" }
            if !producedPart { addText(EmptyCollection<UInt8>(), quoted: true) }
            i += 1
        }
    }
}
