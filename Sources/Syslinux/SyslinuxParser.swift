// Reads a syslinux / isolinux / extlinux / pxelinux config into a SyslinuxDocument, directive by
// directive, with the state machine of syslinux's readconfig.c: a LABEL is recorded when the next
// LABEL, MENU BEGIN / END / SEPARATOR or the end of input comes, INCLUDE reads on with the same
// state (as if the files were concatenated), and what is not understood becomes a diagnostic.

import BootModel

struct SyslinuxParser {
    /// Syslinux documents 16 levels of INCLUDE.
    static let maxIncludeDepth = 16
    /// Submenus nest at most this deep here (syslinux sets no bound; titles would grow without one).
    static let maxMenuDepth = 16
    /// Help text kept per label, in characters (a screenful is a few hundred).
    static let maxHelpLength = 8192

    let view: any FileView
    var document: SyslinuxDocument
    var budget: SyslinuxBudget
    private var pending: SyslinuxLabel?
    private var globalAppend: String?
    private var globalSysappend: UInt64 = 0
    private var currentMenu = 0
    private var includeStack: [String] = []
    /// MENU BEGINs past `maxMenuDepth`, so that their MENU ENDs pair up.
    private var ignoredSubmenus = 0

    private init(view: any FileView, document: SyslinuxDocument, budget: SyslinuxBudget) {
        self.view = view
        self.document = document
        self.budget = budget
    }

    /// Parses the file at `path` and what it includes; nil when the file cannot be read.
    static func parse(_ path: String, workingDirectory: String, in view: any FileView, budget: inout SyslinuxBudget) -> SyslinuxDocument? {
        let path = Path.normalized(path)
        guard budget.files > 0 else { return nil }
        guard let bytes = view.contents(of: path) else { return nil }
        var parser = SyslinuxParser(
            view: view, document: SyslinuxDocument(path: path, workingDirectory: Path.normalized(workingDirectory)), budget: budget)
        _ = parser.budget.takeFile()
        parser.includeStack = [path]
        if parser.budget.takeBytes(bytes.count) {
            parser.parseFile(bytes, path: path)
        } else {
            parser.budgetExhausted(at: SourceLocation(file: path, line: 0))
        }
        parser.record()
        parser.document.globalAppend = parser.globalAppend
        if parser.currentMenu != 0 {
            let open = parser.document.menuPath(of: parser.currentMenu).count
            parser.warn("\(open) MENU BEGIN without MENU END at the end of the configuration", SourceLocation(file: path, line: 0))
        }
        budget = parser.budget
        return parser.document
    }

    // MARK: Lines

    private mutating func parseFile(_ bytes: [UInt8], path: String) {
        let lines = SyslinuxLine.lines(of: bytes)
        var i = 0
        while i < lines.count {
            guard budget.takeLine() else { return budgetExhausted(at: SourceLocation(file: path, line: lines[i].number)) }
            var line = lines[i]
            i += 1
            if line.isEmpty || line.isComment { continue }
            let location = SourceLocation(file: path, line: line.number)
            if line.wasCut {
                warn("line longer than \(SyslinuxLine.maxLength) bytes: cut (syslinux would read the rest as another line)", location)
            }
            let keyword = line.keyword()
            if keyword == "text" {
                i = readText(kind: line.keyword(), lines: lines, from: i, location: location)
            } else {
                handle(keyword, &line, location)
            }
        }
    }

    /// TEXT HELP … ENDTEXT: the lines between are the pending label's help. Returns the next line.
    private mutating func readText(kind: String, lines: [SyslinuxLine], from start: Int, location: SourceLocation) -> Int {
        var i = start
        var text: [String] = []
        var closed = false
        while i < lines.count {
            guard budget.takeLine() else {
                budgetExhausted(at: location)
                return lines.count
            }
            var line = lines[i]
            i += 1
            if line.keyword() == "endtext" {
                closed = true
                break
            }
            text.append(lines[i - 1].text)
        }
        if !closed { warn("TEXT without ENDTEXT: the rest of the file was read as text", location) }
        guard kind == "help" else {
            warn("TEXT \(kind.isEmpty ? "" : kind.uppercased() + " ")block ignored (only TEXT HELP is known)", location)
            return i
        }
        guard pending != nil else {
            warn("TEXT HELP outside a LABEL is ignored", location)
            return i
        }
        let help = Self.helpText(text)
        if !help.isEmpty, var label = pending, (label.help?.utf8.count ?? 0) < Self.maxHelpLength {
            let joined = [label.help, help].compactMap { $0 }.joined(separator: "\n")
            label.help = String(joined.prefix(Self.maxHelpLength))
            pending = label
        }
        return i
    }

