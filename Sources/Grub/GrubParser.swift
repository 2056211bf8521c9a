// Builds the syntax tree of a GRUB script from its tokens, following GRUB's grammar
// (grub-core/script/parser.y): a chunk is one line, or more while a construct or quote is open; a
// syntax error drops its whole chunk and reading resumes on the line after the error, as in GRUB.

import BootModel

public enum GrubParser {
    /// Parses a file as GRUB's config reader feeds it to the parser (see `GrubLexer.tokens(_:file:)`).
    public static func parse(_ text: String, file: String) -> GrubScript {
        parseText(text, file: file, asFile: true)
    }

    /// Parses text as given (a menu entry body, `eval`'s words), or as GRUB reads a file.
    static func parseText(_ text: String, file: String, asFile: Bool = false) -> GrubScript {
        let bytes = GrubLexer.bytes(of: text, file: asFile)
        var parser = State(GrubLexer.lex(bytes, file: asFile), file: file)
        var chunks: [GrubProgram.Span] = []
        while !parser.atEnd {
            if parser.currentKind == .newline {
                parser.position += 1
                continue
            }
            do {
                chunks.append(try parser.chunk())
            } catch {
                parser.recover()
            }
        }
        // The file's chunks go last, after those of its blocks, so that they too are one run.
        let first = parser.chunks.count
        parser.chunks += chunks
        let program = GrubProgram(
            bytes: bytes, statements: parser.statements, words: parser.store.words, parts: parser.store.parts, strings: parser.store.strings,
            blocks: parser.blocks, clauses: parser.clauses, chunks: parser.chunks)
        return GrubScript(code: GrubCode(program: program, chunks: GrubProgram.Span(first, parser.chunks.count)), diagnostics: parser.diagnostics)
    }

    /// Reserved words of GRUB's lexer. They end lists where the grammar expects them, are
    /// ordinary arguments after a command's first word, and are errors where a command should start.
    enum Keyword: String, CaseIterable {
        case `if`, then, elif, `else`, fi, `for`, `in`, `do`, done, `while`, until, function, `case`, esac, select

        /// The keyword plain text is, from its bytes (the lexer asks this of every short
        /// unquoted word), or nil.
        init?(bytes: ArraySlice<UInt8>) {
            guard (2...8).contains(bytes.count), let keyword = Self.byPackedBytes[Self.pack(bytes)] else { return nil }
            self = keyword
        }

        /// Every keyword by its bytes packed big-endian into one integer: keywords are 2 to 8
        /// letters and a letter is never 0, so the integer also holds the length, and a word is
        /// looked up with no string made.
        private static let byPackedBytes: [UInt64: Keyword] = Dictionary(uniqueKeysWithValues: allCases.map { (pack($0.rawValue.utf8), $0) })

        private static func pack(_ bytes: some Collection<UInt8>) -> UInt64 {
            bytes.reduce(0) { $0 << 8 | UInt64($1) }
        }

        /// The keyword's bit in a `KeywordSet`.
        var bit: UInt32 {
            switch self {
            case .if: 1 << 0
            case .then: 1 << 1
            case .elif: 1 << 2
            case .else: 1 << 3
            case .fi: 1 << 4
            case .for: 1 << 5
            case .in: 1 << 6
            case .do: 1 << 7
            case .done: 1 << 8
            case .while: 1 << 9
            case .until: 1 << 10
            case .function: 1 << 11
            case .case: 1 << 12
            case .esac: 1 << 13
            case .select: 1 << 14
            }
        }
    }

    private struct SyntaxError: Error {}

    /// The keywords a list ends at, as bits (an array would be made on every call).
    private struct KeywordSet {
        let bits: UInt32
        static let none = KeywordSet(bits: 0)
        static let then = KeywordSet(bits: Keyword.then.bit)
        static let elseOrFi = KeywordSet(bits: Keyword.elif.bit | Keyword.else.bit | Keyword.fi.bit)
        static let fi = KeywordSet(bits: Keyword.fi.bit)
        static let `do` = KeywordSet(bits: Keyword.do.bit)
        static let done = KeywordSet(bits: Keyword.done.bit)

        func contains(_ keyword: Keyword) -> Bool { bits & keyword.bit != 0 }
    }

    /// The words of a program being built, and their parts and strings.
    private struct WordStore {
        var words: [Span] = []
        var parts: [GrubProgram.Part] = []
        var strings: [String] = []

