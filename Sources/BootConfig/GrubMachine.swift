// The GRUB script interpreter's state and its execution of statements: variables, functions,
// positional parameters, control flow and word expansion. Commands live in GrubCommands.swift.
// Work is bounded (steps, call depth, source depth) so no input can hang the menu.

/// A menu entry or submenu defined while a script ran; its body runs when the entry is built.
struct GrubMenuNode {
    var title: String
    var id: String?
    var extraArguments: [String]
    var body: [GrubStatement]
    var submenu: Bool
    var origin: SourceLocation
    var restrictedTo: String?
}

/// What the loader commands of an entry's body asked for.
struct GrubLoadedBoot {
    var kernel: BootFile?
    var arguments: [String] = []
    var initrds: [BootFile] = []
    var devicetree: BootFile?
    var unbootableReason: String?
}

enum GrubFlow: Equatable {
    case next
    case breakLoop(Int)
    case continueLoop(Int)
    case returned
    /// The work budget ran out: stop everything.
    case exhausted
}

/// Limits on the work one configuration may cause.
public struct GrubLimits: Sendable {
    public var steps = 200_000
    public var callDepth = 64
    public var sourceDepth = 16
    public init() {}
}

struct GrubMachine {
    let devices: [GrubDevice]
    let configDevice: GrubDevice
    let limits: GrubLimits
    var variables: [String: String] = [:]
    var exported: Set<String> = []
    var functions: [String: [GrubStatement]] = [:]
    var positional: [String] = []
    var status: Int32 = 0
    var menu: [GrubMenuNode] = []
    var loaded = GrubLoadedBoot()
    var file: String
    var sourceStack: [String] = []
    var callDepth = 0
    /// Shared across copies of the machine made for entries, so the budget is global.
    let budget: Budget
    var diagnostics: DiagnosticLog
    var output: [String] = []

    final class Budget: @unchecked Sendable {
        var steps: Int
        init(_ steps: Int) { self.steps = steps }
    }

    /// Collects diagnostics once each (a function called ten times reports a problem once).
    final class DiagnosticLog {
        private(set) var all: [Diagnostic] = []
        private var seen: Set<Diagnostic> = []
        func add(_ d: Diagnostic) {
            if seen.insert(d).inserted { all.append(d) }
        }
    }

    init(configDevice: GrubDevice, devices: [GrubDevice], file: String, limits: GrubLimits) {
        self.configDevice = configDevice
        self.devices = devices
        self.file = file
        self.limits = limits
        self.budget = Budget(limits.steps)
        self.diagnostics = DiagnosticLog()
    }

    // MARK: diagnostics

    func warn(_ message: String, line: Int) {
        diagnostics.add(Diagnostic(.warning, message, at: SourceLocation(file: file, line: line)))
    }

    func fail(_ message: String, line: Int) {
        diagnostics.add(Diagnostic(.error, message, at: SourceLocation(file: file, line: line)))
    }

    // MARK: variables

    func value(of name: String) -> String {
        if let n = Int(name) {
            return n >= 1 && n <= positional.count ? positional[n - 1] : ""
        }
        switch name {
        case "#": return String(positional.count)
        case "@", "*": return positional.joined(separator: " ")
        case "?": return String(status)
        default: return variables[name] ?? ""
        }
    }

    static func isValidName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    // MARK: expansion

    /// A word's arguments: unquoted variable values are split on blanks; an unquoted empty
    /// variable alone gives no argument, a quoted empty string gives one.
    func expand(_ word: GrubWord) -> [String] {
        if word.parts == [.variable("@", quoted: true)] { return positional }
        var fields: [String] = []
        var current = ""
        var started = false
        for part in word.parts {
            switch part {
            case .text(let text, _):
                current += text
                started = true
            case .variable(let name, quoted: true):
                current += value(of: name)
                started = true
            case .variable(let name, quoted: false):
                let value = value(of: name)
                let pieces = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                if let first = value.first, first == " " || first == "\t" || first == "\n", started {
                    fields.append(current)
                    current = ""
                    started = false
                }
                for (n, piece) in pieces.enumerated() {
                    if n > 0 {
                        fields.append(current)
                        current = ""
                    }
                    current += piece
                    started = true
                }
                if let last = value.last, last == " " || last == "\t" || last == "\n", !pieces.isEmpty {
                    fields.append(current)
                    current = ""
                    started = false
                }
            }
        }
        if started { fields.append(current) }
        return fields
    }

    func expand(_ words: [GrubWord]) -> [String] { words.flatMap(expand) }

    // MARK: execution

    mutating func spend() -> Bool {
        budget.steps -= 1
        if budget.steps == 0 { fail("work limit reached (\(limits.steps) steps); the rest of the configuration was not run", line: 0) }
        return budget.steps > 0
    }

    mutating func run(_ statements: [GrubStatement]) -> GrubFlow {
        for statement in statements {
            let flow = run(statement)
            if flow != .next { return flow }
        }
        return .next
    }

