// Builds the syntax tree of a GRUB script from its tokens, following GRUB's grammar
// (grub-core/script/parser.y). A syntax error becomes a Diagnostic and the parser resumes at the
// next line, as GRUB drops a bad command and reads on.

public enum GrubParser {
    public static func parse(_ text: String, file: String) -> GrubScript {
        var parser = State(tokens: GrubLexer.tokens(text), file: file)
        var statements: [GrubStatement] = []
        // A syntax error drops the whole top-level command it is in (an `if … fi` spanning
        // lines included) and reading resumes after the line with the error, as in GRUB.
        while !parser.atEnd {
            let start = parser.position
            do {
                parser.skipDelimiters()
                guard !parser.atEnd else { break }
                if parser.current?.kind == .rightBrace || parser.keyword.map({ !topLevelKeywords.contains($0) }) == true {
                    parser.error("unexpected '\(parser.currentText)'")
                    parser.skipLine()
                    continue
                }
                statements.append(try parser.statement())
            } catch {
                if parser.position == start { parser.position += 1 }
                parser.skipLine()
            }
        }
        return GrubScript(statements: statements, diagnostics: parser.diagnostics)
    }

    /// Keywords that may start a command.
    static let topLevelKeywords: Set<String> = ["if", "for", "while", "until", "function", "menuentry", "submenu"]
    static let keywords: Set<String> = ["if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "function", "menuentry", "submenu"]

    private struct SyntaxError: Error {}

    private struct State {
        let tokens: [GrubToken]
        let file: String
        var position = 0
        var diagnostics: [Diagnostic] = []
        var depth = 0

        init(tokens: [GrubToken], file: String) {
            self.tokens = tokens
            self.file = file
        }

        var atEnd: Bool { position >= tokens.count }
        var current: GrubToken? { atEnd ? nil : tokens[position] }
        var line: Int { current?.line ?? tokens.last?.line ?? 1 }

        var currentText: String {
            switch current?.kind {
            case .word(let word)?: word.description
            case .newline?: "newline"
            case .semicolon?: ";"
            case .leftBrace?: "{"
            case .rightBrace?: "}"
            case .unsupported(let text)?: text
            case nil: "end of file"
            }
        }

        /// The keyword at the current position, when it is one (only bare words count).
        var keyword: String? {
            guard case .word(let word)? = current?.kind, let text = word.bareText, GrubParser.keywords.contains(text) else { return nil }
            return text
        }

        mutating func error(_ message: String) {
            diagnostics.append(Diagnostic(.error, "syntax error: \(message)", at: SourceLocation(file: file, line: line)))
        }

        mutating func skipDelimiters() {
            while let kind = current?.kind, kind == .newline || kind == .semicolon { position += 1 }
        }

        /// Skips to just after the next newline (error recovery).
        mutating func skipLine() {
            while let kind = current?.kind {
                position += 1
                if kind == .newline { return }
            }
        }

        /// Statements until one of `terminators` (a keyword at command position), a `}`, or the end.
        mutating func list(until terminators: Set<String>) throws(SyntaxError) -> [GrubStatement] {
            var statements: [GrubStatement] = []
            while true {
                skipDelimiters()
                guard let token = current else { return statements }
                if token.kind == .rightBrace { return statements }
                if let keyword, terminators.contains(keyword) { return statements }
                statements.append(try statement())
            }
        }

        mutating func statement() throws(SyntaxError) -> GrubStatement {
            let line = self.line
            switch keyword {
            case "if": return try conditional(line)
            case "while", "until": return try loop(line)
            case "for": return try forEach(line)
            case "function": return try function(line)
            case "menuentry", "submenu": return try menuEntry(line)
            case let other?:
                error("unexpected '\(other)'")
                throw SyntaxError()
            case nil:
                return try command(line)
            }
        }

        mutating func command(_ line: Int) throws(SyntaxError) -> GrubStatement {
            var words: [GrubWord] = []
            while let token = current {
                switch token.kind {
                case .word(let word):
                    words.append(word)
                    position += 1
                case .newline, .semicolon, .rightBrace:
                    return .command(words: words, line: line)
                case .leftBrace:
                    error("unexpected '{'")
                    throw SyntaxError()
                case .unsupported(let text):
                    error("'\(text)' is not part of GRUB's script language")
                    throw SyntaxError()
                }
            }
            return .command(words: words, line: line)
        }

        mutating func expectKeyword(_ word: String) throws(SyntaxError) {
            skipDelimiters()
            guard keyword == word else {
                error("expected '\(word)', found '\(currentText)'")
                throw SyntaxError()
            }
            position += 1
        }

        mutating func nested<T>(_ body: (inout State) throws(SyntaxError) -> T) throws(SyntaxError) -> T {
            depth += 1
            defer { depth -= 1 }
            guard depth < 200 else {
                error("nesting too deep")
                throw SyntaxError()
            }
            return try body(&self)
        }

        mutating func conditional(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                var clauses: [GrubClause] = []
                var otherwise: [GrubStatement]?
                p.position += 1  // if
                while true {
                    let condition = try p.list(until: ["then"])
                    try p.expectKeyword("then")
                    let body = try p.list(until: ["elif", "else", "fi"])
                    clauses.append(GrubClause(condition: condition, body: body))
                    p.skipDelimiters()
                    if p.keyword == "elif" {
                        p.position += 1
                        continue
                    }
                    if p.keyword == "else" {
                        p.position += 1
                        otherwise = try p.list(until: ["fi"])
                    }
                    try p.expectKeyword("fi")
                    return .conditional(clauses: clauses, otherwise: otherwise, line: line)
                }
            }
        }

        mutating func loop(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                let until = p.keyword == "until"
                p.position += 1
                let condition = try p.list(until: ["do"])
                try p.expectKeyword("do")
                let body = try p.list(until: ["done"])
                try p.expectKeyword("done")
                return .loop(condition: condition, body: body, until: until, line: line)
            }
        }