        /// Stores a word token's parts, their strings made now.
        mutating func add(_ token: GrubLexer.Output.Token, from out: GrubLexer.Output) {
            let first = parts.count
            for index in token.parts where out.parts.indices.contains(index) {
                let part = out.parts[index]
                parts.append(GrubProgram.Part(isVariable: part.isVariable, quoted: part.quoted, string: add(out.text(of: part))))
            }
            words.append(Span(first, parts.count))
        }

        mutating func add(_ text: String) -> Int32 {
            strings.append(text)
            return Int32(truncatingIfNeeded: strings.count - 1)
        }
    }

    private typealias Statement = GrubProgram.Statement
    private typealias Span = GrubProgram.Span

    private struct State {
        /// The lexer's tokens, and what their words are made from.
        let out: GrubLexer.Output
        var tokens: [GrubLexer.Output.Token] { out.tokens }
        let file: String
        var position = 0
        var diagnostics: [Diagnostic] = []
        var depth = 0
        /// The token at which the last syntax error was found.
        var errorAt = 0
        /// The statements of the lists being read, innermost last, with the lines each spans: a
        /// finished list moves from the end of it to `statements` as one run.
        var stack: [Statement] = []
        var stackLines: [(first: Int, last: Int)] = []

        // The program being built (see `GrubProgram`). What a chunk with a syntax error had
        // already stored stays, unreachable.
        var statements: [Statement] = []
        var store = WordStore()
        var blocks: [GrubProgram.Block] = []
        var clauses: [GrubProgram.Clause] = []
        var chunks: [Span] = []

        init(_ out: GrubLexer.Output, file: String) {
            self.out = out
            self.file = file
            // No more words, parts or statements than the lexer found words and parts: room for
            // them all at once rather than regrowing.
            store.words.reserveCapacity(out.tokens.count)
            store.parts.reserveCapacity(out.parts.count)
            store.strings.reserveCapacity(out.parts.count)
            statements.reserveCapacity(out.tokens.count / 2)
        }

        var atEnd: Bool { position >= tokens.count }
        var current: GrubLexer.Output.Token? { atEnd ? nil : tokens[position] }
        /// What the current token is; nil at the end.
        var currentKind: GrubLexer.Output.Kind? { atEnd ? nil : tokens[position].kind }
        var currentLine: Int? { atEnd ? nil : tokens[position].line }
        /// Whether the current token ends a command: `;` or a newline.
        var atDelimiter: Bool { currentKind == .semicolon || currentKind == .newline }
        var previousEndLine: Int { position > 0 && position <= tokens.count ? tokens[position - 1].endLine : 1 }

        var currentText: String {
            guard let token = current else { return "end of file" }
            return switch token.kind {
            case .word: out.word(token).description
            case .newline: "end of line"
            case .semicolon: ";"
            case .leftBrace: "{"
            case .rightBrace: "}"
            case .unsupported: String(decoding: out.bytes[token.start..<token.end], as: UTF8.self)
            case .invalid: token.problem?.message ?? ""
            }
        }

        /// The reserved word at the current position, when it is one (only unquoted words count).
        var keyword: Keyword? { atEnd ? nil : tokens[position].keyword }

        /// The current word when it is a name (`for NAME`, `function NAME`): plain text, no keyword.
        var currentName: String? {
            guard let token = current, token.kind == .word, token.keyword == nil, let text = out.word(token).bareText,
                  let first = text.unicodeScalars.first else { return nil }
            let isStart = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
            return isStart(first) && text.unicodeScalars.allSatisfy { isStart($0) || ($0 >= "0" && $0 <= "9") } ? text : nil
        }

        mutating func fail(_ message: String) -> SyntaxError {
            errorAt = position
            let line = currentLine ?? tokens.last?.endLine ?? 1
            let detail: String = if let token = current, token.kind == .invalid { token.problem?.message ?? message } else { message }
            diagnostics.append(Diagnostic(.error, "syntax error: \(detail)", at: SourceLocation(file: file, line: line)))
            return SyntaxError()
        }

        /// After a syntax error: GRUB drops the rest of the line the error was found on.
        mutating func recover() {
            // The lists the error interrupted are dropped with their chunk.
            dropList(from: 0)
            guard errorAt < tokens.count else {
                position = tokens.count
                return
            }
            let line = tokens[errorAt].endLine
            position = max(position, errorAt)
            while let current = currentLine, current <= line { position += 1 }
        }