    /// Help lines as the menu shows them, without the indentation the file gives them.
    static func helpText(_ lines: [String]) -> String {
        var trimmed = lines.map { SyslinuxText.trimmed($0) }
        while trimmed.first?.isEmpty == true { trimmed.removeFirst() }
        while trimmed.last?.isEmpty == true { trimmed.removeLast() }
        return trimmed.joined(separator: "\n")
    }

    // MARK: Directives

    /// Directives accepted and ignored: they matter to syslinux's console, display or network only.
    static let ignoredDirectives: Set<String> = [
        "allowoptions", "noescape", "nocomplete", "nohalt", "console", "pxeretry", "sendcookies", "serial",
        "say", "display", "font", "kbdmap", "onerror", "kaslrseed",
    ]

    private mutating func handle(_ keyword: String, _ line: inout SyslinuxLine, _ location: SourceLocation) {
        switch keyword {
        case "menu":
            handleMenu(&line, location)
        case "include":
            include(line.rest(), location)
        case "label":
            record()
            let name = line.rest()
            if name.isEmpty { warn("LABEL without a name", location) }
            pending = SyslinuxLabel(
                name: name, location: location, workingDirectory: document.workingDirectory, sysappend: globalSysappend)
        case "append":
            let text = line.rest()
            if pending != nil { pending?.append = text } else { globalAppend = text }
        case "initrd":
            let text = line.rest()
            if pending != nil { pending?.initrd = text } else { warn("INITRD outside a LABEL is ignored", location) }
        case _ where SyslinuxImageKind(keyword: keyword) != nil:
            let text = line.rest()
            guard pending != nil, let kind = SyslinuxImageKind(keyword: keyword) else {
                return warn("\(keyword.uppercased()) outside a LABEL is ignored", location)
            }
            if text.isEmpty, kind != .localboot { warn("\(keyword.uppercased()) without a file", location) }
            pending?.kernel = text
            pending?.kind = kind
        case "fdt", "devicetree":
            let text = line.rest()
            if pending != nil { pending?.devicetree = text } else { warn("\(keyword.uppercased()) outside a LABEL is ignored", location) }
        case "fdtdir":
            let text = line.rest()
            if pending != nil { pending?.devicetreeDirectory = text } else { warn("FDTDIR outside a LABEL is ignored", location) }
        case "fdtoverlays":
            warn("FDTOVERLAYS is not applied: kexec boots with the devicetree as it is", location)
        case "timeout":
            let tenths = SyslinuxText.atoi(line.rest())
            document.timeout = tenths
            if currentMenu < document.menus.count { document.menus[currentMenu].timeout = tenths }
        case "totaltimeout":
            document.totalTimeout = SyslinuxText.atoi(line.rest())
        case "ontimeout":
            let directive = SyslinuxDocument.Directive(text: line.rest(), location: location)
            document.onTimeout = directive
            document.menus[currentMenu].onTimeout = directive
        case "default":
            document.defaultCommand = SyslinuxDocument.Directive(text: line.rest(), location: location)
        case "ui":
            document.ui = SyslinuxDocument.Directive(text: line.rest(), location: location)
        case "prompt":
            document.prompt = SyslinuxText.atoi(line.rest())
        case "implicit":
            document.implicit = SyslinuxText.atoi(line.rest())
        case "ipappend", "sysappend":
            let bits = SyslinuxText.strtoul(line.rest())
            if pending != nil { pending?.sysappend = bits } else { globalSysappend = bits }
        case "path":
            document.modulePath += line.rest().split(separator: ":").map { SyslinuxText.trimmed($0) }.filter { !$0.isEmpty }
        case _ where Self.ignoredDirectives.contains(keyword) || Self.isFunctionKey(keyword):
            break
        default:
            warn("unknown directive '\(line.text.split(whereSeparator: SyslinuxText.isBlank).first.map(String.init) ?? keyword)' ignored", location)
        }
    }