    mutating func run(_ statement: GrubStatement) -> GrubFlow {
        guard spend() else { return .exhausted }
        switch statement {
        case .command(let words, let line):
            return command(expand(words), line: line)
        case .conditional(let clauses, let otherwise, _):
            for clause in clauses {
                let flow = run(clause.condition)
                if flow != .next { return flow }
                if status == 0 { return run(clause.body) }
            }
            if let otherwise { return run(otherwise) }
            status = 0
            return .next
        case .loop(let condition, let body, let until, _):
            while true {
                let flow = run(condition)
                if flow != .next { return flow }
                if (status == 0) == until { break }
                switch run(body) {
                case .next, .continueLoop(1): continue
                case .breakLoop(1): return .next
                case .breakLoop(let n): return .breakLoop(n - 1)
                case .continueLoop(let n): return .continueLoop(n - 1)
                case .returned: return .returned
                case .exhausted: return .exhausted
                }
            }
            status = 0
            return .next
        case .forEach(let variable, let items, let body, _):
            for item in expand(items) {
                variables[variable] = item
                switch run(body) {
                case .next, .continueLoop(1): continue
                case .breakLoop(1): return .next
                case .breakLoop(let n): return .breakLoop(n - 1)
                case .continueLoop(let n): return .continueLoop(n - 1)
                case .returned: return .returned
                case .exhausted: return .exhausted
                }
            }
            return .next
        case .function(let name, let body, _):
            functions[name] = body
            status = 0
            return .next
        case .menuEntry(let words, let body, let submenu, let line):
            defineMenuEntry(expand(words), body: body, submenu: submenu, line: line)
            return .next
        }
    }

    /// Runs one command line: `!` inverts, `name=value` assigns, then functions, then commands.
    mutating func command(_ argv: [String], line: Int) -> GrubFlow {
        guard let name = argv.first else {
            status = 0
            return .next
        }
        if name == "!" {
            let flow = command(Array(argv.dropFirst()), line: line)
            status = status == 0 ? 1 : 0
            return flow
        }
        if let body = functions[name] {
            return call(body, arguments: Array(argv.dropFirst()), line: line)
        }
        if GrubCommands.table[name] == nil, let eq = name.firstIndex(of: "="), Self.isValidName(name[..<eq]) {
            variables[String(name[..<eq])] = String(name[name.index(after: eq)...])
            status = 0
            return .next
        }
        guard let implementation = GrubCommands.table[name] else {
            warn("unknown command '\(name)'", line: line)
            status = 1
            return .next
        }
        return implementation(&self, Array(argv.dropFirst()), line)
    }

    mutating func call(_ body: [GrubStatement], arguments: [String], line: Int) -> GrubFlow {
        guard callDepth < limits.callDepth else {
            fail("function calls nested more than \(limits.callDepth) deep", line: line)
            status = 1
            return .next
        }
        let saved = positional
        positional = arguments
        callDepth += 1
        let flow = run(body)
        callDepth -= 1
        positional = saved
        return flow == .exhausted ? .exhausted : .next
    }

    mutating func defineMenuEntry(_ argv: [String], body: [GrubStatement], submenu: Bool, line: Int) {
        var title: String?
        var id: String?
        var users: String?
        var extra: [String] = []
        var rest = argv[...]
        let kind = submenu ? "submenu" : "menuentry"
        while let arg = rest.popFirst() {
            switch arg {
            case "--class", "--hotkey", "--users", "--id", "--source":
                guard let value = rest.popFirst() else {
                    warn("\(kind) option \(arg) needs a value", line: line)
                    continue
                }
                if arg == "--id" { id = value }
                if arg == "--users" { users = value }
            case "--unrestricted": users = nil
            case _ where arg.hasPrefix("--class=") || arg.hasPrefix("--hotkey="): break
            case _ where arg.hasPrefix("--id="): id = String(arg.dropFirst(5))
            case _ where arg.hasPrefix("--users="): users = String(arg.dropFirst(8))
            case "--":
                if title == nil, let t = rest.popFirst() { title = t }
                extra += rest
                rest = []
            default:
                if title == nil { title = arg } else { extra.append(arg) }
            }
        }
        guard let title else {
            warn("\(kind) without a title", line: line)
            return
        }
        menu.append(GrubMenuNode(
            title: title, id: id, extraArguments: extra, body: body, submenu: submenu,
            origin: SourceLocation(file: file, line: line), restrictedTo: users))
        status = 0
    }

    // MARK: files and devices

    /// The device a GRUB device name refers to: a known device by name, UUID= or LABEL=,
    /// or — for firmware names such as `hd0,gpt2` — the device the configuration came from.
    func deviceReference(_ name: String) -> DeviceReference {
        let name = name.hasPrefix("(") && name.hasSuffix(")") ? String(name.dropFirst().dropLast()) : name
        if name.isEmpty || name == configDevice.name { return .configDevice }
        if devices.contains(where: { $0.name == name }) { return .named(name) }
        if name.hasPrefix("UUID=") {
            let uuid = String(name.dropFirst(5))
            if let device = devices.first(where: { $0.uuid?.lowercased() == uuid.lowercased() }) {
                return device.name == configDevice.name ? .configDevice : .named(device.name)
            }
            return .uuid(uuid)
        }
        if name.hasPrefix("LABEL=") {
            let label = String(name.dropFirst(6))
            if let device = devices.first(where: { $0.label == label }) {
                return device.name == configDevice.name ? .configDevice : .named(device.name)
            }
            return .label(label)
        }
        return .configDevice
    }

    /// A file argument: `(device)/path`, or `/path` on `$root`.
    func file(_ argument: String) -> BootFile {
        if argument.hasPrefix("("), let close = argument.firstIndex(of: ")") {
            let device = String(argument[argument.index(after: argument.startIndex)..<close])
            let path = String(argument[argument.index(after: close)...])
            return BootFile(Path.normalized(path), on: deviceReference(device))
        }
        return BootFile(Path.normalized(argument), on: deviceReference(value(of: "root")))
    }

    /// The files of the device a reference names, when it is known.
    func files(on reference: DeviceReference) -> (any FileView)? {
        switch reference {
        case .configDevice: return configDevice.files
        case .named(let name): return devices.first { $0.name == name }?.files
        case .uuid, .label, .unknown: return nil
        }
    }

    func read(_ file: BootFile) -> String? { files(on: file.device)?.text(of: file.path) }

    func exists(_ file: BootFile) -> Bool { files(on: file.device)?.exists(file.path) ?? false }
}