        /// Puts a statement read on `stack`, with the lines it spans.
        mutating func push(_ statement: Statement, firstLine: Int) {
            stack.append(statement)
            stackLines.append((firstLine, previousEndLine))
        }

        /// One chunk: statements, each ending with `;` or a newline, up to the end of a line.
        mutating func chunk() throws(SyntaxError) -> Span {
            let base = stack.count
            while true {
                let firstLine = currentLine ?? 1
                push(try statement(topLevel: true), firstLine: firstLine)
                switch currentKind {
                case nil:
                    return popList(from: base)
                case .newline?:
                    position += 1
                    return popList(from: base)
                case .semicolon?:
                    position += 1
                    if atEnd { return popList(from: base) }
                    if currentKind == .newline {
                        position += 1
                        return popList(from: base)
                    }
                default:
                    throw fail("unexpected '\(currentText)'")
                }
            }
        }

        /// A command, or at the top level of a chunk also a function definition.
        mutating func statement(topLevel: Bool) throws(SyntaxError) -> Statement {
            let line = currentLine ?? 1
            switch keyword {
            case .if?: return try conditional(line)
            case .while?, .until?: return try loop(line)
            case .for?: return try forEach(line)
            case .function? where topLevel: return try function(line)
            case let other?: throw fail("unexpected '\(other.rawValue)'")
            case nil: break
            }
            guard currentKind == .word else { throw fail("unexpected '\(currentText)'") }
            let first = store.words.count
            while true {
                switch currentKind {
                case .word?:
                    let token = tokens[position]
                    if token.isDoubleBracket { throw fail("unexpected '\(currentText)'") }
                    store.add(token, from: out)
                    position += 1
                case .leftBrace?:
                    // The block's own words follow these.
                    let own = Span(first, store.words.count)
                    let block = try block()
                    return .command(words: own, block: block, line: line)
                case .newline?, .semicolon?, .rightBrace?, nil:
                    return .command(words: Span(first, store.words.count), block: nil, line: line)
                case .unsupported?:
                    throw fail("'\(currentText)' is not part of GRUB's script language")
                case .invalid?:
                    throw fail("")
                }
            }
        }

        /// GRUB's `commands1`: one or more commands separated by `;` or newlines, up to one of
        /// `terminators` or `}`, left on `stack` from `base`. Says whether the list ended with a
        /// delimiter, which most callers need.
        mutating func list(until terminators: KeywordSet) throws(SyntaxError) -> (base: Int, delimited: Bool) {
            let base = stack.count
            while currentKind == .newline { position += 1 }
            while true {
                let firstLine = currentLine ?? 1
                push(try statement(topLevel: false), firstLine: firstLine)
                guard atDelimiter else { return (base, false) }
                position += 1
                while currentKind == .newline { position += 1 }
                if atEnd || currentKind == .rightBrace { return (base, true) }
                if let keyword, terminators.contains(keyword) { return (base, true) }
            }
        }

        /// Moves the statements on `stack` from `base` to `statements`, as one run.
        mutating func popList(from base: Int) -> Span {
            let first = statements.count
            statements += stack[base...]
            dropList(from: base)
            return Span(first, statements.count)
        }

        /// Takes the statements from `base` off `stack`, once they have been used.
        mutating func dropList(from base: Int) {
            stack.removeSubrange(base...)
            stackLines.removeSubrange(base...)
        }

