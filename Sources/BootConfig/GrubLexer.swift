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
        if file, bytes.contains(UInt8(ascii: "\r")) { bytes.removeAll { $0 == UInt8(ascii: "\r") } }
        return bytes
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
        var word = GrubWord([])
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
            tokens.reserveCapacity(s.count / 6)
        }

        static let newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#"), backslash = UInt8(ascii: "\\")
        static let singleQuote = UInt8(ascii: "'"), doubleQuote = UInt8(ascii: "\""), dollar = UInt8(ascii: "$")

        /// At the start of a line inside a word: GRUB's reader never hands over lines starting with `#`.
        mutating func skipHashLinesHere() {
            guard skipHashLines else { return }
            while peek() == Self.hash {
                while let d = peek(), d != Self.newline { i += 1 }
                guard peek() == Self.newline else { return }
                i += 1
                line += 1
            }
        }

        func peek(_ offset: Int = 0) -> UInt8? { i + offset < s.count ? s[i + offset] : nil }

        mutating func startWord() {
            guard !inWord else { return }
            inWord = true
            wordLine = line
            wordStart = i
        }

        /// Appends bytes to the word's current text part; a change of quoting starts a new part.
        mutating func addText<C: Collection>(_ bytes: C, quoted: Bool) where C.Element == UInt8 {
            startWord()
            if pendingQuoted != quoted {
                flushText()
                pendingQuoted = quoted
            }
            copyPendingRange()
            pending.append(contentsOf: bytes)
        }

        /// Appends source bytes `range` to the current text part, without copying while the
        /// part is one stretch of the source.
        mutating func addSource(_ range: Range<Int>, quoted: Bool) {
            startWord()
            if pendingQuoted != quoted {
                flushText()
                pendingQuoted = quoted
            }
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

        /// Bytes that end a run of unquoted text: blanks, newlines, quotes, escapes, `$` and operators.
        static let endsPlainText: [Bool] = (0...255).map { byte in
            " \t\n\\'\"$;{}&|<>".utf8.contains(UInt8(byte))
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
            if case .text(let previous, let q)? = word.parts.last, q == quoted {
                word.replaceLast(with: .text(previous + text, quoted: quoted))
            } else if !text.isEmpty || quoted {
                word.append(.text(text, quoted: quoted))
            }
        }

        mutating func endWord() {
            guard inWord else { return }
            flushText()
            let kind: GrubTokenKind = wordInvalid.map { .invalid($0) } ?? .word(word)
            tokens.append(GrubToken(kind: kind, line: wordLine, endLine: line, start: wordStart, end: i))
            word = GrubWord([])
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

        /// The variable name at `j` (a name, digits or one of `?#*@`), and where it ends.
        func name(at j: Int) -> (String, Int)? {
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
            return (String(decoding: s[j..<k], as: UTF8.self), k)
        }

        /// Reads `$name`, `${name}`, `$1`, `$?`… at `i`; false when the `$` starts no variable
        /// (GRUB rejects the whole command then).
        mutating func readVariable(quoted: Bool) -> Bool {
            var found: (String, Int)?
            if peek(1) == UInt8(ascii: "{") {
                if let (n, end) = name(at: i + 2), end < s.count, s[end] == UInt8(ascii: "}") { found = (n, end + 1) }
            } else {
                found = name(at: i + 1)
            }
            guard let (n, end) = found else { return false }
            startWord()
            flushText()
            word.append(.variable(n, quoted: quoted))
            i = end
            return true
        }

        mutating func run() {
            let endsPlainText = Self.endsPlainText
            while let c = peek() {
                switch c {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    endWord()
                    i += 1
                case Self.newline:
                    emit(.newline)
                    line += 1
                case Self.hash where !inWord:
                    while let d = peek(), d != Self.newline { i += 1 }
                case Self.backslash:
                    if let next = peek(1) {
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
                    } else {
                        i += 1
                    }
                case Self.singleQuote:
                    startWord()
                    i += 1
                    // Most quoted texts are one stretch of the source, taken as a range; one that
                    // spans lines is copied, as `#` lines inside it are skipped.
                    let start = i
                    while let d = peek(), d != Self.singleQuote, d != Self.newline { i += 1 }
                    if peek() == Self.newline {
                        i = start
                        var text: [UInt8] = []
                        while let d = peek(), d != Self.singleQuote { takeQuoted(d, into: &text) }
                        addText(text, quoted: true)
                    } else {
                        addSource(start..<i, quoted: true)
                    }
                    if peek() == nil { wordInvalid = "a quote that is never closed" }
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
                    if peek(1) == UInt8(ascii: ";") { emit(.unsupported(";;"), length: 2) } else { emit(.semicolon) }
                case UInt8(ascii: "{"):
                    emit(.leftBrace)
                case UInt8(ascii: "}"):
                    emit(.rightBrace)
                case UInt8(ascii: "&"), UInt8(ascii: "|"):
                    let op = String(UnicodeScalar(c))
                    if peek(1) == c { emit(.unsupported(op + op), length: 2) } else { emit(.unsupported(op)) }
                case UInt8(ascii: "<"), UInt8(ascii: ">"):
                    emit(.unsupported(String(UnicodeScalar(c))))
                default:
                    // A run of ordinary bytes is one piece of text (inside a word `#` is ordinary).
                    let start = i
                    i += 1
                    while i < s.count, !endsPlainText[Int(s[i])] { i += 1 }
                    addSource(start..<i, quoted: false)
                }
            }
            endWord()
        }

        /// One byte of a quoted text; a newline in it counts a line and skips `#` lines after it.
        mutating func takeQuoted(_ d: UInt8, into text: inout [UInt8]) {
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
            while let d = peek(), d != Self.doubleQuote {
                if d == Self.backslash, let next = peek(1),
                   next == Self.doubleQuote || next == Self.backslash || next == Self.dollar || next == Self.newline {
                    i += 2
                    if next == Self.newline {
                        line += 1
                        skipHashLinesHere()
                    } else {
                        addText(CollectionOfOne(next), quoted: true)
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
                    while let e = peek(), e != Self.doubleQuote, e != Self.backslash, e != Self.dollar, e != Self.newline { i += 1 }
                    addSource(start..<i, quoted: true)
                    producedPart = true
                }
            }
            if peek() == nil { wordInvalid = "a quote that is never closed" }
            if !producedPart { addText(EmptyCollection<UInt8>(), quoted: true) }
            i += 1
        }
    }
}
