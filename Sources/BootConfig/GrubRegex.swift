// POSIX extended regular expressions for GRUB's `regexp` command, matched by a Pike VM: work grows
// with pattern size times text size, never exponentially, so no expression can hang the menu.

struct GrubRegex {
    private enum Instruction {
        case char(Set<Character>, negated: Bool)
        case any
        case split(Int, Int)
        case jump(Int)
        case save(Int)
        case lineStart
        case lineEnd
        case match
    }

    private let program: [Instruction]
    /// Number of groups, the whole match being group 0.
    let groupCount: Int

    static let maxPatternLength = 1_000
    static let maxProgramLength = 20_000
    static let maxTextLength = 10_000

    init?(_ pattern: String) {
        guard pattern.count <= Self.maxPatternLength else { return nil }
        var parser = Parser(Array(pattern))
        guard let node = parser.alternation(), parser.atEnd else { return nil }
        var compiler = Compiler()
        compiler.emit(.save(0))
        guard compiler.compile(node) else { return nil }
        compiler.emit(.save(1))
        compiler.emit(.match)
        guard compiler.code.count <= Self.maxProgramLength else { return nil }
        program = compiler.code
        groupCount = parser.groups + 1
    }

    /// The leftmost match's groups (nil for groups that took no part), or nil when nothing matches.
    func match(_ text: String) -> [String?]? {
        let chars = Array(text.prefix(Self.maxTextLength))
        typealias Thread = (pc: Int, saves: [Int?])
        /// Follows jumps, splits, saves and anchors from `pc`, adding the threads that wait on a
        /// character (or have matched) to `list` in priority order.
        func add(_ list: inout [Thread], _ seen: inout Set<Int>, _ pc: Int, _ saves: [Int?], _ at: Int) {
            var stack: [(Int, [Int?])] = [(pc, saves)]
            while let (pc, saves) = stack.popLast() {
                guard pc < program.count, seen.insert(pc).inserted else { continue }
                switch program[pc] {
                case .jump(let to): stack.append((to, saves))
                case .split(let a, let b):
                    stack.append((b, saves))
                    stack.append((a, saves))
                case .save(let n):
                    var s = saves
                    if n < s.count { s[n] = at }
                    stack.append((pc + 1, s))
                case .lineStart: if at == 0 { stack.append((pc + 1, saves)) }
                case .lineEnd: if at == chars.count { stack.append((pc + 1, saves)) }
                case .char, .any, .match: list.append((pc, saves))
                }
            }
        }
        let empty = [Int?](repeating: nil, count: groupCount * 2)
        var current: [Thread] = []
        var seen: Set<Int> = []
        var found: [Int?]?
        for at in 0...chars.count {
            if found == nil { add(&current, &seen, 0, empty, at) }
            var next: [Thread] = []
            var nextSeen: Set<Int> = []
            threads: for thread in current {
                switch program[thread.pc] {
                case .match:
                    found = thread.saves
                    break threads
                case .char(let set, let negated):
                    if at < chars.count, set.contains(chars[at]) != negated { add(&next, &nextSeen, thread.pc + 1, thread.saves, at + 1) }
                case .any:
                    if at < chars.count, chars[at] != "\n" { add(&next, &nextSeen, thread.pc + 1, thread.saves, at + 1) }
                default:
                    break
                }
            }
            current = next
            seen = nextSeen
            if current.isEmpty, found != nil { break }
        }
        guard let saves = found else { return nil }
        return (0..<groupCount).map { g in
            guard let a = saves[2 * g], let b = saves[2 * g + 1], a <= b else { return nil }
            return String(chars[a..<b])
        }
    }

    // MARK: parsing

