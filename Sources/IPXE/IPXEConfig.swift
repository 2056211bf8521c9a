// Reads an iPXE script as Baton entries: the script runs as iPXE would run it — settings, tests,
// `goto`, images fetched and their arguments — up to `boot`, which becomes an entry. An iPXE
// menu (`menu`/`item`/`choose`) becomes one entry per item: the script runs on from `choose` once
// for each item, as if the user had picked it. `chain` to another script follows it. Nothing is
// fetched but scripts (through `fetch`); what iPXE can do and Baton cannot is a diagnostic with
// file and line, and an item leading there is shown as not bootable with the reason.

import BootModel

/// What fetching a `chain`ed URL found.
public enum IPXEFetch: Sendable, Equatable {
    /// Another iPXE script, to run.
    case script(String)
    /// Not a script: an image to boot (a kernel).
    case image
    case failed(String)
}

public struct IPXEOptions: Sendable {
    public var settings = IPXESettings()
    /// Bounds on the work one script may cause.
    public var stepLimit = 200_000
    public var entryLimit = 256
    public var chainDepth = 8
    public var menuDepth = 3

    public init() {}
}

public enum IPXEConfig {
    /// Whether `bytes` start as an iPXE script does (`#!ipxe`).
    public static func isScript(_ bytes: some Collection<UInt8>) -> Bool { IPXEScript.isScript(bytes) }

    /// The entries a script leads to. `url` is where it came from (relative URLs are resolved
    /// against it); `fetch` reads a URL that `chain` names.
    public static func load(text: String, url: String, options: IPXEOptions = IPXEOptions(),
                            fetch: (String) -> IPXEFetch) -> BootConfiguration {
        withoutActuallyEscaping(fetch) { fetch in
            var run = IPXERun(options: options, fetch: fetch)
            let script = IPXEScript(text: text, url: url)
            if !IPXEScript.isScript(text.utf8) {
                run.warn("the script does not start with #!ipxe", file: url, line: 1)
            }
            var state = IPXEState(script: script, settings: options.settings)
            run.explore(&state, titlePrefix: "", menus: [])
            // A script without a menu boots what it loaded at once, as iPXE does.
            var configuration = BootConfiguration(path: url, entries: run.entries, defaultIndex: run.defaultIndex ?? 0,
                                                  timeout: run.sawMenu ? run.timeout : 0, diagnostics: run.diagnostics)
            if run.entries.isEmpty {
                configuration.diagnostics.append(Diagnostic(.error, "the script leads to no boot", at: SourceLocation(file: url, line: 1)))
            }
            return configuration
        }
    }
}

/// Where the script is: its position, its settings and the images it fetched.
struct IPXEState: Sendable {
    struct Image: Sendable, Equatable {
        var name: String
        var url: String
        var arguments: String
    }

    var script: IPXEScript
    var settings: IPXESettings
    var line = 0
    var command = 0
    /// Whether the command at `command` runs (by the join before it), and how the last run ended.
    var process = true
    var lastSucceeded = true
    var images: [Image] = []
    var selected: String?
    var items: [IPXEItem] = []
    var chains = 0

    init(script: IPXEScript, settings: IPXESettings) {
        self.script = script
        self.settings = settings
    }
}

struct IPXEItem: Sendable, Equatable {
    var label: String
    var text: String
    var key: Character?
    var isDefault: Bool
    var line: Int
}

/// How a path through the script ended.
enum IPXEStop {
    case boot(BootEntry)
    case unbootable(String, line: Int)
    case choose(variable: String, defaultLabel: String?, timeoutMilliseconds: Int?, line: Int)
}

/// One reading of a script: the entries so far, the diagnostics, the work done.
struct IPXERun {
    let options: IPXEOptions
    let fetch: (String) -> IPXEFetch
    var entries: [BootEntry] = []
    var diagnostics: [Diagnostic] = []
    var reported: Set<Diagnostic> = []
    var steps = 0
    var defaultIndex: Int?
    var timeout: Int?
    /// Whether the script reached a menu (`choose`); without one it boots at once.
    var sawMenu = false

    init(options: IPXEOptions, fetch: @escaping (String) -> IPXEFetch) {
        self.options = options
        self.fetch = fetch
    }

    mutating func warn(_ message: String, file: String, line: Int, severity: Diagnostic.Severity = .warning) {
        let diagnostic = Diagnostic(severity, message, at: SourceLocation(file: file, line: line))
        if reported.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }

