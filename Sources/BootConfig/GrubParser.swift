// Builds the syntax tree of a GRUB script from its tokens, following GRUB's grammar
// (grub-core/script/parser.y): a chunk is one line, or more while a construct or quote is open; a
// syntax error drops its whole chunk and reading resumes on the line after the error, as in GRUB.

public enum GrubParser {
    /// Parses a file as GRUB's config reader feeds it to the parser (see `GrubLexer.tokens(_:file:)`).
    public static func parse(_ text: String, file: String) -> GrubScript {
        parseText(text, file: file, asFile: true)
    }

    /// Parses text as given (a menu entry body, `eval`'s words), or as GRUB reads a file.
    static func parseText(_ text: String, file: String, asFile: Bool = false) -> GrubScript {
        let bytes = GrubLexer.bytes(of: text, file: asFile)
        var parser = State(tokens: GrubLexer.tokens(bytes: bytes, file: asFile), text: GrubBlock.Text(bytes), file: file)
        var chunks: [[GrubStatement]] = []
        while !parser.atEnd {
            if parser.currentClass == .newline {
                parser.position += 1
                continue
            }
            do {
                chunks.append(try parser.chunk())
            } catch {
                parser.recover()
            }
        }
        return GrubScript(chunks: chunks, diagnostics: parser.diagnostics)
    }

    /// Reserved words of GRUB's lexer. They end lists where the grammar expects them, are
    /// ordinary arguments after a command's first word, and are errors where a command should start.
    enum Keyword: String {
        case `if`, then, elif, `else`, fi, `for`, `in`, `do`, done, `while`, until, function, `case`, esac, select

        /// The keyword a word is: only plain unquoted text counts.
        init?(_ word: GrubWord) {
            // Most words are commands and arguments: length and first letter rule them out cheaply.
            guard let text = word.bareText, (2...8).contains(text.utf8.count), let first = text.utf8.first,
                  let candidates = Self.startingWith(first) else { return nil }
            // Keywords are short: comparing with the few that share the first letter is cheaper
            // than a general string switch.
            guard let keyword = candidates.first(where: { $0.rawValue == text }) else { return nil }
            self = keyword
        }

        /// The keywords that start with a byte, nil for a byte none starts with.
        static func startingWith(_ byte: UInt8) -> [Keyword]? {
            switch byte {
            case UInt8(ascii: "i"): [.if, .in]
            case UInt8(ascii: "t"): [.then]
            case UInt8(ascii: "e"): [.elif, .else, .esac]
            case UInt8(ascii: "f"): [.fi, .for, .function]
            case UInt8(ascii: "d"): [.do, .done]
            case UInt8(ascii: "w"): [.while]
            case UInt8(ascii: "u"): [.until]
            case UInt8(ascii: "c"): [.case]
            case UInt8(ascii: "s"): [.select]
            default: nil
            }
        }
    }

    /// Lexed by GRUB as tokens no rule accepts.
    static func isRejected(_ word: GrubWord) -> Bool {
        guard let text = word.bareText, text.utf8.count == 2, let first = text.utf8.first,
              first == UInt8(ascii: "[") || first == UInt8(ascii: "]") else { return false }
        return text == "[[" || text == "]]"
    }

    private struct SyntaxError: Error {}

    /// What a token is, without its payload: the parser asks this far more often than it needs a
    /// word, and asking it copies nothing.
    private enum TokenClass {
        case word, newline, semicolon, leftBrace, rightBrace, unsupported, invalid, end

        init(_ kind: GrubTokenKind) {
            self = switch kind {
            case .word: .word
            case .newline: .newline
            case .semicolon: .semicolon
            case .leftBrace: .leftBrace
            case .rightBrace: .rightBrace
            case .unsupported: .unsupported
            case .invalid: .invalid
            }
        }
    }

    private struct State {
        let tokens: [GrubToken]
        /// The reserved word each token is, found once.
        let keywords: [Keyword?]
        /// What each token is, found once.
        let classes: [TokenClass]
        let text: GrubBlock.Text
        var scalars: [UInt8] { text.bytes }
        let file: String
        var position = 0
        var diagnostics: [Diagnostic] = []
        var depth = 0
        /// The token at which the last syntax error was found.
        var errorAt = 0

        init(tokens: [GrubToken], text: GrubBlock.Text, file: String) {
            self.tokens = tokens
            var keywords: [Keyword?] = []
            var classes: [TokenClass] = []
            keywords.reserveCapacity(tokens.count)
            classes.reserveCapacity(tokens.count)
            for index in tokens.indices {
                let tokenClass = TokenClass(tokens[index].kind)
                classes.append(tokenClass)
                if tokenClass == .word, case .word(let word) = tokens[index].kind {
                    keywords.append(Keyword(word))
                } else {
                    keywords.append(nil)
                }
            }
            self.keywords = keywords
            self.classes = classes
            self.text = text
            self.file = file
        }

