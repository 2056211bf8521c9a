// The GRUB script interpreter's state and its execution of statements: variables, functions,
// positional parameters, control flow and word expansion, as grub-core/script/execute.c does them.
// Commands live in GrubCommands.swift. Work is bounded (steps, GRUB's own recursion limit).

import BootModel

/// A menu entry or submenu defined while a script ran; its body runs when the entry is built.
struct GrubMenuNode {
    var title: String
    var id: String?
    var extraArguments: [String]
    var body: GrubCode
    var submenu: Bool
    var origin: SourceLocation
    var restrictedTo: String?
    var hotkey: Character?
}

/// What the loader commands of an entry's body asked for.
struct GrubLoadedBoot {
    var kernel: BootFile?
    var arguments: ArraySlice<String> = []
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

/// GRUB's error numbers (include/grub/err.h), which become `$?` after a command fails.
enum GrubError {
    static let none: Int32 = 0
    static let testFailure: Int32 = 1
    static let badFileType: Int32 = 4
    static let fileNotFound: Int32 = 5
    static let badFilename: Int32 = 7
    static let badNumber: Int32 = 10
    static let unknownDevice: Int32 = 12
    static let invalidCommand: Int32 = 17
    static let badArgument: Int32 = 18
}

/// Limits on the work one configuration may cause.
public struct GrubLimits: Sendable {
    public var steps = 200_000
    /// GRUB fails a command nested this deep (commands, lists, calls and sourced files each count).
    public var recursionDepth = 63
    /// Longest value a variable may hold, and most text one command's arguments or all output may
    /// take: GRUB would run out of memory first; Baton stops growing them.
    public var valueBytes = 1 << 14
    public var textBytes = 1 << 18
    /// Most menu entries and submenus one configuration may define (each submenu's own count).
    public var menuEntries = 10_000
    /// Nesting already in use when the configuration starts (grub-oracle sources the
    /// configuration from its own, two levels deeper than a real boot).
    var initialDepth = 0
    public init() {}
}

/// A field of the arguments being built: GRUB keeps the last one "not yet started" until text lands
/// in it, so an unquoted empty variable yields no argument while `""` yields an empty one.
struct GrubArgv {
    private(set) var args: [String] = []
    private var current: String?
    /// Bytes still allowed; text past it is dropped.
    var room = GrubLimits().textBytes

    /// Room for `count` arguments (one per word, the common case), so none is added by regrowing.
    mutating func reserve(_ count: Int) { args.reserveCapacity(count) }

    mutating func next() {
        if let current { args.append(current) }
        current = nil
    }

    mutating func append(_ text: String) {
        let size = text.utf8.count
        guard size <= room else {
            current = current ?? ""
            return
        }
        room -= size
        if current == nil { current = text } else { current?.append(text) }
    }