    /// F0 … F12 name help files for the function keys.
    static func isFunctionKey(_ keyword: String) -> Bool {
        guard keyword.hasPrefix("f"), let n = Int(keyword.dropFirst()) else { return false }
        return (0...12).contains(n)
    }

    /// MENU directives that only change how syslinux draws its menu.
    static let ignoredMenuDirectives: Set<String> = [
        "start", "shiftkey", "save", "nosave", "immediate", "noimmediate", "onerror", "background", "hidden",
        "hiddenkey", "clear", "autoboot", "tabmsg", "notabmsg", "passprompt", "color", "colour", "msgcolor",
        "msgcolour", "indent", "resolution", "master", "width", "margin", "passwordmargin", "rows", "tabmsgrow",
        "cmdlinerow", "endrow", "passwordrow", "timeoutrow", "helpmsgrow", "helpmsgendrow", "hshift", "vshift",
        "hiddenrow",
    ]

    private mutating func handleMenu(_ line: inout SyslinuxLine, _ location: SourceLocation) {
        let keyword = line.keyword()
        let menu = currentMenu
        switch keyword {
        case "label":
            let text = line.rest()
            if pending != nil {
                pending?.menuLabel = text
            } else if menu != 0 {
                document.menus[menu].name = text
                document.menus[menu].nameSource = .menuLabel
                if document.menus[menu].title.isEmpty { document.menus[menu].title = SyslinuxText.strippingCarets(text) }
            } else {
                warn("MENU LABEL outside a LABEL or submenu is ignored", location)
            }
        case "title":
            let text = line.rest()
            document.menus[menu].title = text
            if menu != 0, document.menus[menu].nameSource == .tag {
                document.menus[menu].name = text
                document.menus[menu].nameSource = .menuTitle
            }
        case "default":
            if pending != nil {
                pending?.menuDefault = true
            } else if let parent = document.menus[menu].parent, let item = document.menus[menu].item {
                document.menus[parent].defaultItem = item
            } else {
                warn("MENU DEFAULT outside a LABEL or submenu is ignored", location)
            }
        case "hide":
            if pending != nil { pending?.hidden = true } else { warn("MENU HIDE outside a LABEL is ignored", location) }
        case "disable", "disabled":
            if pending != nil { pending?.disabled = true } else { warn("MENU DISABLE outside a LABEL is ignored", location) }
        case "passwd":
            if pending != nil {
                pending?.hasPassword = true
            } else if menu != 0 {
                document.menus[menu].hasPassword = true
            }
        case "include":
            include(line.rest(), location)
        case "separator":
            record()
        case "begin":
            record()
            beginSubmenu(line.rest(), location)
        case "end":
            record()
            if !endSubmenu() { warn("MENU END without MENU BEGIN", location) }
        case "quit", "goto", "help":
            if pending != nil { pending?.action = .navigation }
        case "exit":
            // At the top, there is nothing to exit to and syslinux keeps the label bootable.
            if pending != nil, menu != 0 { pending?.action = .navigation }
        case _ where Self.ignoredMenuDirectives.contains(keyword):
            break
        default:
            warn("unknown directive 'MENU \(keyword.uppercased())' ignored", location)
        }
    }

    // MARK: Structure

    /// Records the pending LABEL into the current menu, as syslinux's record() does.
    private mutating func record() {
        guard var label = pending else { return }
        pending = nil
        label.globalAppend = globalAppend
        let index = document.items.count
        document.items.append(.label(label, menu: currentMenu))
        if label.menuDefault, !label.hidden, !label.disabled, label.action == .boot {
            document.menus[currentMenu].defaultItem = index
        }
    }

