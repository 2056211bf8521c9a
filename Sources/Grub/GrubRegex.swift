// POSIX extended regular expressions for GRUB's `regexp` command, matched by a Pike VM: work grows
// with pattern size times text size, never exponentially, and every match is metered, so the
// caller can charge it to its work budget and stop one that would cost more than it has left.

import BootModel

struct GrubRegex {
    /// The characters one position may match: ranges of Unicode scalar values (a bracket range is
    /// two numbers however wide it is) and the few characters made of several scalars.
    struct CharacterClass: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var clusters: [Character] = []
        var negated = false

        mutating func insert(_ c: Character) {
            if let v = c.singleScalarValue { ranges.append(v...v) } else { clusters.append(c) }
        }

        mutating func formUnion(_ other: CharacterClass) {
            ranges += other.ranges
            clusters += other.clusters
        }

        func contains(_ c: Character) -> Bool {
            let hit: Bool
            if let v = c.singleScalarValue {
                hit = ranges.contains { $0.contains(v) }
            } else {
                hit = clusters.contains(c)
            }
            return hit != negated
        }

        /// Work to test one character: one unit per range or cluster looked at.
        var cost: Int { 1 + ranges.count + clusters.count }
    }

    private enum Instruction {
        case char(Character)
        case set(CharacterClass)
        case any
        case split(Int, Int)
        case jump(Int)
        case save(Int)
        case lineStart
        case lineEnd
        case match
    }

    /// What a metered match found.
    enum Outcome: Equatable {
        /// The leftmost match's groups (nil for groups that took no part).
        case matched([String?])
        case noMatch
        /// The match would have cost more than the work it was given.
        case tooCostly
    }

    private let program: [Instruction]
    /// Number of groups, the whole match being group 0.
    let groupCount: Int
    /// Work the compilation took, in the units `match` counts.
    let compileCost: Int

    static let maxPatternLength = 4_096  // bytes
    static let maxProgramLength = 20_000
    static let maxTextLength = 10_000
    /// The largest count a `{m,n}` interval may give (gnulib allows 32 767; an interval is
    /// compiled as that many copies of its atom, so Baton allows fewer).
    static let maxRepeat = 100

    init?(_ pattern: String) {
        guard pattern.utf8.count <= Self.maxPatternLength else { return nil }
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
        compileCost = parser.p.count + compiler.cost
    }

    /// The leftmost match's groups (nil for groups that took no part), or nil when nothing
    /// matches; unmetered, for tests and callers without a budget.
    func match(_ text: String) -> [String?]? {
        var work = Int.max
        if case .matched(let groups) = match(text, work: &work) { return groups }
        return nil
    }

    /// Matches with at most `work` units (a unit is one step of one thread: a jump, split, save,
    /// anchor or character test); `work` is left with what was not spent.
    func match(_ text: String, work: inout Int) -> Outcome {
        let chars = Array(text.prefix(Self.maxTextLength))
        typealias Thread = (pc: Int, saves: [Int?])
        var exhausted = false
        /// Which list last took each instruction: a thread per instruction and list, the first
        /// (highest-priority) one.
        var taken = [Int](repeating: -1, count: program.count)
        /// Follows jumps, splits, saves and anchors from `pc`, adding the threads that wait on a
        /// character (or have matched) to `list` (numbered `listNumber`) in priority order.
        func add(_ list: inout [Thread], _ listNumber: Int, _ pc: Int, _ saves: [Int?], _ at: Int) {
            var stack: [(Int, [Int?])] = [(pc, saves)]
            while let (pc, saves) = stack.popLast() {
                guard pc < program.count, taken[pc] != listNumber else { continue }
                taken[pc] = listNumber
                work -= 1
                if work < 0 { exhausted = true; return }
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
                case .char, .set, .any, .match: list.append((pc, saves))
                }
            }
        }
        let empty = [Int?](repeating: nil, count: groupCount * 2)
        var current: [Thread] = []
        var found: [Int?]?
        // The list for position `at` is number `at`.
        for at in 0...chars.count {
            if found == nil { add(&current, at, 0, empty, at) }
            var next: [Thread] = []
            threads: for thread in current {
                guard !exhausted else { break }
                let step: Bool
                switch program[thread.pc] {
                case .match:
                    found = thread.saves
                    break threads
                case .char(let c):
                    work -= 1
                    step = at < chars.count && chars[at] == c
                case .set(let set):
                    work -= set.cost
                    step = at < chars.count && set.contains(chars[at])
                case .any:
                    work -= 1
                    step = at < chars.count && chars[at] != "\n"
                default:
                    step = false
                }
                if work < 0 { exhausted = true }
                if step { add(&next, at + 1, thread.pc + 1, thread.saves, at + 1) }
            }
            if exhausted { work = 0; return .tooCostly }
            current = next
            if current.isEmpty, found != nil { break }
        }
        guard let saves = found else { return .noMatch }
        return .matched((0..<groupCount).map { g in
            guard let a = saves[2 * g], let b = saves[2 * g + 1], a <= b else { return nil }
            return String(chars[a..<b])
        })
    }

    // MARK: parsing

    private indirect enum Node {
        case empty
        case char(Character)
        case set(CharacterClass)
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
                // Digits only, as POSIX says: no sign, no blanks; `{,n}` is `{0,n}` as in gnulib.
                let parts = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
                guard !text.isEmpty, let lo = Self.count(parts[0].isEmpty && parts.count == 2 ? "0" : parts[0]) else { return nil }
                if parts.count == 1 { return (lo, lo) }
                if parts[1].isEmpty { return (lo, nil) }
                guard let hi = Self.count(parts[1]), hi >= lo else { return nil }
                return (lo, hi)
            }
        }

        /// An interval's bound: decimal digits, at most `maxRepeat`.
        static func count<S: StringProtocol>(_ text: S) -> Int? {
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  text.utf8.count <= 3, let n = Int(text), n <= GrubRegex.maxRepeat else { return nil }
            return n
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
                return .char(p[i - 1])
            case "*", "+", "?", "{": return nil
            default: return .char(c)
            }
        }

        mutating func bracket() -> Node? {
            var set = CharacterClass()
            if i < p.count, p[i] == "^" { set.negated = true; i += 1 }
            var first = true
            while i < p.count, p[i] != "]" || first {
                first = false
                if p[i] == "[", i + 1 < p.count, p[i + 1] == ":" {
                    guard let close = (i + 2..<p.count).first(where: { p[$0] == ":" && $0 + 1 < p.count && p[$0 + 1] == "]" }),
                          let named = Self.characterClass(String(p[(i + 2)..<close])) else { return nil }
                    set.formUnion(named)
                    i = close + 2
                    continue
                }
                let lo = p[i]
                i += 1
                if i + 1 < p.count, p[i] == "-", p[i + 1] != "]" {
                    let hi = p[i + 1]
                    i += 2
                    // A range runs between two single scalars, upwards; anything else is an error.
                    guard let a = lo.singleScalarValue, let b = hi.singleScalarValue, a <= b else { return nil }
                    set.ranges.append(a...b)
                } else {
                    set.insert(lo)
                }
            }
            guard i < p.count else { return nil }
            i += 1
            return .set(set)
        }

        /// A POSIX class by name, over ASCII as GRUB (which has no locale) sees it; nil for an
        /// unknown name, which gnulib refuses.
        static func characterClass(_ name: String) -> CharacterClass? {
            func of(_ ranges: [ClosedRange<UInt8>]) -> CharacterClass {
                CharacterClass(ranges: ranges.map { UInt32($0.lowerBound)...UInt32($0.upperBound) })
            }
            switch name {
            case "alpha": return of([0x41...0x5A, 0x61...0x7A])
            case "digit": return of([0x30...0x39])
            case "alnum": return of([0x30...0x39, 0x41...0x5A, 0x61...0x7A])
            case "upper": return of([0x41...0x5A])
            case "lower": return of([0x61...0x7A])
            case "space": return of([0x09...0x0D, 0x20...0x20])
            case "blank": return of([0x09...0x09, 0x20...0x20])
            case "punct": return of([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E])
            case "xdigit": return of([0x30...0x39, 0x41...0x46, 0x61...0x66])
            case "cntrl": return of([0x00...0x1F, 0x7F...0x7F])
            case "print": return of([0x20...0x7E])
            case "graph": return of([0x21...0x7E])
            default: return nil
            }
        }
    }

    // MARK: compiling

    private struct Compiler {
        var code: [Instruction] = []
        /// Work done: one unit per instruction emitted (a character class is shared, not copied).
        var cost = 0

        mutating func emit(_ i: Instruction) {
            code.append(i)
            cost += 1
        }

        mutating func compile(_ node: Node) -> Bool {
            guard code.count <= GrubRegex.maxProgramLength else { return false }
            switch node {
            case .empty: return true
            case .char(let c): emit(.char(c))
            case .set(let set): emit(.set(set))
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

extension Character {
    /// The scalar value of a character made of one Unicode scalar; nil for a cluster of several.
    var singleScalarValue: UInt32? {
        let scalars = unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else { return nil }
        return first.value
    }
}