    /// Runs the script from `state`; at a menu, once for each item. `menus` are the menus on the
    /// way here: an item that leads back to one of them (a "back" or "retry" item) adds nothing.
    mutating func explore(_ state: inout IPXEState, titlePrefix: String, menus: [String]) {
        switch run(&state) {
        case .boot(var entry):
            guard entries.count < options.entryLimit else { return }
            if !titlePrefix.isEmpty { entry.title = titlePrefix }
            entries.append(entry)
        case .unbootable(let reason, let line):
            guard !titlePrefix.isEmpty else {
                warn(reason, file: state.script.url, line: line)
                return
            }
            guard entries.count < options.entryLimit else { return }
            entries.append(BootEntry(title: titlePrefix, kernel: nil, origin: SourceLocation(file: state.script.url, line: line),
                                     unbootableReason: reason))
        case .choose(let variable, let defaultLabel, let timeoutMilliseconds, let line):
            let here = "\(state.script.url):\(line)"
            guard !menus.contains(here) else { return }
            let items = state.items
            guard !items.isEmpty else {
                warn("choose: the menu has no items", file: state.script.url, line: line)
                return
            }
            guard menus.count < options.menuDepth else {
                warn("choose: menus nested deeper than \(options.menuDepth) are not followed", file: state.script.url, line: line)
                return
            }
            let topLevel = menus.isEmpty
            sawMenu = true
            let wanted = defaultLabel ?? items.first { $0.isDefault }?.label ?? items[0].label
            for item in items {
                guard entries.count < options.entryLimit, steps < options.stepLimit else { break }
                var branch = state
                branch.items = []
                branch.settings.values[variable] = item.label
                let first = entries.count
                let text = item.text.isEmpty ? item.label : item.text
                explore(&branch, titlePrefix: titlePrefix.isEmpty ? text : "\(titlePrefix) > \(text)", menus: menus + [here])
                if entries.count > first, entries[first].hotkey == nil { entries[first].hotkey = item.key }
                if topLevel, item.label == wanted, defaultIndex == nil, entries.count > first { defaultIndex = first }
            }
            if topLevel, let timeoutMilliseconds, timeoutMilliseconds > 0 {
                timeout = (timeoutMilliseconds + 999) / 1000
            }
        }
    }

    /// Runs commands until the path ends.
    mutating func run(_ state: inout IPXEState) -> IPXEStop {
        lines: while true {
            guard state.line < state.script.lines.count else {
                let last = state.script.lines.last?.number ?? 1
                // A kernel loaded and no `boot`: offered all the same (iPXE would stop; petitboot offers it).
                if let selected = state.selected, let kernel = state.images.first(where: { $0.name == selected }) {
                    warn("the script ends without 'boot'; the kernel it loaded is offered", file: state.script.url, line: last)
                    return .boot(entry(kernel, state: state, line: last))
                }
                return .unbootable("the script ended without booting", line: last)
            }
            let line = state.script.lines[state.line]
            guard case .command(let words) = line.kind else {
                state.line += 1
                continue
            }
            let commands = IPXEJoin.split(words)
            while state.command < commands.count {
                let index = state.command
                let (command, next) = commands[index]
                if state.process, !command.isEmpty {
                    steps += 1
                    guard steps <= options.stepLimit else {
                        warn("the script ran past \(options.stepLimit) commands", file: state.script.url, line: line.number, severity: .error)
                        return .unbootable("the script ran past \(options.stepLimit) commands", line: line.number)
                    }
                    var argv: [String] = []
                    for word in command {
                        guard let expanded = state.settings.expand(word) else {
                            return .unbootable("a setting expanded past \(IPXESettings.expansionLimit) bytes", line: line.number)
                        }
                        argv.append(expanded)
                    }
                    switch execute(argv, state: &state, line: line.number) {
                    case .done(let succeeded):
                        state.lastSucceeded = succeeded
                    case .jump:
                        continue lines
                    case .stop(let stop):
                        if case .choose = stop {
                            // Each item's run goes on after `choose`, which succeeded.
                            state.lastSucceeded = true
                            if let next {
                                state.command = index + 1
                                state.process = next != .onFailure
                            } else {
                                state.line += 1
                                state.command = 0
                                state.process = true
                            }
                        }
                        return stop
                    }
                }
                guard let next else { break }
                state.process = switch next {
                case .always: true
                case .onSuccess: state.lastSucceeded
                case .onFailure: !state.lastSucceeded
                }
                state.command = index + 1
            }
            state.line += 1
            state.command = 0
            state.process = true
        }
    }

