// The tokens of GRUB's script language, as GRUB's own lexer (grub-core/script/yylex.l) splits them.

/// One piece of a word: literal text or a variable reference, each quoted or not. Quoting matters
/// later: unquoted variable values are split into several arguments, quoted ones never are.
public enum GrubWordPart: Sendable, Hashable {
    case text(String, quoted: Bool)
    case variable(String, quoted: Bool)
}

/// A word as written: adjacent parts with no blank between them (`"$a"b'c'`). Most words have one
/// part, kept inline so a word costs no allocation of its own.
public struct GrubWord: Sendable, Hashable, CustomStringConvertible {
    private var head: GrubWordPart?
    private var tail: [GrubWordPart]

    public init(_ parts: [GrubWordPart]) {
        head = parts.first
        tail = Array(parts.dropFirst())
    }

    /// A word with no parts yet.
    init() {
        head = nil
        tail = []
    }

    /// The parts in order.
    public var parts: Parts { Parts(word: self) }

    mutating func append(_ part: GrubWordPart) {
        if head == nil { head = part } else { tail.append(part) }
    }

    public struct Parts: RandomAccessCollection, Sendable {
        let word: GrubWord
        public var startIndex: Int { 0 }
        public var endIndex: Int { word.head == nil ? 0 : 1 + word.tail.count }
        public subscript(position: Int) -> GrubWordPart {
            // `head` is present whenever the index is valid.
            position == 0 ? word.head ?? word.tail[0] : word.tail[position - 1]
        }
    }

    /// The word's text when it is plain unquoted text only (keywords, `{`, function names).
    public var bareText: String? {
        guard tail.isEmpty, case .text(let text, quoted: false)? = head else { return nil }
        return text
    }

    /// The word's literal text when it holds no variable (quotes removed).
    public var literal: String? {
        var out = ""
        for part in parts {
            guard case .text(let text, _) = part else { return nil }
            out += text
        }
        return out
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
