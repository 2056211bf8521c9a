// Turns a SyslinuxDocument into boot entries, the default and the timeout, the way syslinux would
// act on it: with a menu UI (UI, or DEFAULT naming menu.c32 / vesamenu.c32) the menu module's rules
// apply; without one, the boot: prompt's. CONFIG labels show the other file's entries as a submenu.

import BootModel

struct SyslinuxResolver {
    /// CONFIG inside CONFIG goes at most this deep.
    static let maxConfigDepth = 8

    struct Result {
        var path: String
        var entries: [BootEntry]
        var defaultIndex: Int
        var timeout: Int?
    }

    let view: any FileView
    var budget: SyslinuxBudget
    /// Configs being shown, outermost first: CONFIG back to one of them adds nothing new.
    var configStack: [String]
    var diagnostics: [Diagnostic] = []
    /// CONFIG files already resolved, by the configs shown around them, working directory and
    /// path: install media point many labels at the same file, which is then read once.
    var resolvedConfigs: [String: Result?] = [:]
    /// The document's bootable labels by name: the first of each, as syslinux's find_label finds.
    private var labelsByName: [String: Int] = [:]
    private var labelsByFirstWord: [String: Int] = [:]
    /// Whether the document's menu is the UI: then a label is its whole LABEL text, else its first word.
    private var menuMode = false

    init(view: any FileView, budget: SyslinuxBudget, configStack: [String]) {
        self.view = view
        self.budget = budget
        self.configStack = configStack
    }

    // MARK: Whole configuration

    mutating func resolve(_ document: SyslinuxDocument) -> Result {
        indexLabels(document)
        let menuMode = Self.usesMenu(document)
        self.menuMode = menuMode
        if let switched = switchedConfiguration(document, menuMode: menuMode) { return switched }

        var builder = Builder(document: document, menuMode: menuMode)
        for (index, item) in document.items.enumerated() {
            guard case .label(let label, let menu) = item, isListed(label, menuMode: menuMode) else { continue }
            let produced = entries(for: label, in: document, title: builder.titlePath(menu) + [Self.title(of: label)],
                                   protected: builder.isProtected(menu))
            builder.add(produced.entries, item: index, expanded: produced.expanded)
        }
        builder.finish()
        if builder.overflowed {
            warn("more than \(Builder.maxEntries) entries; the rest are not listed", SourceLocation(file: document.path, line: 0))
        }

        var defaultIndex: Int?
        var timeout: Int?
        let total = Self.seconds(document.totalTimeout)
        if menuMode {
            if document.ui != nil, let directive = document.defaultCommand {
                defaultIndex = menuDefault(directive, in: document, builder: builder)
            }
            if defaultIndex == nil { defaultIndex = builder.defaultEntry(ofMenu: 0) }
            timeout = Self.shorter(Self.seconds(document.menus.first?.timeout), total)
            if timeout != nil, let directive = document.menus.first?.onTimeout,
               let index = command(directive, in: document, menuMode: true, builder: &builder) {
                defaultIndex = index
            }
        } else {
            let typed = document.defaultCommand.flatMap { command($0, in: document, menuMode: false, builder: &builder) }
            if document.prompt == 0, let typed {
                // No prompt: syslinux boots DEFAULT at once (unless Shift is held).
                defaultIndex = typed
                timeout = 0
            } else {
                timeout = Self.shorter(Self.seconds(document.timeout), total)
                let onTimeout = document.onTimeout.flatMap { command($0, in: document, menuMode: false, builder: &builder) }
                defaultIndex = onTimeout ?? typed
                if defaultIndex == nil { timeout = nil }
            }
            // (A CONFIG'd file shown as a submenu needs no default of its own.)
            if document.defaultCommand == nil, configStack.count <= 1 {
                warn("no DEFAULT or UI: syslinux would stop at its boot: prompt, and nothing boots by itself",
                     SourceLocation(file: document.path, line: 0))
            }
        }
        return Result(path: document.path, entries: builder.entries, defaultIndex: defaultIndex ?? 0, timeout: timeout)
    }