    /// Adds a variable's value: whole when quoted; else split on blanks, the first field joining
    /// the current argument and later ones starting new ones.
    mutating func appendValue(_ value: String, quoted: Bool) {
        guard !value.isEmpty else { return }
        // Most values hold no blank: they are their one field, with no copy.
        guard !quoted, value.containsByte(where: Self.isBlank) else {
            append(value)
            return
        }
        for (n, field) in Self.fields(value).enumerated() {
            if n > 0 { next() }
            append(field)
        }
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    mutating func finish() -> [String] {
        next()
        return args
    }

    /// The text before and after the first `byte` (ASCII), as GRUB splits bytes; nil without it.
    /// (A search by Character would cost grapheme breaking, and miss a byte a combining mark follows.)
    static func split(_ text: String, at byte: UInt8) -> (String, String)? {
        guard let at = text.firstIndex(ofByte: byte) else { return nil }
        // An ASCII byte is a Unicode scalar of its own, so the text is sliced around it as it is.
        return (String(text[..<at]), String(text[text.utf8.index(after: at)...]))
    }

    /// The blank-separated fields of a value (blanks are ASCII, so bytes are enough and fast).
    static func fields(_ value: String) -> [String] {
        var out: [String] = []
        var start: String.Index?
        let utf8 = value.utf8
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let blank = isBlank(utf8[i])
            if blank, let s = start {
                out.append(String(value[s..<i]))
                start = nil
            } else if !blank, start == nil {
                start = i
            }
            i = utf8.index(after: i)
        }
        if let s = start { out.append(String(value[s...])) }
        return out
    }
}

/// The id path of the menu entry running: its submenus' ids (or titles), then its own.
struct GrubChosen {
    var prefix: String?
    var name: String
    var value: String { prefix.map { $0 + ">" + name } ?? name }
}

struct GrubMachine {
    let devices: [BootVolume]
    let configDevice: BootVolume
    let limits: GrubLimits
    var variables: [String: String] = [:]
    /// GRUB's `$chosen` while a menu entry runs, kept beside `variables` and put together only
    /// when read, so that running an entry copies no dictionary and builds no string; a `set` or
    /// `unset` of `chosen` takes over from it.
    var chosen: GrubChosen?
    var exported: Set<String> = []
    var functions: [String: GrubList] = [:]
    /// The arguments of the running function or menu entry; nil outside any (GRUB's "no scope").
    var positional: [String]?
    var status: Int32 = 0
    var menu: [GrubMenuNode] = []
    /// Whether the menu-entry limit was reported (once is enough).
    var menuOverflowReported = false
    var loaded = GrubLoadedBoot()
    var file: String
    var depth = 0
    var activeLoops = 0
    /// Variables a `search` failed to set, with the value they kept: files on that value wait for
    /// the device the search named.
    var pendingSearches: [String: (value: String, device: DeviceReference)] = [:]
    /// Shared across copies of the machine made for entries, so the budget is global.
    let budget: Budget
    /// Whether the script looked at devices other than its own (`search`, `(vdb1)/…`): then
    /// what it yields may change when devices come or go. Shared across copies, like `budget`.
    let deviceUse = DeviceUse()
    var diagnostics: DiagnosticLog
    /// Whether what commands print is kept. A menu entry's body runs only to learn what it would
    /// load, and what it prints is never shown, so its machine keeps nothing.
    var recordsOutput = true
    /// What `echo` and friends printed, as one stream (`echo -n` leaves the line open).
    var outputText = ""
    /// The arguments of every `echo`, for tests that compare them.
    var echoed: [[String]] = []
    var echoedBytes = 0

    final class Budget: @unchecked Sendable {
        var steps: Int
        init(_ steps: Int) { self.steps = steps }
    }

    final class DeviceUse: @unchecked Sendable {
        var consultedOthers = false
    }

    /// Collects diagnostics once each (a function called ten times reports a problem once).
    final class DiagnosticLog {
        private(set) var all: [Diagnostic] = []
        private var seen: Set<Diagnostic> = []
        func add(_ d: Diagnostic) {
            if seen.insert(d).inserted { all.append(d) }
        }
    }

    init(configDevice: BootVolume, devices: [BootVolume], file: String, limits: GrubLimits) {
        self.configDevice = configDevice
        self.devices = devices
        self.file = file
        self.limits = limits
        self.depth = limits.initialDepth
        self.budget = Budget(limits.steps)
        self.diagnostics = DiagnosticLog()
    }

    /// The lines printed so far.
    var output: [String] {
        var lines = outputText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
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
        if name == "chosen", let chosen { return chosen.value }
        return name == "?" ? String(status) : variables[name] ?? ""
    }

    /// Removes a variable, as `unset` does.
    mutating func unsetVariable(_ name: String) {
        variables[name] = nil
        if name == "chosen" { chosen = nil }
    }

    /// The names of the variables set, in order, as `set` alone lists them.
    var variableNames: [String] {
        (chosen == nil ? Array(variables.keys) : Array(Set(variables.keys).union(["chosen"]))).sorted()
    }

    /// A new context, as `configfile` and submenus get: only exported variables stay.
    mutating func keepOnlyExported() {
        variables = variables.filter { exported.contains($0.key) }
        chosen = nil
    }

    /// Names GRUB reserves for positional parameters: they cannot be assigned.
    static func isSpecialName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        return (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || name == "#" || name == "*" || name == "@"
    }