        mutating func delimitedList(until terminators: KeywordSet) throws(SyntaxError) -> Span {
            let (base, delimited) = try list(until: terminators)
            guard delimited else { throw fail("expected ';' or a new line, found '\(currentText)'") }
            return popList(from: base)
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

        mutating func conditional(_ line: Int) throws(SyntaxError) -> Statement {
            try nested { (p: inout State) throws(SyntaxError) -> Statement in
                var arms: [GrubProgram.Clause] = []
                var otherwise: Span?
                p.position += 1  // if
                while true {
                    let condition = try p.delimitedList(until: .then)
                    try p.expectKeyword(.then)
                    let body = try p.delimitedList(until: .elseOrFi)
                    arms.append(GrubProgram.Clause(condition: condition, body: body))
                    if p.keyword == .elif {
                        p.position += 1
                        continue
                    }
                    if p.keyword == .else {
                        p.position += 1
                        otherwise = try p.delimitedList(until: .fi)
                    }
                    try p.expectKeyword(.fi)
                    let first = p.clauses.count
                    p.clauses += arms
                    return .conditional(clauses: Span(first, p.clauses.count), otherwise: otherwise, line: line)
                }
            }
        }

        mutating func loop(_ line: Int) throws(SyntaxError) -> Statement {
            try nested { (p: inout State) throws(SyntaxError) -> Statement in
                let until = p.keyword == .until
                p.position += 1
                let condition = try p.delimitedList(until: .do)
                let body = try p.doBlock()
                return .loop(condition: condition, body: body, until: until, line: line)
            }
        }

        /// `do LIST done`, the body of `while`, `until` and `for`.
        mutating func doBlock() throws(SyntaxError) -> Span {
            try expectKeyword(.do)
            let body = try delimitedList(until: .done)
            try expectKeyword(.done)
            return body
        }

        mutating func forEach(_ line: Int) throws(SyntaxError) -> Statement {
            try nested { (p: inout State) throws(SyntaxError) -> Statement in
                p.position += 1
                guard let name = p.currentName else {
                    throw p.fail("expected a variable name after 'for', found '\(p.currentText)'")
                }
                p.position += 1
                try p.expectKeyword(.in)
                let first = p.store.words.count
                while let token = p.current, token.kind == .word {
                    if token.isDoubleBracket { throw p.fail("unexpected '\(p.currentText)'") }
                    p.store.add(token, from: p.out)
                    p.position += 1
                }
                let items = Span(first, p.store.words.count)
                guard p.atDelimiter else {
                    throw p.fail("expected ';' or a new line, found '\(p.currentText)'")
                }
                p.position += 1
                while p.currentKind == .newline { p.position += 1 }
                let body = try p.doBlock()
                return .forEach(variable: p.store.add(name), items: items, body: body, line: line)
            }
        }

        mutating func function(_ line: Int) throws(SyntaxError) -> Statement {
            try nested { (p: inout State) throws(SyntaxError) -> Statement in
                p.position += 1
                guard let name = p.currentName else {
                    throw p.fail("expected a function name, found '\(p.currentText)'")
                }
                p.position += 1
                if p.atDelimiter {
                    p.position += 1
                    while p.currentKind == .newline { p.position += 1 }
                }
                guard p.currentKind == .leftBrace else { throw p.fail("expected '{', found '\(p.currentText)'") }
                p.position += 1
                let body = try p.delimitedList(until: .none)
                guard p.currentKind == .rightBrace else { throw p.fail("expected '}', found '\(p.currentText)'") }
                p.position += 1
                return .function(name: p.store.add(name), body: body, line: line)
            }
        }

        /// `{ commands }` ending a command: its text is kept, and its commands grouped by line
        /// into chunks. Gives the block's index.
        mutating func block() throws(SyntaxError) -> Int {
            try nested { (p: inout State) throws(SyntaxError) -> Int in
                guard !p.atEnd else { throw p.fail("expected '{'") }
                let openEnd = p.tokens[p.position].end
                p.position += 1
                let (base, _) = try p.list(until: .none)
                guard p.currentKind == .rightBrace else {
                    throw p.fail(p.atEnd ? "'{' not closed before end of file" : "expected '}', found '\(p.currentText)'")
                }
                let closeStart = p.tokens[p.position].start
                p.position += 1
                // Statements that start on a line after the previous ones end begin a new chunk.
                // They move to `statements` in order, from `first` on.
                let first = p.statements.count - base
                let firstChunk = p.chunks.count
                var chunkStart = base
                var chunkEnd = 0
                for index in base..<p.stack.count {
                    let (firstLine, lastLine) = p.stackLines[index]
                    if index > base, firstLine > chunkEnd {
                        p.chunks.append(Span(first + chunkStart, first + index))
                        chunkStart = index
                    }
                    chunkEnd = max(chunkEnd, lastLine)
                }
                if chunkStart < p.stack.count { p.chunks.append(Span(first + chunkStart, first + p.stack.count)) }
                _ = p.popList(from: base)
                let size = p.out.bytes.count
                let lower = min(max(openEnd, 0), size)
                let upper = min(max(closeStart, lower), size)
                p.blocks.append(GrubProgram.Block(text: Span(lower, upper), chunks: Span(firstChunk, p.chunks.count)))
                return p.blocks.count - 1
            }
        }
    }
}