    /// Whether syslinux shows its menu: a UI directive, or (the older way) DEFAULT naming the menu module.
    static func usesMenu(_ document: SyslinuxDocument) -> Bool {
        if document.ui != nil { return true }
        guard let directive = document.defaultCommand else { return false }
        return isMenuModule(SyslinuxText.splitFirstWord(directive.text).word)
    }

    static func isMenuModule(_ file: String) -> Bool {
        ["menu.c32", "vesamenu.c32", "menu", "vesamenu"].contains(SyslinuxText.lowercasedASCII(SyslinuxPath.baseName(file)))
    }

    /// Labels that are entries: not menu navigation, not disabled, and (under a menu) not hidden.
    private func isListed(_ label: SyslinuxLabel, menuMode: Bool) -> Bool {
        label.action == .boot && !label.disabled && !(menuMode && label.hidden)
    }

    /// The whole configuration is another file's when syslinux would switch to it before showing
    /// anything: DEFAULT a CONFIG label with no prompt, or a UI given a config file to show.
    private mutating func switchedConfiguration(_ document: SyslinuxDocument, menuMode: Bool) -> Result? {
        var target: (file: String, workingDirectory: String, location: SourceLocation)?
        if let ui = document.ui {
            let (module, files) = SyslinuxText.splitFirstWord(ui.text)
            let file = SyslinuxText.splitFirstWord(files).word
            if Self.isMenuModule(module), !file.isEmpty { target = (file, document.workingDirectory, ui.location) }
        } else if !menuMode, document.prompt == 0, let directive = document.defaultCommand,
                  let label = findLabel(SyslinuxText.splitFirstWord(directive.text).word, in: document, menuMode: false) {
            target = configTarget(of: label)
        }
        guard let target else { return nil }
        let path = SyslinuxPath.resolve(target.file, workingDirectory: document.workingDirectory, in: view)
        guard !configStack.contains(path) else { return nil }
        guard let result = resolveConfig(path, workingDirectory: target.workingDirectory, from: target.location) else { return nil }
        return Result(path: document.path, entries: result.entries, defaultIndex: result.defaultIndex, timeout: result.timeout)
    }

    /// The file and working directory a CONFIG label (or a menu module given a file) switches to.
    private func configTarget(of label: SyslinuxLabel) -> (file: String, workingDirectory: String, location: SourceLocation)? {
        let (file, _) = SyslinuxText.splitFirstWord(label.kernelText)
        let arguments = label.arguments
        var kind = label.kind
        if kind == .kernel { kind = SyslinuxImageKind.guessed(fromFileName: file) }
        switch kind {
        case .config:
            // "The working directory is changed (if specified via an APPEND)."
            let directory = SyslinuxText.splitFirstWord(arguments).word
            let cwd = directory.isEmpty
                ? label.workingDirectory : SyslinuxPath.resolve(directory, workingDirectory: label.workingDirectory, in: view)
            return file.isEmpty ? nil : (file, cwd, label.location)
        case .com32 where Self.isMenuModule(file):
            let config = SyslinuxText.splitFirstWord(arguments).word
            return config.isEmpty ? nil : (config, label.workingDirectory, label.location)
        default:
            return nil
        }
    }