        var atEnd: Bool { position >= tokens.count }
        var current: GrubToken? { atEnd ? nil : tokens[position] }
        var currentClass: TokenClass { atEnd ? .end : classes[position] }
        var currentLine: Int? { atEnd ? nil : tokens[position].line }
        /// Whether the current token ends a command: `;` or a newline.
        var atDelimiter: Bool { currentClass == .semicolon || currentClass == .newline }
        var previousEndLine: Int { position > 0 && position <= tokens.count ? tokens[position - 1].endLine : 1 }

        var currentText: String {
            switch current?.kind {
            case .word(let word)?: word.description
            case .newline?: "end of line"
            case .semicolon?: ";"
            case .leftBrace?: "{"
            case .rightBrace?: "}"
            case .unsupported(let text)?: text
            case .invalid(let text)?: text
            case nil: "end of file"
            }
        }

        /// The reserved word at the current position, when it is one (only unquoted words count).
        var keyword: Keyword? { atEnd ? nil : keywords[position] }

        func isName(_ word: GrubWord) -> Bool {
            guard let text = word.bareText, Keyword(word) == nil, let first = text.unicodeScalars.first else { return false }
            let isStart = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
            return isStart(first) && text.unicodeScalars.allSatisfy { isStart($0) || ($0 >= "0" && $0 <= "9") }
        }

        mutating func fail(_ message: String) -> SyntaxError {
            errorAt = position
            let line = currentLine ?? tokens.last?.endLine ?? 1
            let detail: String = if case .invalid(let why)? = current?.kind { why } else { message }
            diagnostics.append(Diagnostic(.error, "syntax error: \(detail)", at: SourceLocation(file: file, line: line)))
            return SyntaxError()
        }

        /// After a syntax error: GRUB drops the rest of the line the error was found on.
        mutating func recover() {
            guard errorAt < tokens.count else {
                position = tokens.count
                return
            }
            let line = tokens[errorAt].endLine
            position = max(position, errorAt)
            while let current = currentLine, current <= line { position += 1 }
        }

        /// One chunk: statements, each ending with `;` or a newline, up to the end of a line.
        mutating func chunk() throws(SyntaxError) -> [GrubStatement] {
            var statements: [GrubStatement] = []
            while true {
                if let statement = try statement(topLevel: true) { statements.append(statement) }
                switch currentClass {
                case .end:
                    return statements
                case .newline:
                    position += 1
                    return statements
                case .semicolon:
                    position += 1
                    if atEnd { return statements }
                    if currentClass == .newline {
                        position += 1
                        return statements
                    }
                default:
                    throw fail("unexpected '\(currentText)'")
                }
            }
        }

        /// A command, or at the top level of a chunk also a function definition.
        mutating func statement(topLevel: Bool) throws(SyntaxError) -> GrubStatement? {
            let line = currentLine ?? 1
            switch keyword {
            case .if?: return try conditional(line)
            case .while?, .until?: return try loop(line)
            case .for?: return try forEach(line)
            case .function? where topLevel: return try function(line)
            case let other?: throw fail("unexpected '\(other.rawValue)'")
            case nil: break
            }
            guard currentClass == .word, case .word(let first) = tokens[position].kind else { throw fail("unexpected '\(currentText)'") }
            if GrubParser.isRejected(first) { throw fail("unexpected '\(first)'") }
            position += 1
            var words: [GrubWord] = []
            var end = position
            while end < classes.count, classes[end] == .word { end += 1 }
            words.reserveCapacity(1 + end - position)
            words.append(first)
            while true {
                switch currentClass {
                case .word:
                    guard case .word(let word) = tokens[position].kind else { throw fail("") }
                    if GrubParser.isRejected(word) { throw fail("unexpected '\(word)'") }
                    words.append(word)
                    position += 1
                case .leftBrace:
                    return .command(words: words, block: try block(), line: line)
                case .newline, .semicolon, .rightBrace, .end:
                    return .command(words: words, block: nil, line: line)
                case .unsupported:
                    throw fail("'\(currentText)' is not part of GRUB's script language")
                case .invalid:
                    throw fail("")
                }
            }
        }

        /// GRUB's `commands1`: one or more commands separated by `;` or newlines, up to one of
        /// `terminators` or `}`. Says whether the list ended with a delimiter, which most callers need.
        mutating func list(until terminators: [Keyword]) throws(SyntaxError) -> (statements: [(GrubStatement, Int, Int)], delimited: Bool) {
            var items: [(GrubStatement, Int, Int)] = []
            while currentClass == .newline { position += 1 }
            while true {
                let firstLine = currentLine ?? 1
                guard let statement = try statement(topLevel: false) else { throw fail("expected a command") }
                items.append((statement, firstLine, previousEndLine))
                guard atDelimiter else { return (items, false) }
                position += 1
                while currentClass == .newline { position += 1 }
                if atEnd || currentClass == .rightBrace { return (items, true) }
                if let keyword, terminators.contains(keyword) { return (items, true) }
            }
        }

