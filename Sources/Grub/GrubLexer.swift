// Splits GRUB script text into tokens as GRUB's lexer (grub-core/script/yylex.l) does: words (quotes,
// escapes and variable references kept as parts), newlines, `;`, `{`, `}`, the operators GRUB lexes
// but its grammar rejects, and text it cannot lex (a `$` that starts no variable, an open quote).
// It works on UTF-8 bytes, as GRUB does: every special character is ASCII, and other bytes pass
// through untouched.

import BootModel

public enum GrubLexer {
    /// What the lexer found, kept compact: tokens and word parts are plain values that point into
    /// the bytes, so making, copying and freeing them costs no reference counting; the parser
    /// makes strings only for the words it keeps.
    struct Output {
        /// The text lexed (see `bytes(of:file:)`), and text that is no single stretch of it (an
        /// escape inside other text, a quote spanning lines with `#` lines left out).
        let bytes: [UInt8]
        var copied: [UInt8] = []
        var tokens: [Token] = []
        var parts: [Part] = []

        enum Kind: UInt8 {
            case word, newline, semicolon, leftBrace, rightBrace
            /// `&&`, `||`, `|`, `&`, `<`, `>`, `;;`: lexed by GRUB but used by no command of its grammar.
            case unsupported
            /// Text GRUB's lexer rejects (see `Problem`).
            case invalid
        }

        enum Problem: UInt8 {
            case unclosedQuote, strayDollar

            var message: String {
                switch self {
                case .unclosedQuote: "a quote that is never closed"
                case .strayDollar: "'$' starts no variable"
                }
            }
        }

        struct Token {
            var kind: Kind
            var problem: Problem?
            /// The reserved word a word is, when it is one (plain unquoted text only, as in GRUB).
            var keyword: GrubParser.Keyword?
            /// Whether the word is plain `[[` or `]]`, which GRUB's lexer makes tokens no rule accepts.
            var isDoubleBracket = false
            /// The line the token starts on, and the line it ends on (a quoted word may span lines).
            var line: Int
            var endLine: Int
            /// Offsets in `bytes` of the token's first byte and just past its last.
            var start: Int
            var end: Int
            /// The word's parts, indices in `parts`.
            var parts: Range<Int>
        }

        struct Part {
            var isVariable: Bool
            var quoted: Bool
            /// Whether `range` indexes `copied` rather than `bytes`.
            var isCopied: Bool
            /// The text, or the variable's name.
            var range: Range<Int>
        }

        /// The bytes of a part's text or name, in whichever buffer holds them.
        func bytes(of part: Part) -> ArraySlice<UInt8> {
            part.isCopied ? copied[part.range] : bytes[part.range]
        }

        /// A part's text, or variable name, as a string, from whichever of the buffers holds it.
        func text(of part: Part) -> String {
            let buffer = part.isCopied ? copied : bytes
            // Ranges come from the lexer and always fit; checked all the same.
            guard part.range.lowerBound >= 0, part.range.upperBound <= buffer.count else { return "" }
            return String(decoding: buffer[part.range], as: UTF8.self)
        }

        /// The word a word token is, as the public `GrubWord`.
        func word(_ token: Token) -> GrubWord {
            GrubWord(token.parts.clamped(to: parts.indices).map { index in
                let part = parts[index]
                let text = text(of: part)
                return part.isVariable ? .variable(text, quoted: part.quoted) : .text(text, quoted: part.quoted)
            })
        }

        /// The token as the public `GrubToken` (for tests and tools; the parser reads `Output`).
        func publicToken(_ token: Token) -> GrubToken {
            let kind: GrubTokenKind = switch token.kind {
            case .word: .word(word(token))
            case .newline: .newline
            case .semicolon: .semicolon
            case .leftBrace: .leftBrace
            case .rightBrace: .rightBrace
            case .unsupported: .unsupported(String(decoding: bytes[token.start..<token.end], as: UTF8.self))
            case .invalid: .invalid(token.problem?.message ?? "")
            }
            return GrubToken(kind: kind, line: token.line, endLine: token.endLine, start: token.start, end: token.end)
        }
    }

    /// The bytes a text is lexed from: its UTF-8, without carriage returns when read as a file.
    static func bytes(of text: String, file: Bool) -> [UInt8] {
        var bytes = Array(text.utf8)
        if file, contains(bytes, UInt8(ascii: "\r")) { bytes.removeAll { $0 == UInt8(ascii: "\r") } }
        return bytes
    }

    /// Whether `bytes` holds `byte` (a file's carriage returns are looked for once, whole).
    static func contains(_ bytes: [UInt8], _ byte: UInt8) -> Bool {
        bytes.contains(byte)
    }

    /// The tokens of `text`. `file` says the text is read as GRUB reads a file, line by line:
    /// carriage returns are dropped and lines that start with `#` are skipped whole, even inside a
    /// quote that spans lines (a menu entry body or `eval` text is not read that way).
    public static func tokens(_ text: String, file: Bool = false) -> [GrubToken] {
        let output = lex(bytes(of: text, file: file), file: file)
        return output.tokens.map(output.publicToken)
    }