    /// Parses and resolves another config file (CONFIG), bounded in depth and work.
    private mutating func resolveConfig(_ path: String, workingDirectory: String, from location: SourceLocation) -> Result? {
        guard configStack.count < Self.maxConfigDepth else {
            warn("CONFIG \(path) nests deeper than \(Self.maxConfigDepth) configurations; not followed", location)
            return nil
        }
        guard budget.files > 0, budget.lines > 0, budget.bytes > 0 else {
            if !budget.reported {
                budget.reported = true
                diagnostics.append(Diagnostic(.error, "configuration too large: CONFIG \(path) and what follows were not read", at: location))
            }
            return nil
        }
        let key = (configStack + [workingDirectory, path]).joined(separator: "\0")
        if let known = resolvedConfigs[key] { return known }
        guard let document = SyslinuxParser.parse(path, workingDirectory: workingDirectory, in: view, budget: &budget) else {
            warn("CONFIG \(path) not found", location)
            return nil
        }
        var inner = SyslinuxResolver(view: view, budget: budget, configStack: configStack + [path])
        inner.resolvedConfigs = resolvedConfigs
        let result = inner.resolve(document)
        budget = inner.budget
        resolvedConfigs = inner.resolvedConfigs
        resolvedConfigs[key] = .some(result)
        diagnostics += document.diagnostics + inner.diagnostics
        return result
    }

    // MARK: Defaults

    /// DEFAULT under a UI: the menu selects the label its first word names, if it is shown.
    private mutating func menuDefault(_ directive: SyslinuxDocument.Directive, in document: SyslinuxDocument, builder: Builder) -> Int? {
        let word = SyslinuxText.splitFirstWord(directive.text).word
        guard let (item, label) = findLabelItem(word, in: document, menuMode: true), !label.hidden,
              let entry = builder.firstEntry(ofItem: item) else {
            if !Self.isMenuModule(word) {
                warn("DEFAULT \(word) names no label shown in the menu; the menu's own default is used", directive.location)
            }
            return nil
        }
        return entry
    }

    /// What a typed command line boots (DEFAULT or ONTIMEOUT): a label, a label with more
    /// options, or (IMPLICIT permitting) a kernel file. New entries are added at the end.
    private mutating func command(_ directive: SyslinuxDocument.Directive, in document: SyslinuxDocument, menuMode: Bool,
                                  builder: inout Builder) -> Int? {
        let (word, extra) = SyslinuxText.splitFirstWord(directive.text)
        guard !word.isEmpty else { return nil }
        if let (item, found) = findLabelItem(word, in: document, menuMode: menuMode) {
            if extra.isEmpty, let entry = builder.firstEntry(ofItem: item) { return entry }
            var label = found
            label.extraArguments = extra
            let title = Self.title(of: found) + (extra.isEmpty ? "" : " " + extra)
            let produced = entries(for: label, in: document, title: builder.titlePath(item: item) + [title],
                                   protected: builder.isProtected(document.items[item].menu))
            return builder.append(produced.entries)
        }
        if Self.isMenuModule(word) { return nil }
        guard document.implicit != 0 else {
            warn("\(directive.text) names no LABEL, and IMPLICIT 0 forbids booting it as a file", directive.location)
            return nil
        }
        var label = SyslinuxLabel(name: directive.text, location: directive.location,
                                  workingDirectory: document.workingDirectory, sysappend: 0)
        label.kernel = word
        // Syslinux documents the global APPEND as applying to kernels typed at the prompt too.
        label.globalAppend = document.globalAppend
        label.extraArguments = extra
        let produced = entries(for: label, in: document, title: [directive.text], protected: false)
        return builder.append(produced.entries)
    }

    private func findLabel(_ word: String, in document: SyslinuxDocument, menuMode: Bool) -> SyslinuxLabel? {
        findLabelItem(word, in: document, menuMode: menuMode)?.1
    }

    /// Syslinux's find_label: the first bootable label whose name is exactly the word (the menu
    /// module compares the whole LABEL text, the command line its first word).
    private func findLabelItem(_ word: String, in document: SyslinuxDocument, menuMode: Bool) -> (Int, SyslinuxLabel)? {
        guard let index = (menuMode ? labelsByName : labelsByFirstWord)[word], document.items.indices.contains(index),
              case .label(let label, _) = document.items[index] else { return nil }
        return (index, label)
    }