    /// Adds what a variable reference yields to the arguments being built: one value when quoted,
    /// the blank-separated fields when not.
    func appendValue(of name: String, quoted: Bool, to argv: inout GrubArgv) {
        // Quotes make an argument even when what is inside expands to nothing.
        if quoted { argv.append("") }
        guard Self.isSpecialName(name) else {
            argv.appendValue(value(of: name), quoted: quoted)
            return
        }
        guard let positional else { return }
        switch name {
        case "#": argv.append(String(positional.count))
        case "*" where quoted: argv.append(positional.joined(separator: " "))
        case "@" where quoted:
            for (n, value) in positional.enumerated() {
                if n > 0 { argv.next() }
                argv.append(value)
            }
        case "*", "@":
            // Every field of every parameter is an argument of its own; the first joins the current one.
            var first = true
            for value in positional {
                for field in GrubArgv.fields(value) {
                    if !first { argv.next() }
                    first = false
                    argv.append(field)
                }
            }
        default:
            guard let n = Int(name), n >= 1, n <= positional.count else { return }
            argv.appendValue(positional[n - 1], quoted: quoted)
        }
    }

    // MARK: expansion

    /// The arguments words expand to, as GRUB builds them.
    func expand(_ program: GrubProgram, words: GrubProgram.Span) -> [String] {
        var argv = GrubArgv()
        argv.room = limits.textBytes
        argv.reserve(words.count)
        for word in words.range {
            argv.next()
            for index in program.words[word].range {
                let part = program.parts[index]
                let text = program.strings[Int(part.string)]
                if part.isVariable {
                    appendValue(of: text, quoted: part.quoted, to: &argv)
                } else if part.quoted || !text.isEmpty {
                    argv.append(text)
                }
            }
        }
        return argv.finish()
    }

    // MARK: execution

    /// Work units (one step of the regular-expression matcher, say) that make a step of the budget.
    static let unitsPerStep = 16  // measured: a step of plain commands takes about as long as 12 units

    /// The budget left, in work units.
    var unitsLeft: Int { max(0, budget.steps) * Self.unitsPerStep }

    /// Charges work done inside one command, in units; false when the budget ran out.
    mutating func spend(units: Int) -> Bool {
        budget.steps -= units / Self.unitsPerStep
        return spend()
    }

    mutating func spend() -> Bool {
        budget.steps -= 1
        if budget.steps <= 0 { fail("work limit reached (\(limits.steps) steps); the rest of the configuration was not run", line: 0) }
        return budget.steps > 0
    }

    /// GRUB counts the nesting of everything it runs and fails what goes too deep; a failure
    /// leaves its count behind, as GRUB's does.
    mutating func enter(line: Int) -> Bool {
        depth += 1
        guard depth < limits.recursionDepth else {
            fail("maximum recursion depth exceeded", line: line)
            return false
        }
        return true
    }

    /// Runs chunks as GRUB runs a file: functions defined in a chunk exist before its commands run.
    mutating func run(_ code: GrubCode) -> GrubFlow {
        let program = code.program
        for chunk in program.chunks[code.chunks.range] {
            for index in chunk.range where program.statements[index].kind == .function {
                let function = program.statements[index]
                functions[program.strings[function.name]] = GrubList(program: program, statements: function.body)
            }
            let flow = run(program, list: chunk)
            if flow == .exhausted || flow == .returned { return flow }
        }
        return .next
    }

    /// A list of commands (GRUB's cmdlist).
    mutating func run(_ program: GrubProgram, list: GrubProgram.Span) -> GrubFlow {
        guard enter(line: list.isEmpty ? 0 : Int(program.statements[Int(list.start)].line)) else { return .next }
        defer { depth -= 1 }
        for index in list.range {
            let flow = run(program, statement: index)
            if flow != .next { return flow }
        }
        return .next
    }