        mutating func forEach(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                p.position += 1
                guard case .word(let nameWord)? = p.current?.kind, let name = nameWord.bareText else {
                    p.error("expected a variable name after 'for'")
                    throw SyntaxError()
                }
                p.position += 1
                guard p.keyword == "in" else {
                    p.error("expected 'in', found '\(p.currentText)'")
                    throw SyntaxError()
                }
                p.position += 1
                var items: [GrubWord] = []
                while case .word(let word)? = p.current?.kind {
                    items.append(word)
                    p.position += 1
                }
                try p.expectKeyword("do")
                let body = try p.list(until: ["done"])
                try p.expectKeyword("done")
                return .forEach(variable: name, items: items, body: body, line: line)
            }
        }

        /// `{ list }` after a function or menu entry head; newlines may come before `{`.
        mutating func block() throws(SyntaxError) -> [GrubStatement] {
            while current?.kind == .newline { position += 1 }
            guard current?.kind == .leftBrace else {
                error("expected '{', found '\(currentText)'")
                throw SyntaxError()
            }
            position += 1
            let body = try list(until: [])
            guard current?.kind == .rightBrace else {
                error(atEnd ? "'{' not closed before end of file" : "expected '}', found '\(currentText)'")
                throw SyntaxError()
            }
            position += 1
            return body
        }

        mutating func function(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                p.position += 1
                guard case .word(let nameWord)? = p.current?.kind, let name = nameWord.literal else {
                    p.error("expected a function name")
                    throw SyntaxError()
                }
                p.position += 1
                return .function(name: name, body: try p.block(), line: line)
            }
        }

        mutating func menuEntry(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                let submenu = p.keyword == "submenu"
                p.position += 1
                var arguments: [GrubWord] = []
                while case .word(let word)? = p.current?.kind {
                    arguments.append(word)
                    p.position += 1
                }
                guard !arguments.isEmpty else {
                    p.error("\(submenu ? "submenu" : "menuentry") without a title")
                    throw SyntaxError()
                }
                return .menuEntry(arguments: arguments, body: try p.block(), submenu: submenu, line: line)
            }
        }
    }
}