    enum Outcome {
        case done(Bool)
        /// `goto`, or a chained script: the state is already where the script goes on.
        case jump
        case stop(IPXEStop)
    }

    /// One command, its words expanded.
    mutating func execute(_ argv: [String], state: inout IPXEState, line: Int) -> Outcome {
        let file = state.script.url
        let name = argv[0]
        let arguments = Array(argv.dropFirst())
        switch name {
        case "set":
            guard let setting = arguments.first else { return fail("set: no setting named", file, line) }
            state.settings.values[setting] = arguments.dropFirst().joined(separator: " ")
            return .done(true)
        case "clear":
            guard let setting = arguments.first else { return fail("clear: no setting named", file, line) }
            state.settings.values[setting] = nil
            return .done(true)
        case "echo":
            return .done(true)
        case "isset":
            return .done(arguments.count == 1 && !arguments[0].isEmpty)
        case "iseq":
            return .done(arguments.count == 2 && arguments[0] == arguments[1])
        case "goto":
            guard let label = arguments.first, let index = state.script.labels[label] else {
                return .stop(.unbootable("goto: no label '\(arguments.first ?? "")'", line: line))
            }
            state.line = index
            state.command = 0
            state.process = true
            return .jump
        case "kernel", "imgselect", "chain", "boot", "imgexec", "initrd", "imgfetch", "module":
            return image(name, arguments, state: &state, line: line)
        case "imgargs":
            guard let target = arguments.first, let index = state.images.firstIndex(where: { $0.name == target }) else {
                return fail("imgargs: no image '\(arguments.first ?? "")'", file, line)
            }
            state.images[index].arguments = arguments.dropFirst().joined(separator: " ")
            return .done(true)
        case "imgfree":
            if let target = arguments.first {
                state.images.removeAll { $0.name == target }
                if state.selected == target { state.selected = nil }
            } else {
                state.images = []
                state.selected = nil
            }
            return .done(true)
        case "menu":
            state.items = []
            return .done(true)
        case "item":
            return item(arguments, state: &state, line: line)
        case "choose":
            return choose(arguments, state: &state, line: line)
        case "dhcp", "ifconf", "ifopen", "ifstat", "sleep", "imgstat", "sync", "ntp", "console", "colour", "cpair", "params", "param":
            // Done already (Baton's own DHCP), or about iPXE's own screen and timing.
            return .done(true)
        case "prompt":
            // No key is pressed while a script is read: the path a machine left alone takes.
            return .done(false)
        case "exit", "shell", "reboot", "poweroff":
            return .stop(.unbootable("the script goes to iPXE's '\(name)' here", line: line))
        case "sanboot", "sanhook":
            return .stop(.unbootable("\(name) (booting from a SAN disk) is not supported", line: line))
        case "imgverify", "imgtrust":
            return fail("\(name): Baton does not verify image signatures; the check fails", file, line)
        default:
            return fail("'\(name)' is not supported", file, line)
        }
    }

    mutating func fail(_ message: String, _ file: String, _ line: Int) -> Outcome {
        warn(message, file: file, line: line)
        return .done(false)
    }