    private indirect enum Node {
        case empty
        case chars(Set<Character>, negated: Bool)
        case any
        case lineStart, lineEnd
        case group(Node, Int)
        case concat([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    private struct Parser {
        let p: [Character]
        var i = 0
        var groups = 0
        var depth = 0
        init(_ p: [Character]) { self.p = p }
        var atEnd: Bool { i >= p.count }

        mutating func alternation() -> Node? {
            depth += 1
            defer { depth -= 1 }
            guard depth < 100 else { return nil }
            var branches: [Node] = []
            while true {
                guard let branch = concatenation() else { return nil }
                branches.append(branch)
                if i < p.count, p[i] == "|" { i += 1 } else { break }
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func concatenation() -> Node? {
            var items: [Node] = []
            while i < p.count, p[i] != "|", p[i] != ")" {
                guard var atom = atom() else { return nil }
                while i < p.count, "*+?{".contains(p[i]) {
                    guard let (lo, hi) = quantifier() else { return nil }
                    atom = .repeated(atom, min: lo, max: hi)
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
        }

        mutating func quantifier() -> (Int, Int?)? {
            let c = p[i]
            i += 1
            switch c {
            case "*": return (0, nil)
            case "+": return (1, nil)
            case "?": return (0, 1)
            default:
                var text = ""
                while i < p.count, p[i] != "}" { text.append(p[i]); i += 1 }
                guard i < p.count else { return nil }
                i += 1
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                guard let lo = Int(parts.first ?? ""), lo <= 100 else { return nil }
                if parts.count == 1 { return (lo, lo) }
                if parts[1].isEmpty { return (lo, nil) }
                guard let hi = Int(parts[1]), hi >= lo, hi <= 100 else { return nil }
                return (lo, hi)
            }
        }

        mutating func atom() -> Node? {
            let c = p[i]
            i += 1
            switch c {
            case ".": return .any
            case "^": return .lineStart
            case "$": return .lineEnd
            case "(":
                groups += 1
                let n = groups
                guard let inner = alternation(), i < p.count, p[i] == ")" else { return nil }
                i += 1
                return .group(inner, n)
            case "[": return bracket()
            case "\\":
                guard i < p.count else { return nil }
                i += 1
                return .chars([p[i - 1]], negated: false)
            case "*", "+", "?": return nil
            default: return .chars([c], negated: false)
            }
        }

        mutating func bracket() -> Node? {
            var set: Set<Character> = []
            var negated = false
            if i < p.count, p[i] == "^" { negated = true; i += 1 }
            var first = true
            while i < p.count, p[i] != "]" || first {
                first = false
                if p[i] == "[", i + 1 < p.count, p[i + 1] == ":" {
                    guard let close = (i + 2..<p.count).first(where: { p[$0] == ":" && $0 + 1 < p.count && p[$0 + 1] == "]" }) else { return nil }
                    let name = String(p[(i + 2)..<close])
                    set.formUnion(Self.characterClass(name))
                    i = close + 2
                    continue
                }
                let lo = p[i]
                i += 1
                if i + 1 < p.count, p[i] == "-", p[i + 1] != "]" {
                    let hi = p[i + 1]
                    i += 2
                    guard let a = lo.unicodeScalars.first?.value, let b = hi.unicodeScalars.first?.value, a <= b, b - a < 0x1_0000 else { return nil }
                    for v in a...b { if let s = Unicode.Scalar(v) { set.insert(Character(s)) } }
                } else {
                    set.insert(lo)
                }
            }
            guard i < p.count else { return nil }
            i += 1
            return .chars(set, negated: negated)
        }

        static func characterClass(_ name: String) -> Set<Character> {
            let ascii = (0..<128).compactMap { Unicode.Scalar($0) }.map(Character.init)
            switch name {
            case "alpha": return Set(ascii.filter(\.isLetter))
            case "digit": return Set(ascii.filter(\.isNumber))
            case "alnum": return Set(ascii.filter { $0.isLetter || $0.isNumber })
            case "upper": return Set(ascii.filter(\.isUppercase))
            case "lower": return Set(ascii.filter(\.isLowercase))
            case "space": return [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
            case "blank": return [" ", "\t"]
            case "punct": return Set(ascii.filter(\.isPunctuation)).union(ascii.filter(\.isSymbol))
            case "xdigit": return Set(ascii.filter(\.isHexDigit))
            default: return []
            }
        }
    }

    // MARK: compiling

    private struct Compiler {
        var code: [Instruction] = []

        mutating func emit(_ i: Instruction) { code.append(i) }

        mutating func compile(_ node: Node) -> Bool {
            guard code.count <= GrubRegex.maxProgramLength else { return false }
            switch node {
            case .empty: return true
            case .chars(let set, let negated): emit(.char(set, negated: negated))
            case .any: emit(.any)
            case .lineStart: emit(.lineStart)
            case .lineEnd: emit(.lineEnd)
            case .group(let inner, let n):
                emit(.save(2 * n))
                guard compile(inner) else { return false }
                emit(.save(2 * n + 1))
            case .concat(let items):
                for item in items { guard compile(item) else { return false } }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (k, branch) in branches.enumerated() {
                    if k < branches.count - 1 {
                        let split = code.count
                        emit(.split(split + 1, 0))
                        guard compile(branch) else { return false }
                        jumps.append(code.count)
                        emit(.jump(0))
                        code[split] = .split(split + 1, code.count)
                    } else {
                        guard compile(branch) else { return false }
                    }
                }
                for j in jumps { code[j] = .jump(code.count) }
            case .repeated(let inner, let lo, let hi):
                for _ in 0..<lo { guard compile(inner) else { return false } }
                if let hi {
                    var holes: [Int] = []
                    for _ in lo..<hi {
                        holes.append(code.count)
                        emit(.split(code.count + 1, 0))
                        guard compile(inner) else { return false }
                    }
                    for h in holes { code[h] = .split(h + 1, code.count) }
                } else {
                    let loop = code.count
                    emit(.split(loop + 1, 0))
                    guard compile(inner) else { return false }
                    emit(.jump(loop))
                    code[loop] = .split(loop + 1, code.count)
                }
            }
            return true
        }
    }
}
