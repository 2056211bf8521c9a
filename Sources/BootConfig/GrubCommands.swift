// GRUB's commands as Baton evaluates them: variables, tests, sourcing, grubenv, `search`, the
// loaders (which only record what they would load), and the display commands that do nothing here.

typealias GrubCommand = @Sendable (inout GrubMachine, [String], Int) -> GrubFlow

enum GrubCommands {
    static let table: [String: GrubCommand] = {
        var t: [String: GrubCommand] = [:]
        let succeed: GrubCommand = { m, _, _ in m.status = 0; return .next }
        // Display, terminal, video, fonts, sound, modules, passwords: nothing to do for kexec.
        for name in [
            "insmod", "rmmod", "terminal_input", "terminal_output", "terminal", "loadfont", "background_image",
            "background_color", "play", "serial", "clear", "sleep", "videoinfo", "lsmod", "ls", "boot", "password",
            "password_pbkdf2", "set_background_image", "gfxterm_background", "font", "efi_gop", "efi_uga", "vbe",
            "lsfonts", "cutmem", "badram", "save_env", "list_env", "nativedisk", "pager", "net_bootp", "net_dhcp",
            "echo_err", "help", "load_video", "fwsetup", "halt", "reboot", "exit_boot_services", "hashsum",
            "verify_detached", "trust", "distrust", "cat", "lspci", "date", "backtrace", "dump", "memrw",
            "usb", "tpm2_key_protector_init", "hexdump",
        ] {
            t[name] = succeed
        }
        t["true"] = succeed
        t["false"] = { m, _, _ in m.status = 1; return .next }
        t["keystatus"] = { m, _, _ in m.status = 1; return .next }  // no key is held down
        t["smbios"] = { m, _, _ in m.status = 1; return .next }
        t["cpuid"] = succeed  // `cpuid -l`: a 64-bit machine
        t["read"] = { m, args, _ in
            for name in args where !name.hasPrefix("-") { m.variables[name] = "" }
            m.status = 0
            return .next
        }
        t["echo"] = { m, args, _ in
            m.output.append(args.filter { $0 != "-n" && $0 != "-e" }.joined(separator: " "))
            m.status = 0
            return .next
        }
        t["set"] = set
        t["unset"] = { m, args, _ in
            for name in args { m.variables[name] = nil }
            m.status = 0
            return .next
        }
        t["export"] = { m, args, _ in
            m.exported.formUnion(args)
            m.status = 0
            return .next
        }
        t["test"] = { m, args, _ in m.status = GrubTest.evaluate(args, files: m) ? 0 : 1; return .next }
        t["["] = { m, args, line in
            guard args.last == "]" else {
                m.warn("'[' without a closing ']'", line: line)
                m.status = 1
                return .next
            }
            m.status = GrubTest.evaluate(Array(args.dropLast()), files: m) ? 0 : 1
            return .next
        }
        t["source"] = { m, args, line in source(&m, args, line, newMenu: false) }
        t["."] = t["source"]
        t["extract_entries_source"] = t["source"]
        t["configfile"] = { m, args, line in source(&m, args, line, newMenu: true) }
        t["normal"] = { m, args, line in args.isEmpty ? .next : source(&m, args, line, newMenu: true) }
        t["extract_entries_configfile"] = t["configfile"]
        t["load_env"] = loadEnv
        t["search"] = { m, args, line in search(&m, args, line, kind: nil) }
        t["search.fs_uuid"] = { m, args, line in search(&m, args, line, kind: .uuid) }
        t["search.fs_label"] = { m, args, line in search(&m, args, line, kind: .label) }
        t["search.file"] = { m, args, line in search(&m, args, line, kind: .file) }
        t["probe"] = probe
        t["return"] = { m, args, _ in
            if let code = args.first.flatMap({ Int32($0) }) { m.status = code }
            return .returned
        }
        t["exit"] = { m, _, _ in .returned }
        t["break"] = { m, args, _ in .breakLoop(max(1, args.first.flatMap { Int($0) } ?? 1)) }
        t["continue"] = { m, args, _ in .continueLoop(max(1, args.first.flatMap { Int($0) } ?? 1)) }
        t["shift"] = { m, args, _ in
            let n = args.first.flatMap { Int($0) } ?? 1
            guard n >= 0, n <= m.positional.count else { m.status = 1; return .next }
            m.positional.removeFirst(n)
            m.status = 0
            return .next
        }
        t["setparams"] = { m, args, _ in
            m.positional = args
            m.status = 0
            return .next
        }
        t["eval"] = { m, args, line in
            let script = GrubParser.parse(args.joined(separator: " "), file: m.file)
            for d in script.diagnostics { m.diagnostics.add(Diagnostic(d.severity, d.message, at: SourceLocation(file: m.file, line: line))) }
            return m.run(script.statements)
        }
        t["increment"] = { m, args, _ in step(&m, args, by: 1) }
        t["decrement"] = { m, args, _ in step(&m, args, by: -1) }
        for name in ["linux", "linux16", "linuxefi"] { t[name] = linux }
        for name in ["initrd", "initrd16", "initrdefi"] { t[name] = initrd }
        t["devicetree"] = { m, args, line in
            guard let path = args.first else { return usage(&m, "devicetree needs a file", line) }
            m.loaded.devicetree = m.file(path)
            m.status = 0
            return .next
        }
        for name in ["multiboot", "multiboot2"] {
            t[name] = unbootable("'\(name)' loads a multiboot kernel (Xen, tboot…), which kexec cannot boot", recordKernel: true)
        }
        for name in ["module", "module2", "xen_module"] { t[name] = succeed }
        t["xen_hypervisor"] = unbootable("'xen_hypervisor' loads Xen, which kexec cannot boot", recordKernel: true)
        t["chainloader"] = unbootable("'chainloader' starts another boot loader, which kexec cannot do", recordKernel: false)
        for name in ["kfreebsd", "knetbsd", "kopenbsd", "xnu_kernel", "xnu_kernel64", "appleloader", "ntldr", "freedos", "plan9", "truecrypt", "legacy_configfile"] {
            t[name] = unbootable("'\(name)' loads a system that is not Linux", recordKernel: false)
        }
        t["loopback"] = { m, args, line in
            m.warn("'loopback' (boot from an image file) is not supported yet", line: line)
            m.loaded.unbootableReason = m.loaded.unbootableReason ?? "it boots from an image file through 'loopback', not supported yet"
            m.status = 1
            return .next
        }
        t["blscfg"] = { m, args, line in GrubBLS.run(&m, args, line) }
        return t
    }()