    private mutating func indexLabels(_ document: SyslinuxDocument) {
        labelsByName = [:]
        labelsByFirstWord = [:]
        for (index, item) in document.items.enumerated() {
            guard case .label(let label, _) = item, label.action == .boot, !label.disabled, !label.name.isEmpty else { continue }
            if labelsByName[label.name] == nil { labelsByName[label.name] = index }
            if labelsByFirstWord[label.firstWord] == nil { labelsByFirstWord[label.firstWord] = index }
        }
    }

    // MARK: One label

    /// The entries a label yields: one, none (a link back to a menu already shown), or a CONFIG'd
    /// file's entries (`expanded`).
    private mutating func entries(for label: SyslinuxLabel, in document: SyslinuxDocument, title: [String], protected: Bool,
                                  depth: Int = 0) -> (entries: [BootEntry], expanded: Bool) {
        let (written, _) = SyslinuxText.splitFirstWord(label.kernelText)
        let arguments = label.arguments
        let id = menuMode ? label.name : label.firstWord
        var entry = BootEntry(title: title.joined(separator: " > "), id: id.isEmpty ? nil : id, kernel: nil,
                              origin: label.location, help: label.help, hotkey: SyslinuxText.hotkey(in: label.menuLabel ?? ""))
        if protected || label.hasPassword {
            entry.unbootableReason = "protected by MENU PASSWD, which Baton cannot check"
        }
        guard !written.isEmpty || label.kind == .localboot else {
            entry.unbootableReason = "LABEL names no kernel"
            return ([entry], false)
        }
        var kind = label.kind
        var file = written
        if kind == .kernel {
            kind = SyslinuxImageKind.guessed(fromFileName: file)
            if kind == .linux, !SyslinuxPath.isURL(file) {
                // Syslinux tries the known extensions when the file is not there as written.
                let resolved = resolve(file, label)
                if !view.exists(resolved), let ext = SyslinuxImageKind.probedExtensions.first(where: { view.exists(resolved + $0) }) {
                    file = resolved + ext
                    kind = SyslinuxImageKind.guessed(fromFileName: file)
                }
            }
        }
        switch kind {
        case .kernel, .linux:
            return ([linux(entry, file: file, arguments: arguments, label: label)], false)
        case .com32:
            return module(entry, file: file, arguments: arguments, label: label, in: document, title: title,
                          protected: protected, depth: depth)
        case .config:
            guard let target = configTarget(of: label) else { return ([], false) }
            return (expand(target, title: title), true)
        case .localboot:
            entry.unbootableReason = "LOCALBOOT hands the machine back to the firmware to boot another device; kexec cannot"
        case .boot, .bss:
            entry.kernel = BootFile(resolve(file, label))
            entry.unbootableReason = "\(kind == .bss ? "BSS" : "BOOT") loads a boot sector, which needs the BIOS; kexec cannot"
        case .pxe:
            entry.kernel = BootFile(resolve(file, label))
            entry.unbootableReason = "PXE loads a network boot program, which needs the PXE firmware; kexec cannot"
        case .fdimage:
            entry.kernel = BootFile(resolve(file, label))
            entry.unbootableReason = "FDIMAGE boots a floppy disk image through the BIOS; kexec cannot"
        case .comboot:
            entry.kernel = BootFile(resolve(file, label))
            entry.unbootableReason = "COMBOOT programs run only inside syslinux"
        }
        return ([entry], false)
    }