    /// How many tokens `text` has, lexed as `tokens(_:file:)` lexes it but without making the
    /// public tokens' strings (the benchmark times the lexer alone with it).
    public static func countTokens(_ text: String, file: Bool = false) -> Int {
        lex(bytes(of: text, file: file), file: file).tokens.count
    }

    static func lex(_ bytes: [UInt8], file: Bool) -> Output {
        var lexer = State(bytes)
        lexer.skipHashLines = file
        lexer.run()
        return lexer.out
    }

    private struct State {
        let s: [UInt8]
        /// `ByteClass.table`, held here so that the inner loops do not ask for the global each time.
        let classes = ByteClass.table
        var out: Output
        var i = 0
        var line = 1
        /// Where the word being read starts in `out.parts`.
        var wordParts = 0
        /// The quoting of the word's last part when that part is text; nil when it has no part or
        /// ends with a variable. Text with the same quoting joins that part.
        var lastTextQuoting: Bool?
        /// Text of the current part, collected before it becomes a part: a range of the source
        /// while it is one (most text is), else copied to the end of `out.copied` from `copiedFrom`.
        var pendingRange: Range<Int>?
        var copiedFrom: Int?
        var pendingQuoted: Bool?
        var inWord = false
        var wordLine = 1
        var wordStart = 0
        var wordProblem: Output.Problem?
        var skipHashLines = false

        init(_ s: [UInt8]) {
            self.s = s
            out = Output(bytes: s)
            out.tokens.reserveCapacity(s.count / 8)
            out.parts.reserveCapacity(s.count / 10)
        }

        static let newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#"), backslash = UInt8(ascii: "\\")
        static let singleQuote = UInt8(ascii: "'"), doubleQuote = UInt8(ascii: "\""), dollar = UInt8(ascii: "$")

        /// The byte at `j`, or nil past the end.
        func byte(at j: Int) -> UInt8? { j < s.count ? s[j] : nil }

        /// Moves `i` to the next newline (or the end).
        mutating func skipToNewline() {
            i = scan(from: i, until: ByteClass.newline)
        }

        /// Where the run of bytes from `start` ends at a byte of one of the classes `stops`
        /// (`ByteClass` bits), or the end. The inner loops of the lexer: a table lookup per byte,
        /// kept to local variables (a loop over `self.i` stores it at every byte).
        func scan(from start: Int, until stops: UInt8) -> Int {
            // `classes` has an entry for every byte value; every access is checked.
            var j = start
            while j < s.count, classes[Int(s[j])] & stops == 0 { j += 1 }
            return j
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
            wordParts = out.parts.count
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
        mutating func addText(_ bytes: [UInt8], quoted: Bool) {
            beginText(quoted: quoted)
            startCopying()
            out.copied.append(contentsOf: bytes)
        }

        /// Appends source bytes `range` to the current text part, without copying while the
        /// part is one stretch of the source.
        mutating func addSource(_ range: Range<Int>, quoted: Bool) {
            beginText(quoted: quoted)
            if copiedFrom == nil, let current = pendingRange, current.upperBound == range.lowerBound {
                pendingRange = current.lowerBound..<range.upperBound
            } else if copiedFrom == nil, pendingRange == nil {
                pendingRange = range
            } else {
                startCopying()
                out.copied.append(contentsOf: s[range])
            }
        }

        /// Moves the current text to the end of `out.copied`, where what follows is added.
        mutating func startCopying() {
            guard copiedFrom == nil else { return }
            copiedFrom = out.copied.count
            if let range = pendingRange { out.copied.append(contentsOf: s[range]) }
            pendingRange = nil
        }

        /// What each byte is to the lexer, as bits of a table with an entry per byte: the one
        /// place that says which bytes end which runs.
        enum ByteClass {
            /// Blanks, newlines, quotes, escapes, `$` and the operators: ` \t\n"$&';<>\{|}`.
            static let endsPlainText: UInt8 = 1
            /// `"`, `\`, `$` and newline, inside double quotes.
            static let endsDoubleQuoted: UInt8 = 2
            /// `'` and newline, inside single quotes.
            static let endsSingleQuoted: UInt8 = 4
            static let newline: UInt8 = 8
            /// Every byte but a space or a tab.
            static let notBlank: UInt8 = 16

            static let table: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
                let c = UInt8(byte)
                var bits: UInt8 = 0
                if Array(" \t\n\"$&';<>\\{|}".utf8).contains(c) { bits |= endsPlainText }
                if c == State.doubleQuote || c == State.backslash || c == State.dollar || c == State.newline { bits |= endsDoubleQuoted }
                if c == State.singleQuote || c == State.newline { bits |= endsSingleQuoted }
                if c == State.newline { bits |= newline }
                if c != UInt8(ascii: " "), c != UInt8(ascii: "\t") { bits |= notBlank }
                return bits
            }
        }

