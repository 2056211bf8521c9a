// The syntax tree of a GRUB script: commands, conditionals, loops, functions and menu entries.

public indirect enum GrubStatement: Sendable, Hashable {
    /// A command and its arguments (`linux /vmlinuz ro`, `set a=b`, `[ -f x ]`, `a=b`).
    case command(words: [GrubWord], line: Int)
    /// `if … then … [elif … then …]… [else …] fi`.
    case conditional(clauses: [GrubClause], otherwise: [GrubStatement]?, line: Int)
    /// `while …; do …; done`, or `until` when `until` is true.
    case loop(condition: [GrubStatement], body: [GrubStatement], until: Bool, line: Int)
    /// `for name in words; do …; done`.
    case forEach(variable: String, items: [GrubWord], body: [GrubStatement], line: Int)
    /// `function name { … }`.
    case function(name: String, body: [GrubStatement], line: Int)
    /// `menuentry ARGS { … }` or `submenu ARGS { … }`; the body runs when the entry is chosen.
    case menuEntry(arguments: [GrubWord], body: [GrubStatement], submenu: Bool, line: Int)
}

/// One `if`/`elif` arm: run `body` when `condition`'s last command succeeds.
public struct GrubClause: Sendable, Hashable {
    public var condition: [GrubStatement]
    public var body: [GrubStatement]
}

/// A parsed script and the problems found while parsing it.
public struct GrubScript: Sendable, Hashable {
    public var statements: [GrubStatement]
    public var diagnostics: [Diagnostic]
}

extension GrubStatement {
    /// The statement as indented text, for `baton grub-ast` and for tests.
    public func printed(indent: String = "") -> String {
        func block(_ statements: [GrubStatement]) -> String {
            statements.map { $0.printed(indent: indent + "  ") }.joined(separator: "\n")
        }
        switch self {
        case .command(let words, let line):
            return "\(indent)\(words.map(\.description).joined(separator: " "))  # \(line)"
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
        case .menuEntry(let arguments, let body, let submenu, let line):
            let head = "\(indent)\(submenu ? "submenu" : "menuentry") \(arguments.map(\.description).joined(separator: " ")) {  # \(line)"
            return [head, block(body), "\(indent)}"].filter { !$0.isEmpty }.joined(separator: "\n")
        }
    }
}
