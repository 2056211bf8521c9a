// GRUB's `test` / `[ … ]` (grub-core/commands/test.c): terms are ANDed as they come, `-o` starts a
// new alternative, `!` inverts the next term, parentheses nest; a word alone is true when not empty.

import BootModel

enum GrubTest {
    static func evaluate(_ args: [String], files m: GrubMachine) -> Bool {
        // A slice, so that dropping the `]` copies nothing.
        let terms = args.last == "]" ? args.dropLast() : args[...]
        var n = terms.startIndex
        return parse(terms, &n, m, depth: 0)
    }

    private static func parse(_ a: ArraySlice<String>, _ n: inout Int, _ m: GrubMachine, depth: Int) -> Bool {
        var all = true
        var any = false
        var invert = false
        func update(_ value: Bool) {
            all = all && (invert ? !value : value)
            invert = false
        }
        while n < a.endIndex {
            if n + 2 < a.endIndex, let result = binary(a[n], a[n + 1], a[n + 2], m) {
                update(result)
                n += 3
                continue
            }
            if n + 1 < a.endIndex, let result = unary(a[n], a[n + 1], m) {
                update(result)
                n += 2
                continue
            }
            switch a[n] {
            case ")":
                n += 1
                return any || all
            case "(":
                n += 1
                update(depth < 64 ? parse(a, &n, m, depth: depth + 1) : false)
            case "!":
                invert.toggle()
                n += 1
            case "-a":
                n += 1
            case "-o":
                any = any || all
                all = true
                n += 1
            default:
                update(!a[n].isEmpty)
                n += 1
            }
        }
        return any || all
    }

    private static func unary(_ op: String, _ operand: String, _ m: GrubMachine) -> Bool? {
        // Every unary operator is `-` and a letter: other words are ruled out without comparing.
        guard op.utf8.count == 2, op.startsWithDash else { return nil }
        switch op {
        case "-n": return !operand.isEmpty
        case "-z": return operand.isEmpty
        case "-e": return fileInfo(operand, m).exists
        case "-f": return fileInfo(operand, m) == (true, false)
        case "-d": return fileInfo(operand, m) == (true, true)
        case "-s":
            guard let file = m.file(operand), let view = m.files(on: file.device), view.list(file.path).isEmpty,
                  let bytes = view.contents(of: file.path) else { return false }
            return !bytes.isEmpty
        default: return nil
        }
    }

    /// Whether a file exists and is a directory, looked up as GRUB's test does: the device from
    /// `(…)` or `$root`, the whole device when the path is empty, a bare name in the top folder.
    static func fileInfo(_ argument: String, _ m: GrubMachine) -> (exists: Bool, directory: Bool) {
        guard let split = GrubMachine.splitDevice(argument) else { return (false, false) }
        guard let view = m.files(on: m.deviceReference(split.device ?? m.value(of: "root"))) else { return (false, false) }
        var path = split.path
        // Bytes, as GRUB looks at them (and a search by Character costs grapheme breaking).
        while path.utf8.last == UInt8(ascii: "/") { path = Substring(path.utf8.dropLast()) }
        if path.isEmpty { return (true, true) }
        if path.utf8.contains(UInt8(ascii: "/")) {
            guard path.utf8.first == UInt8(ascii: "/") else { return (false, false) }
        } else {
            path = "/" + path
        }
        let full = Path.normalized(String(path))
        guard view.exists(full) else { return (false, false) }
        if !view.list(full).isEmpty { return (true, true) }
        return (true, view.contents(of: full) == nil)
    }

    /// GRUB's `grub_strtoul` with base 0: blanks skipped, `0x` hex, leading `0` octal, digits up to
    /// the first that does not belong. `found` is false when there were none ("unrecognized number").
    static func strtoul(_ text: Substring) -> (value: UInt64, found: Bool) {
        var s = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        var base: UInt64 = 10
        if s.hasPrefix("0x") {
            base = 16
            s = s.dropFirst(2)
        } else if s.hasPrefix("0"), let next = s.dropFirst().first, ("0"..."7").contains(next) {
            base = 8
        }
        return CNumber.leadingDigits(s, radix: base)
    }

    /// GRUB's signed variant, narrowed to a C `int` as test.c does.
    static func strtosl(_ text: String) -> Int32 {
        if text.hasPrefix("-") { return 0 &- Int32(truncatingIfNeeded: strtoul(text.dropFirst()).value) }
        return Int32(truncatingIfNeeded: strtoul(Substring(text)).value)
    }

    /// Byte order, as C's strcmp.
    static func compare(_ a: String, _ b: String) -> Int {
        for (x, y) in zip(a.utf8, b.utf8) where x != y { return x < y ? -1 : 1 }
        return a.utf8.count == b.utf8.count ? 0 : (a.utf8.count < b.utf8.count ? -1 : 1)
    }

    private static func binary(_ left: String, _ op: String, _ right: String, _ m: GrubMachine) -> Bool? {
        // Every binary operator starts with one of `=!<>-`: other words are ruled out without comparing.
        guard let lead = op.utf8.first, lead == UInt8(ascii: "=") || lead == UInt8(ascii: "!") || lead == UInt8(ascii: "<")
            || lead == UInt8(ascii: ">") || lead == UInt8(ascii: "-") else { return nil }
        switch op {
        case "=", "==": return left == right
        case "!=": return left != right
        case "<": return compare(left, right) < 0
        case "<=": return compare(left, right) <= 0
        case ">": return compare(left, right) > 0
        case ">=": return compare(left, right) >= 0
        case "-eq": return strtosl(left) == strtosl(right)
        case "-ne": return strtosl(left) != strtosl(right)
        case "-lt": return strtosl(left) < strtosl(right)
        case "-le": return strtosl(left) <= strtosl(right)
        case "-gt": return strtosl(left) > strtosl(right)
        case "-ge": return strtosl(left) >= strtosl(right)
        case "-pgt", "-plt":
            // Skip the common prefix, then back over digits, and compare the numbers from there.
            let x = Array(left.utf8), y = Array(right.utf8)
            var i = 0
            while i < x.count, i < y.count, x[i] == y[i] { i += 1 }
            i -= 1
            while i > 0, i < x.count, (48...57).contains(x[i]) { i -= 1 }
            i += 1
            let a = strtoul(Substring(String(decoding: x[min(i, x.count)...], as: UTF8.self))).value
            let b = strtoul(Substring(String(decoding: y[min(i, y.count)...], as: UTF8.self))).value
            return op == "-pgt" ? a > b : a < b
        default:
            guard op.hasBytePrefix("-nt") || op.hasBytePrefix("-ot") else { return nil }
            // Modification times are not known here; existence decides, as GRUB's first rule does.
            let first = fileInfo(left, m).exists, second = fileInfo(right, m).exists
            return op.hasBytePrefix("-nt") ? first && !second : !first && second
        }
    }
}