    /// `kernel`, `initrd`, `chain`, `boot` and their kin: fetch an image (by name), select it, boot.
    mutating func image(_ name: String, _ arguments: [String], state: inout IPXEState, line: Int) -> Outcome {
        var words = arguments[...]
        var imageName: String?
        // Options come first, as iPXE's getopt reads them (it stops at the first other word, or `--`).
        while let word = words.first, word.hasPrefix("-") {
            words.removeFirst()
            if word == "--" { break }
            if word == "--name" || word == "-n" {
                imageName = words.popFirst()
            } else if word.hasPrefix("--name=") {
                imageName = String(word.dropFirst(7))
            } else if word == "--timeout" || word == "-t" {
                _ = words.popFirst()
            }
        }
        let file = state.script.url
        let boots = ["chain", "boot", "imgexec"].contains(name)
        if boots, words.isEmpty {
            // Boot the selected image (`kernel` then `boot`).
            guard let selected = state.selected, let kernel = state.images.first(where: { $0.name == selected }) else {
                return .stop(.unbootable("\(name): no kernel was loaded", line: line))
            }
            return .stop(.boot(entry(kernel, state: state, line: line)))
        }
        guard let reference = words.first else { return fail("\(name): no image named", file, line) }
        if name == "imgselect" || (boots && state.images.contains { $0.name == reference }) {
            guard let found = state.images.first(where: { $0.name == reference }) else { return fail("imgselect: no image '\(reference)'", file, line) }
            state.selected = found.name
            if boots { return .stop(.boot(entry(found, state: state, line: line))) }
            return .done(true)
        }
        guard let url = IPXEURL.resolve(reference, against: file) else {
            return fail("\(name): '\(reference)' is not a URL Baton can fetch", file, line)
        }
        let image = IPXEState.Image(name: imageName ?? IPXEURL.lastComponent(url), url: url, arguments: words.dropFirst().joined(separator: " "))
        if boots {
            switch fetch(url) {
            case .script(let text):
                guard state.chains < options.chainDepth else {
                    return .stop(.unbootable("chain: scripts chained deeper than \(options.chainDepth)", line: line))
                }
                state.chains += 1
                state.script = IPXEScript(text: text, url: url)
                state.line = 0
                state.command = 0
                state.process = true
                return .jump
            case .failed(let why):
                warn("\(name): \(url): \(why)", file: file, line: line)
                return .done(false)
            case .image:
                state.images.removeAll { $0.name == image.name }
                state.images.append(image)
                state.selected = image.name
                return .stop(.boot(entry(image, state: state, line: line)))
            }
        }
        state.images.removeAll { $0.name == image.name }
        state.images.append(image)
        if name == "kernel" { state.selected = image.name }
        return .done(true)
    }

    /// The entry booting `kernel`: every other image is an initrd, in the order fetched.
    func entry(_ kernel: IPXEState.Image, state: IPXEState, line: Int) -> BootEntry {
        let initrds = state.images.filter { $0.name != kernel.name }.compactMap { BootFile(url: $0.url) }
        return BootEntry(
            title: "iPXE: \(kernel.name)", kernel: BootFile(url: kernel.url), initrds: initrds,
            commandLine: kernel.arguments, origin: SourceLocation(file: state.script.url, line: line))
    }

    /// `item [--key K] [--default] [--gap] [LABEL [TEXT…]]`.
    mutating func item(_ arguments: [String], state: inout IPXEState, line: Int) -> Outcome {
        var words = arguments[...]
        var key: Character?
        var isDefault = false
        var gap = false
        options: while let word = words.first, word.hasPrefix("-") {
            words.removeFirst()
            switch word {
            case "--": break options
            case "--key", "-k": key = words.popFirst()?.first
            case "--default", "-d": isDefault = true
            case "--gap", "-g": gap = true
            default: warn("item: option \(word) is not known", file: state.script.url, line: line)
            }
        }
        guard !gap, let label = words.first else { return .done(true) }
        state.items.append(IPXEItem(label: label, text: words.dropFirst().joined(separator: " "), key: key, isDefault: isDefault, line: line))
        return .done(true)
    }

    /// `choose [--default LABEL] [--timeout MS] [--keep] VARIABLE`.
    mutating func choose(_ arguments: [String], state: inout IPXEState, line: Int) -> Outcome {
        var words = arguments[...]
        var defaultLabel: String?
        var timeout: Int?
        while let word = words.first, word.hasPrefix("-") {
            words.removeFirst()
            switch word {
            case "--default", "-d": defaultLabel = words.popFirst()
            case "--timeout", "-t": timeout = words.popFirst().flatMap { Int($0) }
            case "--keep", "-k": break
            default: warn("choose: option \(word) is not known", file: state.script.url, line: line)
            }
        }
        guard let variable = words.first else { return fail("choose: no setting to store the choice in", state.script.url, line) }
        return .stop(.choose(variable: variable, defaultLabel: defaultLabel, timeoutMilliseconds: timeout, line: line))
    }
}

/// URLs as iPXE scripts write them: absolute (`http://…`, `tftp://…`), from the server's root
/// (`/path`), or relative to the script.
enum IPXEURL {
    static func resolve(_ reference: String, against base: String) -> String? {
        if BootFile.splitURL(reference) != nil { return reference }
        guard let (root, path) = BootFile.splitURL(base), !reference.isEmpty else { return nil }
        if reference.hasPrefix("/") { return root + reference }
        let directory = path.prefix { $0 != "?" }
        let cut = directory.lastIndex(of: "/").map { directory[...$0] } ?? "/"
        return root + cut + reference
    }

    static func lastComponent(_ url: String) -> String {
        let path = (BootFile.splitURL(url)?.path ?? url).prefix { $0 != "?" }
        return String(path.split(separator: "/").last ?? "image")
    }
}
