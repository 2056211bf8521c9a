// A parsed GRUB script stored flat: statements, words, parts, blocks and clauses sit in arrays that
// point into each other by index, so a file's whole syntax tree is a handful of allocations rather
// than one or more per node, and running it retains and releases nothing per statement. The
// interpreter runs it; `GrubStatement` values are made from it only for tests and printing.

import BootModel

/// One parsed text (a file, a menu entry's `--source`, `eval`'s words): immutable once parsed, and
/// shared by everything that runs code from it (menu entries, functions).
public final class GrubProgram: Sendable {
    /// A range of indices into one of the arrays, in half the room of a `Range<Int>`.
    struct Span: Sendable, Equatable {
        var start: Int32
        var end: Int32

        init(_ start: Int, _ end: Int) {
            self.start = Int32(truncatingIfNeeded: start)
            self.end = Int32(truncatingIfNeeded: end)
        }

        static let empty = Span(0, 0)
        var range: Range<Int> { Int(start)..<Int(max(start, end)) }
        var isEmpty: Bool { end <= start }
        var count: Int { range.count }
    }

    enum Kind: UInt8, Sendable {
        case command, conditional, loop, forEach, function
    }

    /// One statement, in one fixed-size record whatever its kind: made by the constructor of its
    /// kind and read through the accessors named for that kind (each meaningful for its kind only).
    struct Statement: Sendable {
        let kind: Kind
        let line: Int32
        private let flag: Bool
        private let first: Span
        private let second: Span
        private let index: Int32

        private init(_ kind: Kind, line: Int, flag: Bool = false, first: Span = .empty, second: Span = .empty, index: Int32 = -1) {
            self.kind = kind
            self.line = Int32(truncatingIfNeeded: line)
            self.flag = flag
            self.first = first
            self.second = second
            self.index = index
        }

        /// A command: its words, and its `{ … }` block (an index in `blocks`) when it has one.
        static func command(words: Span, block: Int?, line: Int) -> Statement {
            Statement(.command, line: line, first: words, index: Int32(truncatingIfNeeded: block ?? -1))
        }

        /// `if`: its `if`/`elif` arms (in `clauses`), and its `else` list when it has one.
        static func conditional(clauses: Span, otherwise: Span?, line: Int) -> Statement {
            Statement(.conditional, line: line, flag: otherwise != nil, first: clauses, second: otherwise ?? .empty)
        }

        /// `while` or `until`.
        static func loop(condition: Span, body: Span, until: Bool, line: Int) -> Statement {
            Statement(.loop, line: line, flag: until, first: condition, second: body)
        }

        /// `for VARIABLE in ITEMS; do BODY; done`, the variable's name an index in `strings`.
        static func forEach(variable: Int32, items: Span, body: Span, line: Int) -> Statement {
            Statement(.forEach, line: line, first: items, second: body, index: variable)
        }

        /// `function NAME { BODY }`, the name an index in `strings`.
        static func function(name: Int32, body: Span, line: Int) -> Statement {
            Statement(.function, line: line, second: body, index: name)
        }

        /// A command's words.
        var words: Span { first }
        /// A command's block, if it has one.
        var block: Int? { index < 0 ? nil : Int(index) }
        /// A conditional's arms.
        var clauses: Span { first }
        /// A conditional's `else` list, if it has one.
        var otherwise: Span? { flag ? second : nil }
        /// A loop's condition.
        var condition: Span { first }
        /// Whether a loop is `until` (runs while its condition fails).
        var isUntil: Bool { flag }
        /// A `for`'s items.
        var items: Span { first }
        /// The body of a loop, a `for` or a function.
        var body: Span { second }
        /// A `for`'s variable or a function's name, as an index in `strings`.
        var name: Int { Int(index) }
    }

    /// A piece of a word: text, or a variable's name, as an index in `strings`.
    struct Part: Sendable {
        var isVariable: Bool
        var quoted: Bool
        var string: Int32
    }

    /// A `{ … }` block: where its text lies in `bytes`, and its chunks (indices in `chunks`).
    struct Block: Sendable {
        var text: Span
        var chunks: Span
    }

    /// An `if`/`elif` arm: its condition and body lists.
    struct Clause: Sendable {
        var condition: Span
        var body: Span
    }

    /// The text parsed, as UTF-8 (blocks keep their text as written).
    let bytes: [UInt8]
    let statements: [Statement]
    /// Each word's parts.
    let words: [Span]
    let parts: [Part]
    let strings: [String]
    let blocks: [Block]
    let clauses: [Clause]
    /// Each chunk's statements: a run of `statements`, as every list is.
    let chunks: [Span]

    init(bytes: [UInt8], statements: [Statement], words: [Span], parts: [Part], strings: [String],
         blocks: [Block], clauses: [Clause], chunks: [Span]) {
        self.bytes = bytes
        self.statements = statements
        self.words = words
        self.parts = parts
        self.strings = strings
        self.blocks = blocks
        self.clauses = clauses
        self.chunks = chunks
    }

    /// A block's text as written, between its braces.
    func source(ofBlock index: Int) -> String {
        let text = blocks[index].text.range
        return String(decoding: bytes[text.clamped(to: bytes.indices)], as: UTF8.self)
    }

    // MARK: the tree as values

    func chunkViews(_ span: Span) -> [[GrubStatement]] { chunks[span.range].map(listView) }

    func listView(_ span: Span) -> [GrubStatement] { span.range.map(statementView) }

    func wordViews(_ span: Span) -> [GrubWord] {
        span.range.map { w in
            GrubWord(parts[words[w].range].map { part in
                let text = strings[Int(part.string)]
                return part.isVariable ? .variable(text, quoted: part.quoted) : .text(text, quoted: part.quoted)
            })
        }
    }

    func statementView(_ index: Int) -> GrubStatement {
        let s = statements[index]
        let line = Int(s.line)
        switch s.kind {
        case .command:
            return .command(words: wordViews(s.words), block: s.block.map(blockView), line: line)
        case .conditional:
            let arms = clauses[s.clauses.range].map { GrubClause(condition: listView($0.condition), body: listView($0.body)) }
            return .conditional(clauses: arms, otherwise: s.otherwise.map(listView), line: line)
        case .loop:
            return .loop(condition: listView(s.condition), body: listView(s.body), until: s.isUntil, line: line)
        case .forEach:
            return .forEach(variable: strings[s.name], items: wordViews(s.items), body: listView(s.body), line: line)
        case .function:
            return .function(name: strings[s.name], body: listView(s.body), line: line)
        }
    }

    func blockView(_ index: Int) -> GrubBlock {
        let block = blocks[index]
        return GrubBlock(text: GrubBlock.Text(bytes), range: block.text.range.clamped(to: bytes.indices), chunks: chunkViews(block.chunks))
    }
}

/// Chunks of a program to run: a file's, a block's (a menu entry's body).
struct GrubCode: Sendable {
    let program: GrubProgram
    let chunks: GrubProgram.Span
}

/// A list of a program's statements: a function's body.
struct GrubList: Sendable {
    let program: GrubProgram
    let statements: GrubProgram.Span
}

/// The `{ … }` block a command ends with.
struct GrubBlockReference {
    let program: GrubProgram
    let index: Int

    var source: String { program.source(ofBlock: index) }
    var code: GrubCode { GrubCode(program: program, chunks: program.blocks[index].chunks) }
}
