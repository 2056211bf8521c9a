// Splits GRUB script text into tokens: words (with quotes, escapes and variable references kept
// as parts), newlines, `;`, `{`, `}`. Comments and line continuations are dropped here.

public enum GrubLexer {
    public static func tokens(_ text: String) -> [GrubToken] {
        var lexer = State(Array(text.unicodeScalars))
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
        var pendingText = ""
        var pendingQuoted = false
        var inWord = false
        var wordLine = 1

        init(_ s: [Unicode.Scalar]) { self.s = s }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

        mutating func flushText() {
            if !pendingText.isEmpty { parts.append(.text(pendingText, quoted: pendingQuoted)) }
            pendingText = ""
        }

        mutating func appendText(_ c: Unicode.Scalar, quoted: Bool) {
            if !inWord { inWord = true; wordLine = line }
            if quoted != pendingQuoted { flushText(); pendingQuoted = quoted }
            pendingText.unicodeScalars.append(c)
        }

        /// Marks the start of a word even if nothing is appended (`''` is an empty argument).
        mutating func touchWord(quoted: Bool) {
            if !inWord { inWord = true; wordLine = line }
            if quoted && parts.isEmpty && pendingText.isEmpty { pendingQuoted = true }
        }

        mutating func endWord() {
            guard inWord else { return }
            flushText()
            if parts.isEmpty { parts = [.text("", quoted: true)] }
            tokens.append(GrubToken(kind: .word(GrubWord(parts)), line: wordLine))
            parts = []
            pendingQuoted = false
            inWord = false
        }

        mutating func emit(_ kind: GrubTokenKind) {
            endWord()
            tokens.append(GrubToken(kind: kind, line: line))
        }

        static func isNameStart(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
        }
        static func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || (c >= "0" && c <= "9") }
        static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

        /// Reads a variable reference after `$`; returns false when `$` is a plain character.
        mutating func readVariable(quoted: Bool) -> Bool {
            guard let next = peek(1) else { return false }
            var name = ""
            if next == "{" {
                var j = i + 2
                while j < s.count, s[j] != "}" { name.unicodeScalars.append(s[j]); j += 1 }
                guard j < s.count else { return false }  // no closing brace: literal text
                line += s[i..<j].filter { $0 == "\n" }.count
                i = j + 1
            } else if Self.isNameStart(next) {
                var j = i + 1
                while j < s.count, Self.isNameChar(s[j]) { name.unicodeScalars.append(s[j]); j += 1 }
                i = j
            } else if Self.isDigit(next) {
                var j = i + 1
                while j < s.count, Self.isDigit(s[j]) { name.unicodeScalars.append(s[j]); j += 1 }
                i = j
            } else if next == "?" || next == "#" || next == "@" || next == "*" {
                name = String(next)
                i += 2
            } else {
                return false
            }
            if !inWord { inWord = true; wordLine = line }
            flushText()
            parts.append(.variable(name, quoted: quoted))
            return true
        }

        mutating func run() {
            while let c = peek() {
                switch c {
                case " ", "\t", "\r":
                    endWord()
                    i += 1
                case "\n":
                    emit(.newline)
                    line += 1
                    i += 1
                case "#" where !inWord:
                    while let d = peek(), d != "\n" { i += 1 }
                case "\\":
                    if let next = peek(1) {
                        if next == "\n" { line += 1 } else { appendText(next, quoted: true) }
                        i += 2
                    } else {
                        i += 1
                    }
                case "'":
                    touchWord(quoted: true)
                    i += 1
                    while let d = peek(), d != "'" {
                        if d == "\n" { line += 1 }
                        appendText(d, quoted: true)
                        i += 1
                    }
                    i += 1
                case "\"":
                    touchWord(quoted: true)
                    i += 1
                    readDoubleQuoted()
                case "$":
                    if !readVariable(quoted: false) {
                        appendText(c, quoted: false)
                        i += 1
                    }
                case ";":
                    if peek(1) == ";" { emit(.unsupported(";;")); i += 2 } else { emit(.semicolon); i += 1 }
                case "{":
                    emit(.leftBrace)
                    i += 1
                case "}":
                    emit(.rightBrace)
                    i += 1
                case "&", "|":
                    if peek(1) == c { emit(.unsupported(String(c) + String(c))); i += 2 } else { emit(.unsupported(String(c))); i += 1 }
                case "<", ">":
                    emit(.unsupported(String(c)))
                    i += 1
                default:
                    appendText(c, quoted: false)
                    i += 1
                }
            }
            endWord()
        }

        mutating func readDoubleQuoted() {
            while let d = peek(), d != "\"" {
                if d == "\\", let next = peek(1), next == "\"" || next == "\\" || next == "$" || next == "\n" {
                    if next == "\n" { line += 1 } else { appendText(next, quoted: true) }
                    i += 2
                } else if d == "$", readVariable(quoted: true) {
                    continue
                } else {
                    if d == "\n" { line += 1 }
                    appendText(d, quoted: true)
                    i += 1
                }
            }
            i += 1
        }
    }
}