    /// A Linux kernel: the command line is what syslinux passes after the kernel name, `initrd=`
    /// included; the initrds are the files of its first `initrd=`, in order.
    private func linux(_ entry: BootEntry, file: String, arguments: String, label: SyslinuxLabel) -> BootEntry {
        var entry = entry
        entry.kernel = bootFile(file, label)
        entry.commandLine = arguments
        let initrdNames = Self.initrdNames(in: arguments)
        entry.initrds = initrdNames.map { bootFile($0, label) }
        if let devicetree = label.devicetree.map(SyslinuxText.trimmed), !devicetree.isEmpty {
            entry.devicetree = BootFile(resolve(devicetree, label))
        }
        if entry.unbootableReason == nil {
            if let url = ([file] + initrdNames).first(where: { SyslinuxPath.isURL($0) && !SyslinuxPath.isFetchableURL($0) }) {
                entry.unbootableReason = "names \(url.prefix { $0 != ":" }):// files; Baton fetches http://, https:// and tftp:// only"
            } else if SyslinuxText.lowercasedASCII(SyslinuxPath.baseName(file)) == "memdisk" {
                entry.unbootableReason = "memdisk emulates a disk through the BIOS; kexec cannot run it"
            }
        }
        return entry
    }

    /// A file as lpxelinux names it: by URL (`http://192.0.2.1/vmlinuz`, fetched at boot), else
    /// a path resolved as syslinux does.
    private func bootFile(_ raw: String, _ label: SyslinuxLabel) -> BootFile {
        if SyslinuxPath.isFetchableURL(raw), let file = BootFile(url: raw) { return file }
        return BootFile(resolve(raw, label))
    }

    /// The comma-separated files of the first `initrd=` option (syslinux loads only that one).
    static func initrdNames(in arguments: String) -> [String] {
        guard let option = SyslinuxText.words(arguments).first(where: { $0.hasPrefix("initrd=") }) else { return [] }
        return option.dropFirst("initrd=".count).split(separator: ",").map(String.init).filter { !$0.isEmpty }
    }

    private mutating func module(_ entry: BootEntry, file: String, arguments: String, label: SyslinuxLabel,
                                 in document: SyslinuxDocument, title: [String], protected: Bool,
                                 depth: Int) -> (entries: [BootEntry], expanded: Bool) {
        var entry = entry
        let name = SyslinuxText.lowercasedASCII(SyslinuxPath.baseName(file))
        let module = name.hasSuffix(".c32") ? name : name + ".c32"
        entry.kernel = BootFile(resolveModule(file.hasSuffix(".c32") || file.hasSuffix(".C32") ? file : file + ".c32",
                                              label: label, document: document))
        switch module {
        case "linux.c32":
            let (kernel, options) = SyslinuxText.splitFirstWord(arguments)
            guard !kernel.isEmpty else {
                entry.unbootableReason = "linux.c32 without a kernel"
                return ([entry], false)
            }
            return ([linux(entry, file: kernel, arguments: options, label: label)], false)
        case "mboot.c32":
            return ([multiboot(entry, arguments: arguments, label: label)], false)
        case "menu.c32", "vesamenu.c32":
            // Without a file, the menu shows this configuration again: nothing new.
            guard let target = configTarget(of: label) else { return ([], false) }
            return (expand(target, title: title), true)
        case "ifcpu64.c32":
            // "ifcpu64.c32 label64 -- label32": a 64-bit machine boots the first label.
            let choice = SyslinuxText.words(arguments).first ?? ""
            if depth < 4, let chosen = findLabel(choice, in: document, menuMode: Self.usesMenu(document)) {
                var produced = entries(for: chosen, in: document, title: title, protected: protected, depth: depth + 1)
                for index in produced.entries.indices {
                    produced.entries[index].id = entry.id
                    produced.entries[index].origin = entry.origin
                    if produced.entries[index].help == nil { produced.entries[index].help = entry.help }
                }
                return produced
            }
            entry.unbootableReason = "ifcpu64.c32 names no label to boot"
        case "chain.c32":
            entry.unbootableReason = "chain.c32 starts another boot loader through the BIOS; kexec cannot"
        case "hdt.c32":
            entry.unbootableReason = "hdt.c32 (Hardware Detection Tool) runs only inside syslinux"
        case "reboot.c32":
            entry.unbootableReason = "reboot.c32 restarts the machine; use Baton's reboot"
        case "poweroff.c32":
            entry.unbootableReason = "poweroff.c32 switches the machine off"
        default:
            entry.unbootableReason = "the COM32 module \(module) runs only inside syslinux"
        }
        if protected || label.hasPassword { entry.unbootableReason = "protected by MENU PASSWD, which Baton cannot check" }
        return ([entry], false)
    }