    mutating func run(_ program: GrubProgram, statement index: Int) -> GrubFlow {
        let statement = program.statements[index]
        if statement.kind == .function { return .next }
        let line = Int(statement.line)
        guard spend() else { return .exhausted }
        guard enter(line: line) else { return .next }
        defer { depth -= 1 }
        switch statement.kind {
        case .command:
            return command(program, words: statement.words, block: statement.block, line: line)
        case .conditional:
            return conditional(program, clauses: statement.clauses, otherwise: statement.otherwise)
        case .loop:
            activeLoops += 1
            defer { activeLoops -= 1 }
            let until = statement.isUntil
            while true {
                // Every round costs a step, even one whose lists are refused for depth.
                guard spend() else { return .exhausted }
                let flow = run(program, list: statement.condition)
                if flow != .next { return flow == .exhausted || flow == .returned ? flow : .next }
                if (status == 0) == until { return .next }
                switch run(program, list: statement.body) {
                case .next, .continueLoop(1): continue
                case .breakLoop(1): return .next
                case .breakLoop(let n): return .breakLoop(n - 1)
                case .continueLoop(let n): return .continueLoop(n - 1)
                case .returned: return .returned
                case .exhausted: return .exhausted
                }
            }
        case .forEach:
            activeLoops += 1
            defer { activeLoops -= 1 }
            var flowOut = GrubFlow.next
            status = 0
            let variable = program.strings[statement.name]
            for item in expand(program, words: statement.items) {
                assign(variable, item, line: line)
                switch run(program, list: statement.body) {
                case .next, .continueLoop(1): continue
                case .breakLoop(1): return .next
                case .breakLoop(let n): flowOut = .breakLoop(n - 1)
                case .continueLoop(let n): flowOut = .continueLoop(n - 1)
                case .returned: return .returned
                case .exhausted: return .exhausted
                }
                break
            }
            return flowOut
        case .function:
            return .next
        }
    }

    /// `if`: each `elif` is a nested `if` in GRUB, one level deeper.
    mutating func conditional(_ program: GrubProgram, clauses: GrubProgram.Span, otherwise: GrubProgram.Span?) -> GrubFlow {
        guard !clauses.isEmpty else { return .next }
        let clause = program.clauses[Int(clauses.start)]
        let flow = run(program, list: clause.condition)
        if flow == .exhausted || flow == .returned { return flow }
        if status == 0 { return run(program, list: clause.body) }
        if clauses.count > 1 {
            let rest = GrubProgram.Span(Int(clauses.start) + 1, Int(clauses.end))
            let condition = program.clauses[Int(rest.start)].condition
            guard enter(line: condition.isEmpty ? 0 : Int(program.statements[Int(condition.start)].line)) else { return .next }
            defer { depth -= 1 }
            return conditional(program, clauses: rest, otherwise: otherwise)
        }
        if let otherwise { return run(program, list: otherwise) }
        status = 0
        return .next
    }

    /// Sets a variable. GRUB's hook on `root` drops the parentheses of a device name (`(hd0)` → `hd0`).
    mutating func setVariable(_ name: String, _ value: String) {
        var value = value
        if value.utf8.count > limits.valueBytes {
            warn("value of '\(name)' cut to \(limits.valueBytes) bytes", line: 0)
            value = String(decoding: value.utf8.prefix(limits.valueBytes), as: UTF8.self)
        }
        if name == "chosen" { chosen = nil }
        variables[name] = name == "root" ? Self.unparenthesized(value) ?? value : value
    }

    /// Sets a variable as a script assignment does (`a=b`, `for a in …`): positional names are refused.
    mutating func assign(_ name: String, _ value: String, line: Int) {
        if Self.isSpecialName(name) {
            warn("invalid variable name '\(name)'", line: line)
            return
        }
        setVariable(name, value)
    }

