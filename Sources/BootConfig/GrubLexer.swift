// Splits GRUB script text into tokens as GRUB's lexer (grub-core/script/yylex.l) does: words (quotes,
// escapes and variable references kept as parts), newlines, `;`, `{`, `}`, the operators GRUB lexes
// but its grammar rejects, and text it cannot lex (a `$` that starts no variable, an open quote).

public enum GrubLexer {
    /// The tokens of `text`. `file` says the text is read as GRUB reads a file, line by line:
    /// carriage returns are dropped and lines that start with `#` are skipped whole, even inside a
    /// quote that spans lines (a menu entry body or `eval` text is not read that way).
    public static func tokens(_ text: String, file: Bool = false) -> [GrubToken] {
        var scalars = Array(text.unicodeScalars)
        if file { scalars.removeAll { $0 == "\r" } }
        var lexer = State(scalars)
        lexer.skipHashLines = file
        lexer.run()
        return lexer.tokens
    }

    private struct State {
        let s: [Unicode.Scalar]
        var i = 0
        var line = 1
        var tokens: [GrubToken] = []
        // The word being read.
        var parts: [GrubWordPart] = []
        var inWord = false
        var wordLine = 1
        var wordStart = 0
        var wordInvalid: String?
        var skipHashLines = false

        init(_ s: [Unicode.Scalar]) { self.s = s }

        /// At the start of a line inside a word: GRUB's reader never hands over lines starting with `#`.
        mutating func skipHashLinesHere() {
            guard skipHashLines else { return }
            while peek() == "#" {
                while let d = peek(), d != "\n" { i += 1 }
                guard peek() == "\n" else { return }
                i += 1
                line += 1
            }
        }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

        mutating func startWord() {
            guard !inWord else { return }
            inWord = true
            wordLine = line
            wordStart = i
        }

        /// Appends text to the word, merged with the previous part when quoting is the same.
        mutating func addText(_ text: String, quoted: Bool) {
            startWord()
            if case .text(let previous, let q)? = parts.last, q == quoted {
                parts[parts.count - 1] = .text(previous + text, quoted: quoted)
            } else if !text.isEmpty || quoted {
                parts.append(.text(text, quoted: quoted))
            }
        }

        mutating func endWord() {
            guard inWord else { return }
            let kind: GrubTokenKind = wordInvalid.map { .invalid($0) } ?? .word(GrubWord(parts))
            tokens.append(GrubToken(kind: kind, line: wordLine, endLine: line, start: wordStart, end: i))
            parts = []
            inWord = false
            wordInvalid = nil
        }

        mutating func emit(_ kind: GrubTokenKind, length: Int = 1) {
            endWord()
            tokens.append(GrubToken(kind: kind, line: line, start: i, end: i + length))
            i += length
        }

        static func isNameStart(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
        }
        static func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || isDigit(c) }
        static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        static func isSpecial(_ c: Unicode.Scalar) -> Bool { c == "?" || c == "#" || c == "*" || c == "@" }

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
            return (String(String.UnicodeScalarView(s[j..<k])), k)
        }

        /// Reads `$name`, `${name}`, `$1`, `$?`… at `i`; false when the `$` starts no variable
        /// (GRUB rejects the whole command then).
        mutating func readVariable(quoted: Bool) -> Bool {
            var found: (String, Int)?
            if peek(1) == "{" {
                if let (n, end) = name(at: i + 2), end < s.count, s[end] == "}" { found = (n, end + 1) }
            } else {
                found = name(at: i + 1)
            }
            guard let (n, end) = found else { return false }
            startWord()
            parts.append(.variable(n, quoted: quoted))
            i = end
            return true
        }

        mutating func run() {
            while let c = peek() {
                switch c {
                case " ", "\t":
                    endWord()
                    i += 1
                case "\n":
                    emit(.newline)
                    line += 1
                case "#" where !inWord:
                    while let d = peek(), d != "\n" { i += 1 }
                case "\\":
                    if let next = peek(1) {
                        i += 2
                        if next == "\n" {
                            line += 1
                            if inWord { skipHashLinesHere() }
                        } else {
                            addText(String(next), quoted: true)
                        }
                    } else {
                        i += 1
                    }
                case "'":
                    startWord()
                    i += 1
                    var text = ""
                    while let d = peek(), d != "'" {
                        text.unicodeScalars.append(d)
                        i += 1
                        if d == "\n" {
                            line += 1
                            skipHashLinesHere()
                        }
                    }
                    if peek() == nil { wordInvalid = "a quote that is never closed" }
                    addText(text, quoted: true)
                    i += 1
                case "\"":
                    startWord()
                    i += 1
                    readDoubleQuoted()
                case "$":
                    if !readVariable(quoted: false) {
                        endWord()
                        emit(.invalid("'$' starts no variable"))
                    }
                case ";":
                    if peek(1) == ";" { emit(.unsupported(";;"), length: 2) } else { emit(.semicolon) }
                case "{":
                    emit(.leftBrace)
                case "}":
                    emit(.rightBrace)
                case "&", "|":
                    if peek(1) == c { emit(.unsupported(String(c) + String(c)), length: 2) } else { emit(.unsupported(String(c))) }
                case "<", ">":
                    emit(.unsupported(String(c)))
                default:
                    addText(String(c), quoted: false)
                    i += 1
                }
            }
            endWord()
        }

        /// After an opening `"`: `\"`, `\\`, `\$` are literal, backslash-newline joins lines, other
        /// backslashes stay; `$` must start a variable.
        mutating func readDoubleQuoted() {
            var text = ""
            var producedPart = false
            func flush(_ state: inout State) {
                if !text.isEmpty {
                    state.addText(text, quoted: true)
                    producedPart = true
                }
                text = ""
            }
            while let d = peek(), d != "\"" {
                if d == "\\", let next = peek(1), next == "\"" || next == "\\" || next == "$" || next == "\n" {
                    i += 2
                    if next == "\n" {
                        line += 1
                        skipHashLinesHere()
                    } else {
                        text.unicodeScalars.append(next)
                    }
                } else if d == "$" {
                    flush(&self)
                    if readVariable(quoted: true) {
                        producedPart = true
                    } else {
                        wordInvalid = "'$' starts no variable"
                        i += 1
                    }
                } else {
                    text.unicodeScalars.append(d)
                    i += 1
                    if d == "\n" {
                        line += 1
                        skipHashLinesHere()
                    }
                }
            }
            if peek() == nil { wordInvalid = "a quote that is never closed" }
            if !producedPart || !text.isEmpty { addText(text, quoted: true) }
            i += 1
        }
    }
}