    /// mboot.c32 "kernel options --- module options --- …": shown with the hypervisor as kernel.
    private func multiboot(_ entry: BootEntry, arguments: String, label: SyslinuxLabel) -> BootEntry {
        var entry = entry
        var segments: [[String]] = [[]]
        for word in SyslinuxText.words(arguments) {
            if word == "---" { segments.append([]) } else if let last = segments.indices.last { segments[last].append(word) }
        }
        let first = segments.first ?? []
        let modules = segments.dropFirst().compactMap(\.first)
        if let kernel = first.first {
            entry.kernel = BootFile(resolve(kernel, label))
            entry.commandLine = first.dropFirst().joined(separator: " ")
        }
        let what = first.first.map(SyslinuxPath.baseName) ?? "a kernel"
        let with = modules.isEmpty ? "" : " with modules " + modules.map(SyslinuxPath.baseName).joined(separator: ", ")
        if entry.unbootableReason == nil {
            entry.unbootableReason = "multiboot (mboot.c32): \(what)\(with); kexec boots Linux kernels only"
        }
        return entry
    }

    /// A CONFIG'd file's entries, under the label's title.
    private mutating func expand(_ target: (file: String, workingDirectory: String, location: SourceLocation),
                                 title: [String]) -> [BootEntry] {
        let path = SyslinuxPath.resolve(target.file, workingDirectory: target.workingDirectory, in: view)
        // A link back to a configuration already shown (Debian's "menu" label) adds nothing.
        guard !configStack.contains(path) else { return [] }
        guard let result = resolveConfig(path, workingDirectory: target.workingDirectory, from: target.location) else { return [] }
        let prefix = title.joined(separator: " > ")
        return result.entries.map { entry in
            var entry = entry
            entry.title = prefix + " > " + entry.title
            return entry
        }
    }

    // MARK: Helpers

    private func resolve(_ file: String, _ label: SyslinuxLabel) -> String {
        SyslinuxPath.resolve(file, workingDirectory: label.workingDirectory, in: view)
    }

    /// COM32 modules are found in the working directory, then along PATH.
    private func resolveModule(_ file: String, label: SyslinuxLabel, document: SyslinuxDocument) -> String {
        let local = resolve(file, label)
        guard !file.contains("/"), !view.exists(local) else { return local }
        for directory in document.modulePath {
            let candidate = SyslinuxPath.resolve(directory + "/" + file, workingDirectory: label.workingDirectory, in: view)
            if view.exists(candidate) { return candidate }
        }
        return local
    }

    /// The menu shows MENU LABEL (else LABEL), with the hotkey's caret removed.
    static func title(of label: SyslinuxLabel) -> String {
        let shown = SyslinuxText.trimmed(SyslinuxText.strippingCarets(label.menuLabel ?? ""))
        if !shown.isEmpty { return String(shown.prefix(maxTitleLength)) }
        return label.name.isEmpty ? "(unnamed)" : String(label.name.prefix(maxTitleLength))
    }

    /// Characters kept of one title (a menu line is 80 wide; a path has a few of these).
    static let maxTitleLength = 256

    /// Tenths of a second to whole seconds, rounded up; zero or less means no timeout.
    static func seconds(_ tenths: Int?) -> Int? {
        guard let tenths, tenths > 0 else { return nil }
        return (min(tenths, 1_000_000_000) + 9) / 10
    }

    static func shorter(_ a: Int?, _ b: Int?) -> Int? {
        switch (a, b) {
        case let (a?, b?): min(a, b)
        default: a ?? b
        }
    }

    private mutating func warn(_ message: String, _ location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }
}