    /// Runs one command line: `!` inverts, then commands, functions, and `name=value` assignments.
    mutating func command(_ program: GrubProgram, words: GrubProgram.Span, block index: Int?, line: Int) -> GrubFlow {
        var argv = expand(program, words: words)
        // Long arguments cost work in proportion: a step per 256 bytes.
        let bytes = argv.reduce(0) { $0 + $1.utf8.count }
        if bytes >= 256 {
            guard spend(units: bytes / 256 * Self.unitsPerStep) else { return .exhausted }
        }
        guard var name = argv.first else {
            status = 0
            return .next
        }
        var invert = false
        if name == "!" {
            guard argv.count > 1 else {
                warn("'!' with no command", line: line)
                status = GrubError.badArgument
                return .next
            }
            invert = true
            argv.removeFirst()
            name = argv[0]
        }
        argv.removeFirst()  // in place: the arguments need no array of their own
        let arguments = argv
        let block = index.map { GrubBlockReference(program: program, index: $0) }
        let flow: GrubFlow
        if let implementation = GrubCommands.table[name] {
            let withBlock = block.map { GrubCommands.takesBlock(name) ? arguments : arguments + ["{\($0.source)}"] } ?? arguments
            flow = implementation(&self, GrubCommandCall(name: name, arguments: withBlock, block: block, line: line))
        } else if let body = functions[name] {
            flow = call(body, arguments: arguments + (block.map { ["{\($0.source)}"] } ?? []), line: line)
        } else {
            if let (variable, value) = GrubArgv.split(name, at: UInt8(ascii: "=")) {
                assign(variable, value, line: line)
            } else {
                warn("unknown command '\(name)'", line: line)
            }
            // GRUB leaves `$?` at 0 here, and `!` is not applied.
            status = 0
            return .next
        }
        if invert {
            status = status == GrubError.none ? GrubError.testFailure : GrubError.none
        }
        return flow
    }

    mutating func call(_ body: GrubList, arguments: [String], line: Int) -> GrubFlow {
        let flow = inScope(restoring: .arguments) { m in
            m.positional = arguments
            m.activeLoops = 0
            return m.run(body.program, list: body.statements)
        }
        return flow == .exhausted ? .exhausted : .next
    }

    /// The parts of the machine's context a nested run may change and that are put back after
    /// it: a function call's arguments (and its loops: `break` never leaves a function), the
    /// file a `source` reads, and the variables of a `configfile`'s new context.
    struct Scope: OptionSet {
        let rawValue: UInt8
        static let arguments = Scope(rawValue: 1)
        static let file = Scope(rawValue: 2)
        static let variables = Scope(rawValue: 4)
    }

    /// Runs `body`, then puts back the parts of the context that `parts` names as they were:
    /// the one save and restore of the machine's context.
    mutating func inScope(restoring parts: Scope, _ body: (inout GrubMachine) -> GrubFlow) -> GrubFlow {
        let outer = (positional: positional, activeLoops: activeLoops, file: file, variables: variables, chosen: chosen, exported: exported)
        let flow = body(&self)
        if parts.contains(.arguments) {
            positional = outer.positional
            activeLoops = outer.activeLoops
        }
        if parts.contains(.file) { file = outer.file }
        if parts.contains(.variables) {
            variables = outer.variables
            chosen = outer.chosen
            exported = outer.exported
        }
        return flow
    }

