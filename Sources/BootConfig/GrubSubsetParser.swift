// Reads the small, honest subset of grub.cfg the walking skeleton needs: `set`, `menuentry`,
// `submenu`, `linux`, `initrd`, `default`, `timeout`. What it does not understand becomes a
// Diagnostic with file and line, never a failure. The full GRUB language is issue 3.

public enum GrubSubsetParser {
    /// Commands accepted without effect: they matter to GRUB's own display or loading only.
    static let ignoredCommands: Set<String> = [
        "insmod", "terminal_input", "terminal_output", "terminal", "loadfont", "gfxmode", "set_background_image",
        "background_image", "play", "echo", "serial", "load_video", "font", "export", "search", "recordfail",
        "gfxmode", "gfxpayload", "savedefault", "load_env", "save_env", "true", "false",
    ]
    static let linuxCommands: Set<String> = ["linux", "linux16", "linuxefi"]
    static let initrdCommands: Set<String> = ["initrd", "initrd16", "initrdefi"]

    /// Parses grub.cfg text read from `path` in its file view.
    public static func parse(_ text: String, path: String) -> BootConfiguration {
        var parser = State(path: path)
        parser.run(GrubWords.commands(in: text))
        return parser.finish()
    }

    private struct State {
        let path: String
        var variables: [String: String] = [:]
        var variableLines: [String: Int] = [:]
        var entries: [BootEntry] = []
        var diagnostics: [Diagnostic] = []
        var titles: [String] = []
        var current: BootEntry?
        var depth = 0  // open `{` blocks that are menuentry or submenu
        var blockKinds: [String] = []
        var skippingIf = 0
        var lastLine = 0

        init(path: String) { self.path = path }

        func location(_ line: Int) -> SourceLocation { SourceLocation(file: path, line: line) }

        mutating func warn(_ message: String, _ line: Int) {
            diagnostics.append(Diagnostic(.warning, message, at: location(line)))
        }

        func expand(_ word: GrubWord) -> String {
            guard word.text.contains("$") else { return word.text }
            var out = ""
            let s = Array(word.text.unicodeScalars)
            var i = 0
            while i < s.count {
                if s[i] == "$", i + 1 < s.count {
                    var name = ""
                    var j = i + 1
                    if s[j] == "{" {
                        j += 1
                        while j < s.count, s[j] != "}" { name.unicodeScalars.append(s[j]); j += 1 }
                        j += 1
                    } else {
                        while j < s.count, s[j].properties.isAlphabetic || s[j] == "_" || ("0"..."9").contains(s[j]) {
                            name.unicodeScalars.append(s[j]); j += 1
                        }
                    }
                    if name.isEmpty { out.unicodeScalars.append(s[i]); i += 1; continue }
                    out += variables[name] ?? ""
                    i = j
                } else {
                    out.unicodeScalars.append(s[i])
                    i += 1
                }
            }
            return out
        }

        mutating func run(_ commands: [GrubCommand]) {
            for command in commands { handle(command) }
        }

        mutating func handle(_ command: GrubCommand) {
            lastLine = command.line
            let name = command.words[0].quoted ? "" : command.name
            if skippingIf > 0 {
                if name == "if" { skippingIf += 1 }
                if name == "fi" { skippingIf -= 1 }
                return
            }
            let args = command.words.dropFirst().map(expand)
            switch name {
            case "if":
                warn("'if' is not supported yet; its block was skipped", command.line)
                skippingIf = 1
            case "set":
                for arg in args {
                    guard let eq = arg.firstIndex(of: "=") else { continue }
                    let name = String(arg[..<eq])
                    variables[name] = String(arg[arg.index(after: eq)...])
                    variableLines[name] = command.line
                }
            case "unset":
                for arg in args { variables[arg] = nil }
            case "menuentry", "submenu":
                openBlock(command, kind: name, args: Array(args))
            case "}":
                closeBlock(command.line)
            case _ where linuxCommands.contains(name):
                guard current != nil else { return warn("'\(name)' outside a menuentry", command.line) }
                current?.kernel = args.first.map { BootFile(Path.normalized($0)) }
                current?.commandLine = args.dropFirst().joined(separator: " ")
            case _ where initrdCommands.contains(name):
                guard current != nil else { return warn("'\(name)' outside a menuentry", command.line) }
                current?.initrds = args.map { BootFile(Path.normalized($0)) }
            case "multiboot", "multiboot2", "module", "module2", "chainloader":
                current?.unbootableReason = "'\(name)' cannot be booted with kexec"
            case _ where Self.isIgnored(name):
                break
            default:
                warn("unknown command '\(command.name)' ignored", command.line)
            }
        }

        static func isIgnored(_ name: String) -> Bool { GrubSubsetParser.ignoredCommands.contains(name) }

        mutating func openBlock(_ command: GrubCommand, kind: String, args: [String]) {
            guard command.words.last?.text == "{", command.words.last?.quoted == false, args.count >= 2 else {
                return warn("'\(kind)' without a title and '{' on the same line", command.line)
            }
            let title = args[0]
            if kind == "submenu" {
                titles.append(title)
            } else {
                if current != nil { warn("menuentry inside a menuentry", command.line) }
                current = BootEntry(title: (titles + [title]).joined(separator: " > "), kernel: nil, origin: location(command.line))
            }
            blockKinds.append(kind)
        }

        mutating func closeBlock(_ line: Int) {
            guard let kind = blockKinds.popLast() else { return warn("'}' without an open block", line) }
            if kind == "submenu" {
                _ = titles.popLast()
            } else if var entry = current {
                if entry.kernel == nil, entry.unbootableReason == nil { entry.unbootableReason = "no 'linux' command" }
                entries.append(entry)
                current = nil
            }
        }

        mutating func finish() -> BootConfiguration {
            if !blockKinds.isEmpty { warn("\(blockKinds.count) block(s) not closed at end of file", lastLine) }
            var defaultIndex = 0
            if let value = variables["default"], !value.isEmpty {
                if let n = Int(value), n >= 0, n < entries.count {
                    defaultIndex = n
                } else if let n = entries.firstIndex(where: { $0.title == value }) {
                    defaultIndex = n
                } else {
                    warn("default '\(value)' names no entry; using the first", variableLines["default"] ?? 0)
                }
            }
            let timeout = variables["timeout"].flatMap { Int($0) }.map { max($0, -1) }
            return BootConfiguration(
                path: path, entries: entries, defaultIndex: defaultIndex,
                timeout: timeout == -1 ? nil : timeout, diagnostics: diagnostics)
        }
    }
}
