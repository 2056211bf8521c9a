// The syntax tree of a GRUB script: commands (with an optional `{ … }` block, as `menuentry` takes),
// conditionals, loops and functions, grouped in chunks as GRUB reads and runs them. The parser
// stores it flat (`GrubProgram`), which the interpreter runs; `GrubStatement` and friends are the
// same tree as values, made on request for tests and for printing.

import BootModel

public indirect enum GrubStatement: Sendable, Hashable {
    /// A command and its arguments (`linux /vmlinuz ro`, `set a=b`, `[ -f x ]`, `a=b`), and the
    /// block that may end it (`menuentry 'Debian' { … }`).
    case command(words: [GrubWord], block: GrubBlock?, line: Int)
    /// `if … then … [elif … then …]… [else …] fi`.
    case conditional(clauses: [GrubClause], otherwise: [GrubStatement]?, line: Int)
    /// `while …; do …; done`, or `until` when `until` is true.
    case loop(condition: [GrubStatement], body: [GrubStatement], until: Bool, line: Int)
    /// `for name in words; do …; done`.
    case forEach(variable: String, items: [GrubWord], body: [GrubStatement], line: Int)
    /// `function name { … }`: only at the top level of a file, as in GRUB's grammar.
    case function(name: String, body: [GrubStatement], line: Int)

    public var line: Int {
        switch self {
        case .command(_, _, let line), .conditional(_, _, let line), .loop(_, _, _, let line),
             .forEach(_, _, _, let line), .function(_, _, let line):
            line
        }
    }
}

/// A `{ … }` argument: its text as written (GRUB keeps a menu entry's body as text and runs it when
/// the entry is chosen) and its commands, in chunks as GRUB will read them from that text.
public struct GrubBlock: Sendable, Hashable {
    /// The whole file's text, shared by every block of it; a block's text is made only when asked.
    final class Text: Sendable {
        /// UTF-8, as lexed; token offsets index it.
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    let text: Text
    let range: Range<Int>
    public var chunks: [[GrubStatement]]

    init(text: Text, range: Range<Int>, chunks: [[GrubStatement]]) {
        self.text = text
        self.range = range
        self.chunks = chunks
    }

    public var source: String { String(decoding: text.bytes[range], as: UTF8.self) }

    public var statements: [GrubStatement] { chunks.flatMap { $0 } }

    public static func == (a: GrubBlock, b: GrubBlock) -> Bool { a.chunks == b.chunks && a.source == b.source }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(chunks)
        hasher.combine(source)
    }
}

/// One `if`/`elif` arm: run `body` when `condition`'s last command succeeds.
public struct GrubClause: Sendable, Hashable {
    public var condition: [GrubStatement]
    public var body: [GrubStatement]
}

/// A parsed script and the problems found while parsing it. GRUB reads a file one line at a time
/// (more when a construct or quote is still open), parses that chunk and runs it; a chunk with a
/// syntax error is dropped whole.
public struct GrubScript: Sendable {
    /// The chunks, in the flat form the interpreter runs.
    let code: GrubCode
    public var diagnostics: [Diagnostic]

    /// The chunks as a tree of values (for tests and `baton grub-ast`; made when asked).
    public var chunks: [[GrubStatement]] { code.program.chunkViews(code.chunks) }
    public var statements: [GrubStatement] { chunks.flatMap { $0 } }
}

extension GrubStatement {
    /// The statement as indented text, for `baton grub-ast` and for tests.
    public func printed(indent: String = "") -> String {
        func block(_ statements: [GrubStatement]) -> String {
            statements.map { $0.printed(indent: indent + "  ") }.joined(separator: "\n")
        }
        switch self {
        case .command(let words, let body, let line):
            let head = "\(indent)\(words.map(\.description).joined(separator: " "))"
            guard let body else { return "\(head)  # \(line)" }
            return ["\(head) {  # \(line)", block(body.statements), "\(indent)}"].filter { !$0.isEmpty }.joined(separator: "\n")
        case .conditional(let clauses, let otherwise, let line):
            var out: [String] = []
            for (n, clause) in clauses.enumerated() {
                out.append("\(indent)\(n == 0 ? "if" : "elif")\(n == 0 ? "  # \(line)" : "")")
                out.append(block(clause.condition))
                out.append("\(indent)then")
                out.append(block(clause.body))
            }
            if let otherwise {
                out.append("\(indent)else")
                out.append(block(otherwise))
            }
            out.append("\(indent)fi")
            return out.filter { !$0.isEmpty }.joined(separator: "\n")
        case .loop(let condition, let body, let until, let line):
            return ["\(indent)\(until ? "until" : "while")  # \(line)", block(condition), "\(indent)do", block(body), "\(indent)done"]
                .filter { !$0.isEmpty }.joined(separator: "\n")
        case .forEach(let variable, let items, let body, let line):
            return ["\(indent)for \(variable) in \(items.map(\.description).joined(separator: " "))  # \(line)", "\(indent)do", block(body), "\(indent)done"]
                .filter { !$0.isEmpty }.joined(separator: "\n")
        case .function(let name, let body, let line):
            return ["\(indent)function \(name) {  # \(line)", block(body), "\(indent)}"].filter { !$0.isEmpty }.joined(separator: "\n")
        }
    }
}