    mutating func defineMenuEntry(_ argv: [String], body: GrubCode, submenu: Bool, line: Int) {
        var title: String?
        var hotkey: Character?
        var id: String?
        var users: String?
        var extra: [String] = []
        var rest = argv[...]
        let kind = submenu ? "submenu" : "menuentry"
        var optionsDone = false
        while let arg = rest.popFirst() {
            if optionsDone || !arg.startsWithDash || arg == "-" {
                if title == nil { title = arg } else { extra.append(arg) }
                continue
            }
            var option = arg
            var value: String?
            if arg.hasBytePrefix("--"), let (name, rest) = GrubArgv.split(arg, at: UInt8(ascii: "=")) {
                option = name
                value = rest
            }
            switch option {
            case "--":
                optionsDone = true
            case "--unrestricted":
                users = nil
            case "--class", "--users", "--hotkey", "--id", "--source":
                if value == nil, let next = rest.first, !next.startsWithDash {
                    value = rest.popFirst()
                }
                guard let value else {
                    warn("\(kind): missing value for \(option); entry not defined", line: line)
                    status = GrubError.badArgument
                    return
                }
                if option == "--id" { id = value }
                if option == "--hotkey" { hotkey = Self.hotkey(named: value) }
                if option == "--users" { users = value }
                if option == "--source" {
                    warn("\(kind): both --source and a body; entry not defined", line: line)
                    status = GrubError.badArgument
                    return
                }
            default:
                warn("\(kind): unknown option \(arg); entry not defined", line: line)
                status = GrubError.badArgument
                return
            }
        }
        guard let title else {
            warn("\(kind) without a title; entry not defined", line: line)
            status = GrubError.badArgument
            return
        }
        guard menu.count < limits.menuEntries else {
            // Reported once, at the first entry left out (the log would otherwise grow with the file).
            if !menuOverflowReported {
                menuOverflowReported = true
                warn("more than \(limits.menuEntries) menu entries; '\(title)' and those after it are not shown", line: line)
            }
            status = GrubError.none
            return
        }
        menu.append(GrubMenuNode(
            title: title, id: id, extraArguments: extra, body: body, submenu: submenu,
            origin: SourceLocation(file: file, line: line), restrictedTo: users, hotkey: hotkey))
        status = 0
    }

    /// GRUB's `--hotkey` value: one character, or the names it knows for three keys.
    static func hotkey(named value: String) -> Character? {
        switch value {
        case "backspace": "\u{8}"
        case "tab": "\t"
        case "delete": "\u{7f}"
        default: value.count == 1 ? value.first : nil
        }
    }

    // MARK: files and devices

    /// Device names firmware gives (GRUB's `hd0,gpt2`, `lvm/vg-root`…): Baton takes them to mean
    /// the device the configuration came from.
    static func isFirmwareName(_ name: String) -> Bool {
        if name.firstIndex(ofByte: UInt8(ascii: ",")) != nil { return true }
        for prefix in diskPrefixes where name.hasBytePrefix(prefix) {
            let rest = name.utf8.dropFirst(prefix.utf8CodeUnitCount)
            if rest.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { return true }
        }
        return firmwarePrefixes.contains { name.hasBytePrefix($0) }
    }

    private static let diskPrefixes: [StaticString] = ["hd", "cd", "fd"]
    private static let firmwarePrefixes: [StaticString] = [
        "lvm/", "md/", "mduuid/", "cryptouuid/", "ieee1275", "ahci", "ata", "usb", "scsi", "nvme", "efidisk", "memdisk",
    ]

    /// The device a GRUB device name refers to: a known device by name, UUID= or LABEL=, or — for
    /// firmware names — the device the configuration came from.
    func deviceReference(_ name: String) -> DeviceReference {
        let name = Self.unparenthesized(name) ?? name
        if name.isEmpty || name == configDevice.name { return .configDevice }
        let reference = resolveDevice(name)
        // `hd0,gpt2` means the config's own device whatever else is present; `vdb1` or `nvme0`
        // may name a device that comes later.
        if reference != .configDevice || !(name.contains(",") || Self.isFirmwareName(name) && name.count <= 4) {
            deviceUse.consultedOthers = true
        }
        return reference
    }

    private func resolveDevice(_ name: String) -> DeviceReference {
        if devices.contains(where: { $0.name == name }) { return .named(name) }
        if name.hasBytePrefix("UUID=") {
            let uuid = String(name.dropFirst(5))
            if let device = devices.first(where: { $0.uuid?.equalsIgnoringASCIICase(uuid) ?? false }) {
                return device.name == configDevice.name ? .configDevice : .named(device.name)
            }
            return .uuid(uuid)
        }
        if name.hasBytePrefix("LABEL=") {
            let label = String(name.dropFirst(6))
            if let device = devices.first(where: { $0.label == label }) {
                return device.name == configDevice.name ? .configDevice : .named(device.name)
            }
            return .label(label)
        }
        if let server = networkServer(name) { return server }
        return Self.isFirmwareName(name) ? .configDevice : .unknown(name)
    }