        /// Ends the text part being collected: merged with the previous part when quoting is the
        /// same; an empty quoted text is still a part ('' is an argument).
        mutating func flushText() {
            // Most calls find nothing to end: that test is kept apart, where it can be inlined.
            if pendingQuoted != nil { endText() }
        }

        mutating func endText() {
            guard let quoted = pendingQuoted else { return }
            pendingQuoted = nil
            var part = Output.Part(isVariable: false, quoted: quoted, isCopied: false, range: 0..<0)
            if let from = copiedFrom {
                part.isCopied = true
                part.range = from..<out.copied.count
                copiedFrom = nil
            } else if let range = pendingRange {
                part.range = range
                pendingRange = nil
            }
            if lastTextQuoting == quoted, let last = out.parts.indices.last {
                // Joined to the previous part: both copied, one after the other.
                guard !part.range.isEmpty else { return }
                let previous = out.parts[last]
                let start = out.copied.count
                out.copied.append(contentsOf: out.bytes(of: previous))
                out.copied.append(contentsOf: out.bytes(of: part))
                out.parts[last].isCopied = true
                out.parts[last].range = start..<out.copied.count
            } else if !part.range.isEmpty || quoted {
                out.parts.append(part)
                lastTextQuoting = quoted
            }
        }

        mutating func endWord() {
            // As in `flushText`: most calls come between words.
            if inWord { finishWord() }
        }

        mutating func finishWord() {
            flushText()
            var token = Output.Token(
                kind: wordProblem == nil ? .word : .invalid, problem: wordProblem, line: wordLine, endLine: line,
                start: wordStart, end: i, parts: wordParts..<out.parts.count)
            if token.kind == .word, token.parts.count == 1 {
                let part = out.parts[token.parts.lowerBound]
                // Keywords are 2 to 8 bytes of unquoted text; so are `[[` and `]]`.
                if !part.isVariable, !part.quoted, (2...8).contains(part.range.count) {
                    let bytes = out.bytes(of: part)
                    if let keyword = GrubParser.Keyword(bytes: bytes) {
                        token.keyword = keyword
                    } else if bytes.count == 2, let first = bytes.first, first == UInt8(ascii: "[") || first == UInt8(ascii: "]") {
                        token.isDoubleBracket = bytes.last == first
                    }
                }
            }
            out.tokens.append(token)
            inWord = false
            lastTextQuoting = nil
            wordProblem = nil
        }

        mutating func emit(_ kind: Output.Kind, length: Int = 1, problem: Output.Problem? = nil) {
            endWord()
            out.tokens.append(Output.Token(
                kind: kind, problem: problem, line: line, endLine: line, start: i, end: i + length, parts: out.parts.count..<out.parts.count))
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
            out.parts.append(Output.Part(isVariable: true, quoted: quoted, isCopied: false, range: name))
            lastTextQuoting = nil
            i = end
            return true
        }

        mutating func run() {
            while i < s.count {
                let c = s[i]
                if classes[Int(c)] & ByteClass.endsPlainText == 0, c != Self.hash || inWord {
                    // A run of ordinary bytes is one piece of text (inside a word `#` is ordinary).
                    let start = i
                    startWord()
                    i = scan(from: i + 1, until: ByteClass.endsPlainText)
                    addSource(start..<i, quoted: false)
                    continue
                }
                switch c {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    endWord()
                    i = scan(from: i + 1, until: ByteClass.notBlank)
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
                    i = scan(from: i, until: ByteClass.endsSingleQuoted)
                    if byte(at: i) == Self.newline {
                        i = start
                        var text: [UInt8] = []
                        while i < s.count, s[i] != Self.singleQuote { takeQuoted(into: &text) }
                        addText(text, quoted: true)
                    } else {
                        addSource(start..<i, quoted: true)
                    }
                    if i >= s.count { wordProblem = .unclosedQuote }
                    i += 1
                case Self.doubleQuote:
                    startWord()
                    i += 1
                    readDoubleQuoted()
                case Self.dollar:
                    if !readVariable(quoted: false) {
                        endWord()
                        emit(.invalid, problem: .strayDollar)
                    }
                case UInt8(ascii: ";"):
                    if byte(at: i + 1) == UInt8(ascii: ";") { emit(.unsupported, length: 2) } else { emit(.semicolon) }
                case UInt8(ascii: "{"):
                    emit(.leftBrace)
                case UInt8(ascii: "}"):
                    emit(.rightBrace)
                case UInt8(ascii: "&"), UInt8(ascii: "|"):
                    emit(.unsupported, length: byte(at: i + 1) == c ? 2 : 1)
                default:  // `<`, `>`
                    emit(.unsupported)
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
                        wordProblem = .strayDollar
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
                    i = scan(from: i + 1, until: ByteClass.endsDoubleQuoted)
                    addSource(start..<i, quoted: true)
                    producedPart = true
                }
            }
            if i >= s.count { wordProblem = .unclosedQuote }
            if !producedPart { addText([], quoted: true) }
            i += 1
        }
    }
}