        mutating func delimitedList(until terminators: [Keyword]) throws(SyntaxError) -> [GrubStatement] {
            let (items, delimited) = try list(until: terminators)
            guard delimited else { throw fail("expected ';' or a new line, found '\(currentText)'") }
            return items.map(\.0)
        }

        mutating func expectKeyword(_ word: Keyword) throws(SyntaxError) {
            guard keyword == word else { throw fail("expected '\(word.rawValue)', found '\(currentText)'") }
            position += 1
        }

        mutating func nested<T>(_ body: (inout State) throws(SyntaxError) -> T) throws(SyntaxError) -> T {
            depth += 1
            defer { depth -= 1 }
            guard depth < 200 else { throw fail("nesting too deep") }
            return try body(&self)
        }

        mutating func conditional(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                var clauses: [GrubClause] = []
                var otherwise: [GrubStatement]?
                p.position += 1  // if
                while true {
                    let condition = try p.delimitedList(until: [.then])
                    try p.expectKeyword(.then)
                    let body = try p.delimitedList(until: [.elif, .else, .fi])
                    clauses.append(GrubClause(condition: condition, body: body))
                    if p.keyword == .elif {
                        p.position += 1
                        continue
                    }
                    if p.keyword == .else {
                        p.position += 1
                        otherwise = try p.delimitedList(until: [.fi])
                    }
                    try p.expectKeyword(.fi)
                    return .conditional(clauses: clauses, otherwise: otherwise, line: line)
                }
            }
        }

        mutating func loop(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                let until = p.keyword == .until
                p.position += 1
                let condition = try p.delimitedList(until: [.do])
                let body = try p.doBlock()
                return .loop(condition: condition, body: body, until: until, line: line)
            }
        }

        /// `do LIST done`, the body of `while`, `until` and `for`.
        mutating func doBlock() throws(SyntaxError) -> [GrubStatement] {
            try expectKeyword(.do)
            let body = try delimitedList(until: [.done])
            try expectKeyword(.done)
            return body
        }

        mutating func forEach(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                p.position += 1
                guard case .word(let nameWord)? = p.current?.kind, p.isName(nameWord), let name = nameWord.bareText else {
                    throw p.fail("expected a variable name after 'for', found '\(p.currentText)'")
                }
                p.position += 1
                try p.expectKeyword(.in)
                var items: [GrubWord] = []
                while case .word(let word)? = p.current?.kind {
                    if GrubParser.isRejected(word) { throw p.fail("unexpected '\(word)'") }
                    items.append(word)
                    p.position += 1
                }
                guard p.atDelimiter else {
                    throw p.fail("expected ';' or a new line, found '\(p.currentText)'")
                }
                p.position += 1
                while p.currentClass == .newline { p.position += 1 }
                let body = try p.doBlock()
                return .forEach(variable: name, items: items, body: body, line: line)
            }
        }

        mutating func function(_ line: Int) throws(SyntaxError) -> GrubStatement {
            try nested { (p: inout State) throws(SyntaxError) -> GrubStatement in
                p.position += 1
                guard case .word(let nameWord)? = p.current?.kind, p.isName(nameWord), let name = nameWord.bareText else {
                    throw p.fail("expected a function name, found '\(p.currentText)'")
                }
                p.position += 1
                if p.atDelimiter {
                    p.position += 1
                    while p.currentClass == .newline { p.position += 1 }
                }
                guard p.currentClass == .leftBrace else { throw p.fail("expected '{', found '\(p.currentText)'") }
                p.position += 1
                let body = try p.delimitedList(until: [])
                guard p.currentClass == .rightBrace else { throw p.fail("expected '}', found '\(p.currentText)'") }
                p.position += 1
                return .function(name: name, body: body, line: line)
            }
        }

        /// `{ commands }` ending a command; its text is kept, and its commands grouped by line.
        mutating func block() throws(SyntaxError) -> GrubBlock {
            try nested { (p: inout State) throws(SyntaxError) -> GrubBlock in
                guard !p.atEnd else { throw p.fail("expected '{'") }
                let openEnd = p.tokens[p.position].end
                p.position += 1
                let (items, _) = try p.list(until: [])
                guard p.currentClass == .rightBrace else {
                    throw p.fail(p.atEnd ? "'{' not closed before end of file" : "expected '}', found '\(p.currentText)'")
                }
                let closeStart = p.tokens[p.position].start
                p.position += 1
                var chunks: [[GrubStatement]] = []
                var chunkEnd = 0
                for (statement, first, last) in items {
                    if chunks.isEmpty || first > chunkEnd { chunks.append([]) }
                    chunks[chunks.count - 1].append(statement)
                    chunkEnd = max(chunkEnd, last)
                }
                let lower = min(max(openEnd, 0), p.scalars.count)
                let upper = min(max(closeStart, lower), p.scalars.count)
                return GrubBlock(text: p.text, range: lower..<upper, chunks: chunks)
            }
        }
    }
}