    static func usage(_ m: inout GrubMachine, _ message: String, _ line: Int) -> GrubFlow {
        m.warn(message, line: line)
        m.status = 1
        return .next
    }

    static func unbootable(_ reason: String, recordKernel: Bool) -> GrubCommand {
        { m, args, _ in
            if recordKernel, let path = args.first { m.loaded.kernel = m.file(path) }
            m.loaded.arguments = Array(args.dropFirst())
            m.loaded.unbootableReason = reason
            m.status = 0
            return .next
        }
    }

    /// `set NAME=VALUE`: GRUB looks at the first argument only.
    static let set: GrubCommand = { m, args, _ in
        guard let arg = args.first else {
            m.status = 0
            return .next
        }
        if let eq = arg.firstIndex(of: "=") {
            m.variables[String(arg[..<eq])] = String(arg[arg.index(after: eq)...])
        }
        m.status = 0
        return .next
    }

    static let linux: GrubCommand = { m, args, line in
        guard let path = args.first else { return usage(&m, "linux needs a kernel file", line) }
        m.loaded = GrubLoadedBoot(kernel: m.file(path), arguments: Array(args.dropFirst()))
        m.status = 0
        return .next
    }

    static let initrd: GrubCommand = { m, args, line in
        guard !args.isEmpty else { return usage(&m, "initrd needs at least one file", line) }
        guard m.loaded.kernel != nil else {
            m.warn("initrd before linux: GRUB needs the kernel loaded first", line: line)
            m.status = 1
            return .next
        }
        m.loaded.initrds = args.map { m.file($0) }
        m.status = 0
        return .next
    }

    static func step(_ m: inout GrubMachine, _ args: [String], by delta: Int) -> GrubFlow {
        guard let name = args.first, let value = Int(m.variables[name] ?? "") else {
            m.status = 1
            return .next
        }
        m.variables[name] = String(value + delta)
        m.status = 0
        return .next
    }

    /// `source FILE` runs FILE in the current context. `configfile FILE` does too, but the menu
    /// entries it defines replace the current menu (GRUB shows them as a new menu).
    static func source(_ m: inout GrubMachine, _ args: [String], _ line: Int, newMenu: Bool) -> GrubFlow {
        guard let path = args.first else { return usage(&m, "no file to read", line) }
        let target = m.file(path)
        let key = target.description
        guard !m.sourceStack.contains(key) else {
            m.fail("\(key) includes itself (through \(m.sourceStack.joined(separator: " → "))); not read again", line: line)
            m.status = 1
            return .next
        }
        guard m.sourceStack.count < m.limits.sourceDepth else {
            m.fail("files included more than \(m.limits.sourceDepth) deep; \(key) not read", line: line)
            m.status = 1
            return .next
        }
        guard let text = m.read(target) else {
            m.warn("\(key): file not found", line: line)
            m.status = 1
            return .next
        }
        let script = GrubParser.parse(text, file: target.path)
        for d in script.diagnostics { m.diagnostics.add(d) }
        let savedFile = m.file
        let savedMenu = m.menu
        m.file = target.path
        m.sourceStack.append(key)
        if newMenu { m.menu = [] }
        let flow = m.run(script.statements)
        if newMenu && m.menu.isEmpty { m.menu = savedMenu }
        m.sourceStack.removeLast()
        m.file = savedFile
        return flow == .exhausted ? .exhausted : .next
    }