    /// GRUB's network devices: `tftp`, `http` or `pxe`, alone (the server is
    /// `$net_default_server`) or with `,SERVER`; the config's own device when it is that server.
    private func networkServer(_ name: String) -> DeviceReference? {
        let proto = name.prefix { $0 != "," }
        guard ["tftp", "http", "pxe"].contains(proto) else { return nil }
        var server = String(name.dropFirst(proto.count + 1))
        if server.isEmpty { server = variables["net_default_server"] ?? variables["pxe_default_server"] ?? "" }
        guard !server.isEmpty else { return .unknown(name) }
        let scheme = proto == "http" ? "http" : "tftp"
        if configDevice.name == "\(scheme),\(server)" { return .configDevice }
        return .server("\(scheme)://\(server)")
    }

    /// A file argument: `(device)/path`, or `/path` on `$root`. GRUB refuses names without a leading
    /// `/` after the device ("invalid file name"): those give nil. When the device name is the value
    /// a failed `search` left in its variable and GRUB would not find the file there either, the
    /// file waits for the device the search asked for.
    func file(_ argument: String) -> BootFile? {
        guard let (named, path) = Self.splitDevice(argument) else { return nil }
        let device = named ?? value(of: "root")
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }  // (a byte test: Substring's hasPrefix is generic and slow)
        let normalized = Path.normalized(String(path))
        let reference = deviceReference(device)
        if let wanted = pendingDevice(for: device), !(files(on: reference)?.exists(normalized) ?? false) {
            return BootFile(normalized, on: wanted)
        }
        return BootFile(normalized, on: reference)
    }

    /// The name inside `(…)`, when the whole text is one in parentheses (bytes, as GRUB looks).
    static func unparenthesized(_ text: String) -> String? {
        let utf8 = text.utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "("), utf8.last == UInt8(ascii: ")") else { return nil }
        return String(text.dropFirst().dropLast())
    }

    /// `(device)path` split at the first `)`, looking at bytes as GRUB does (a search by Character
    /// pays for grapheme breaking over the whole name). The device is nil when there are no
    /// parentheses; the whole is nil when a `(` is never closed.
    static func splitDevice(_ argument: String) -> (device: String?, path: Substring)? {
        let utf8 = argument.utf8
        guard utf8.first == UInt8(ascii: "(") else { return (nil, Substring(argument)) }
        guard let close = argument.firstIndex(ofByte: UInt8(ascii: ")")) else { return nil }
        return (String(argument[utf8.index(after: utf8.startIndex)..<close]), argument[utf8.index(after: close)...])
    }

    /// The device a failed `search` asked for, when `name` is the value it left in its variable.
    func pendingDevice(for name: String) -> DeviceReference? {
        guard !pendingSearches.isEmpty else { return nil }
        for variable in pendingSearches.keys.sorted() {
            if let pending = pendingSearches[variable], pending.value == name, variables[variable] ?? "" == name {
                return pending.device
            }
        }
        return nil
    }

    /// The files of the device a reference names, when it is known.
    func files(on reference: DeviceReference) -> (any FileView)? {
        switch reference {
        case .configDevice: return configDevice.files
        case .named(let name): return devices.first { $0.name == name }?.files
        case .uuid, .label, .unknown, .server: return nil
        }
    }

    func device(for reference: DeviceReference) -> BootVolume? {
        switch reference {
        case .configDevice: return configDevice
        case .named(let name): return devices.first { $0.name == name }
        case .uuid, .label, .unknown, .server: return nil
        }
    }

    func read(_ file: BootFile) -> String? { files(on: file.device)?.text(of: file.path) }

    func exists(_ file: BootFile) -> Bool { files(on: file.device)?.exists(file.path) ?? false }

    /// Prints as GRUB's console does (up to a limit: output only matters to tests and logs).
    mutating func print(_ text: String) {
        guard recordsOutput, outputText.utf8.count + text.utf8.count <= limits.textBytes else { return }
        outputText += text
    }
}

/// One command as it runs: its expanded arguments, the `{ … }` block it ends with, and its line.
struct GrubCommandCall {
    var name: String
    var arguments: [String]
    var block: GrubBlockReference?
    var line: Int
}
