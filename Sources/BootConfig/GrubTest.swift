// GRUB's `test` / `[ … ]`: string, integer and file tests joined by `!`, `-a`, `-o` and parentheses.

enum GrubTest {
    static func evaluate(_ args: [String], files m: GrubMachine) -> Bool {
        guard !args.isEmpty else { return false }
        var parser = Parser(args: args, machine: m)
        let result = parser.or()
        return result
    }

    private struct Parser {
        let args: [String]
        let machine: GrubMachine
        var i = 0
        var depth = 0

        init(args: [String], machine: GrubMachine) {
            self.args = args
            self.machine = machine
        }

        var remaining: Int { args.count - i }

        mutating func or() -> Bool {
            var value = and()
            while i < args.count, args[i] == "-o" {
                i += 1
                let right = and()
                value = value || right
            }
            return value
        }

        mutating func and() -> Bool {
            var value = not()
            while i < args.count, args[i] == "-a" {
                i += 1
                let right = not()
                value = value && right
            }
            return value
        }

        mutating func not() -> Bool {
            if i < args.count, args[i] == "!", remaining > 1 {
                i += 1
                return !not()
            }
            return primary()
        }

        mutating func primary() -> Bool {
            guard i < args.count else { return false }
            if args[i] == "(", depth < 64 {
                i += 1
                depth += 1
                let value = or()
                depth -= 1
                if i < args.count, args[i] == ")" { i += 1 }
                return value
            }
            if remaining >= 3, let result = binary(args[i], args[i + 1], args[i + 2]) {
                i += 3
                return result
            }
            if remaining >= 2, let result = unary(args[i], args[i + 1]) {
                i += 2
                return result
            }
            let word = args[i]
            i += 1
            return !word.isEmpty
        }

        func unary(_ op: String, _ operand: String) -> Bool? {
            switch op {
            case "-n": return !operand.isEmpty
            case "-z": return operand.isEmpty
            case "-e": return machine.exists(machine.file(operand))
            case "-f":
                let file = machine.file(operand)
                return machine.files(on: file.device)?.contents(of: file.path) != nil
            case "-d":
                let file = machine.file(operand)
                guard let view = machine.files(on: file.device) else { return false }
                return view.exists(file.path) && view.contents(of: file.path) == nil
            case "-s":
                let file = machine.file(operand)
                return !(machine.files(on: file.device)?.contents(of: file.path)?.isEmpty ?? true)
            default: return nil
            }
        }

        static func integer(_ s: String) -> Int {
            var digits = Substring(s)
            var sign = 1
            if digits.first == "-" { sign = -1; digits = digits.dropFirst() }
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
                return sign * (Int(digits.dropFirst(2).prefix { $0.isHexDigit }, radix: 16) ?? 0)
            }
            return sign * (Int(digits.prefix { $0.isASCII && $0.isNumber }) ?? 0)
        }

        /// The number after a non-numeric prefix, for `-pgt`/`-plt` ("vmlinuz-10" → 10).
        static func prefixedInteger(_ s: String) -> Int {
            integer(String(s.drop { !($0.isASCII && $0.isNumber) }))
        }

        func binary(_ left: String, _ op: String, _ right: String) -> Bool? {
            switch op {
            case "=", "==": return left == right
            case "!=": return left != right
            case "<": return left < right
            case "<=": return left <= right
            case ">": return left > right
            case ">=": return left >= right
            case "-eq": return Self.integer(left) == Self.integer(right)
            case "-ne": return Self.integer(left) != Self.integer(right)
            case "-lt": return Self.integer(left) < Self.integer(right)
            case "-le": return Self.integer(left) <= Self.integer(right)
            case "-gt": return Self.integer(left) > Self.integer(right)
            case "-ge": return Self.integer(left) >= Self.integer(right)
            case "-pgt": return Self.prefixedInteger(left) > Self.prefixedInteger(right)
            case "-plt": return Self.prefixedInteger(left) < Self.prefixedInteger(right)
            case "-nt", "-ot": return false  // modification times are not known here
            default: return nil
            }
        }
    }
}