    /// `load_env [-f FILE] [--skip-sig] [NAME…]`: variables from a grubenv file, all or the named ones.
    static let loadEnv: GrubCommand = { m, args, line in
        var path: String?
        var names: [String] = []
        var rest = args[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "-f", "--file": path = rest.popFirst()
            case "-s", "--skip-sig": break
            case _ where arg.hasPrefix("--file="): path = String(arg.dropFirst(7))
            default: names.append(arg)
            }
        }
        let file = m.file(path ?? (m.value(of: "prefix") + "/grubenv"))
        guard let text = m.read(file) else {
            m.status = 1
            return .next
        }
        for (name, value) in GrubEnvFile.parse(text) where names.isEmpty || names.contains(name) {
            m.variables[name] = value
        }
        m.status = 0
        return .next
    }

    enum SearchKind { case file, label, uuid }

    /// `search [--file|--label|--fs-uuid] [--set[=VAR]] [--no-floppy] [--hint…] NAME`: the first
    /// device (the configuration's own first) that has the file, label or UUID. When none has it,
    /// a UUID or label is remembered in VAR as `UUID=…`/`LABEL=…`, so its files wait for that
    /// device to appear (GRUB would leave VAR unchanged; the status is GRUB's).
    static func search(_ m: inout GrubMachine, _ args: [String], _ line: Int, kind fixed: SearchKind?) -> GrubFlow {
        var kind = fixed
        var variable: String?
        var words: [String] = []
        var rest = args[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "-f", "--file": kind = .file
            case "-l", "--label": kind = .label
            case "-u", "--fs-uuid": kind = .uuid
            case "-s", "--set": variable = "root"
            case "-n", "--no-floppy", "-e", "--efidisk-only": break
            case "-h", "--hint", "--hint-bios", "--hint-efi", "--hint-baremetal", "--hint-ieee1275", "--hint-arc", "--hint-uboot",
                "--hint-coreboot", "--hint-qemu":
                _ = rest.popFirst()
            case _ where arg.hasPrefix("--set="): variable = String(arg.dropFirst(6))
            case _ where arg.hasPrefix("--hint"): break
            case _ where arg.hasPrefix("-") && arg.count > 1 && words.isEmpty && Int(arg) == nil:
                m.warn("search: unknown option \(arg)", line: line)
            default: words.append(arg)
            }
        }
        if fixed != nil, words.count >= 2 { variable = words[1] } else if fixed != nil, variable == nil { variable = "root" }
        guard let kind, let target = words.first else { return usage(&m, "search needs --file, --label or --fs-uuid and a name", line) }
        let ordered = [m.configDevice] + m.devices.filter { $0.name != m.configDevice.name }
        let found = ordered.first { device in
            switch kind {
            case .uuid: device.uuid?.lowercased() == target.lowercased()
            case .label: device.label == target
            case .file: device.files.exists(target)
            }
        }
        if let found {
            if let variable { m.variables[variable] = found.name }
            m.status = 0
        } else {
            if let variable, kind != .file { m.variables[variable] = (kind == .uuid ? "UUID=" : "LABEL=") + target }
            m.status = 1
        }
        return .next
    }

    /// `probe [--set VAR] --fs-uuid|--label|--fs DEVICE`.
    static let probe: GrubCommand = { m, args, line in
        var variable: String?
        var what = ""
        var device: String?
        var rest = args[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "-s", "--set": variable = rest.popFirst()
            case _ where arg.hasPrefix("--set="): variable = String(arg.dropFirst(6))
            case "-u", "--fs-uuid", "-l", "--label", "-f", "--fs", "-d", "--driver", "-p", "--partmap", "--part-uuid": what = arg
            default: device = arg
            }
        }
        let reference = m.deviceReference(device ?? "")
        let known: GrubDevice? = switch reference {
        case .configDevice: m.configDevice
        case .named(let name): m.devices.first { $0.name == name }
        default: nil
        }
        let value: String? = switch what {
        case "-u", "--fs-uuid": known?.uuid
        case "-l", "--label": known?.label
        default: nil
        }
        guard let value else {
            m.status = 1
            return .next
        }
        if let variable { m.variables[variable] = value } else { m.output.append(value) }
        m.status = 0
        return .next
    }
}
