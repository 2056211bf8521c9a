// The tokens of GRUB's script language, as GRUB's own lexer (grub-core/script/yylex.l) splits them.

import BootModel

/// One piece of a word: literal text or a variable reference, each quoted or not. Quoting matters
/// later: unquoted variable values are split into several arguments, quoted ones never are.
public enum GrubWordPart: Sendable, Hashable {
    case text(String, quoted: Bool)
    case variable(String, quoted: Bool)
}

/// A word as written: adjacent parts with no blank between them (`"$a"b'c'`). The interpreter runs
/// words in the flat form the parser stores (`GrubProgram`); this one is for tests, tools and BLS.
public struct GrubWord: Sendable, Hashable, CustomStringConvertible {
    /// The parts in order.
    public var parts: [GrubWordPart]

    public init(_ parts: [GrubWordPart]) {
        self.parts = parts
    }

    /// The word's text when it is plain unquoted text only (keywords, `{`, function names).
    public var bareText: String? {
        guard parts.count == 1, case .text(let text, quoted: false) = parts[0] else { return nil }
        return text
    }

    /// The word as GRUB source, for printing the AST.
    public var description: String {
        parts.map { part -> String in
            switch part {
            case .text(let text, quoted: true): "'\(text)'"
            case .text(let text, quoted: false): text
            case .variable(let name, quoted: true): "\"${\(name)}\""
            case .variable(let name, quoted: false): "${\(name)}"
            }
        }.joined()
    }
}

public enum GrubTokenKind: Sendable, Hashable {
    case word(GrubWord)
    case newline
    case semicolon
    case leftBrace
    case rightBrace
    /// `&&`, `||`, `|`, `&`, `<`, `>`, `;;`: lexed by GRUB but used by no command of its grammar.
    case unsupported(String)
    /// Text GRUB's lexer rejects: a `$` that starts no variable (`$`, `${a-b}`), a quote never closed.
    case invalid(String)
}

public struct GrubToken: Sendable, Hashable {
    public var kind: GrubTokenKind
    /// The line the token starts on, and the line it ends on (a quoted word may span lines).
    public var line: Int
    public var endLine: Int
    /// Offsets (in UTF-8 bytes) of the token's first character and just past its last one.
    public var start: Int
    public var end: Int

    public init(kind: GrubTokenKind, line: Int, endLine: Int? = nil, start: Int = 0, end: Int = 0) {
        self.kind = kind
        self.line = line
        self.endLine = endLine ?? line
        self.start = start
        self.end = end
    }
}
