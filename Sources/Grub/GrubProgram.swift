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

    /// One statement; what its fields hold depends on its kind.
    struct Statement: Sendable {
        var kind: Kind
        /// A loop: whether it is `until`. A conditional: whether it has an `else`.
        var flag: Bool
        var line: Int32
        /// A command's words; a conditional's clauses; a loop's condition; a `for`'s items (words).
        var first: Span
        /// A conditional's `else` list; the body of a loop, a `for` or a function.
        var second: Span
        /// A command's block (-1 without one); the string of a `for`'s variable or a function's name.
        var index: Int32
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
            let block = s.index < 0 ? nil : blockView(Int(s.index))
            return .command(words: wordViews(s.first), block: block, line: line)
        case .conditional:
            let arms = clauses[s.first.range].map { GrubClause(condition: listView($0.condition), body: listView($0.body)) }
            return .conditional(clauses: arms, otherwise: s.flag ? listView(s.second) : nil, line: line)
        case .loop:
            return .loop(condition: listView(s.first), body: listView(s.second), until: s.flag, line: line)
        case .forEach:
            return .forEach(variable: strings[Int(s.index)], items: wordViews(s.first), body: listView(s.second), line: line)
        case .function:
            return .function(name: strings[Int(s.index)], body: listView(s.second), line: line)
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