    private mutating func beginSubmenu(_ tag: String, _ location: SourceLocation) {
        let depth = document.menus[currentMenu].depth + 1
        guard depth <= Self.maxMenuDepth else {
            if ignoredSubmenus == 0 { warn("submenus nest deeper than \(Self.maxMenuDepth) levels; the deeper ones are merged into their parent", location) }
            ignoredSubmenus += 1
            return
        }
        let id = document.menus.count
        var menu = SyslinuxDocument.Menu(parent: currentMenu, name: tag, nameSource: .tag)
        menu.timeout = document.menus[currentMenu].timeout
        menu.onTimeout = document.menus[currentMenu].onTimeout
        menu.depth = depth
        menu.item = document.items.count
        document.menus.append(menu)
        document.items.append(.submenu(id, menu: currentMenu))
        currentMenu = id
    }

    /// Closes the current submenu; false at the top, where there is none to close.
    private mutating func endSubmenu() -> Bool {
        if ignoredSubmenus > 0 {
            ignoredSubmenus -= 1
            return true
        }
        guard let parent = document.menus[currentMenu].parent else { return false }
        currentMenu = parent
        return true
    }

    /// INCLUDE / MENU INCLUDE file [tag]: reads the file here; with a tag, inside a new submenu.
    private mutating func include(_ text: String, _ location: SourceLocation) {
        let (file, tag) = SyslinuxText.splitFirstWord(text)
        guard !file.isEmpty else { return warn("INCLUDE without a file", location) }
        let path = SyslinuxPath.resolve(file, workingDirectory: document.workingDirectory, in: view)
        if includeStack.contains(path) {
            let chain = (includeStack + [path]).joined(separator: " > ")
            return warn("INCLUDE \(file) would include a file already being read (\(chain)); skipped", location)
        }
        guard includeStack.count <= Self.maxIncludeDepth else {
            return warn("INCLUDE \(file) nests deeper than \(Self.maxIncludeDepth) levels; skipped", location)
        }
        guard budget.takeFile() else { return budgetExhausted(at: location) }
        guard let bytes = view.contents(of: path) else {
            return warn("INCLUDE \(file): \(path) not found; skipped, as syslinux does", location)
        }
        guard budget.takeBytes(bytes.count) else { return budgetExhausted(at: location) }
        if !tag.isEmpty {
            record()
            beginSubmenu(tag, location)
        }
        includeStack.append(path)
        parseFile(bytes, path: path)
        includeStack.removeLast()
        if !tag.isEmpty {
            record()
            _ = endSubmenu()
        }
    }

    // MARK: Diagnostics

    private mutating func warn(_ message: String, _ location: SourceLocation) {
        document.diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    private mutating func budgetExhausted(at location: SourceLocation) {
        guard !budget.reported else { return }
        budget.reported = true
        document.diagnostics.append(Diagnostic(
            .error, "configuration too large (over \(SyslinuxBudget.lineLimit) lines, \(SyslinuxBudget.fileLimit) files or \(SyslinuxBudget.byteLimit / 1_048_576) MiB read); the rest was skipped",
            at: location))
    }
}

/// Bounds the work one configuration can cause, however its files include each other.
struct SyslinuxBudget: Sendable {
    static let lineLimit = 200_000
    static let fileLimit = 1_000
    /// Bytes read over all files: 1 000 files of up to 16 MiB each would be far too many.
    static let byteLimit = 64 << 20

    var lines = SyslinuxBudget.lineLimit
    var files = SyslinuxBudget.fileLimit
    var bytes = SyslinuxBudget.byteLimit
    /// Whether the exhaustion was reported already (once per configuration).
    var reported = false

    mutating func takeLine() -> Bool {
        guard lines > 0 else { return false }
        lines -= 1
        return true
    }

    mutating func takeFile() -> Bool {
        guard files > 0 else { return false }
        files -= 1
        return true
    }

    mutating func takeBytes(_ count: Int) -> Bool {
        guard count <= bytes else {
            bytes = 0
            return false
        }
        bytes -= count
        return true
    }
}
