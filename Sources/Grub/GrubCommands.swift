// GRUB's commands as Baton evaluates them: variables, tests, sourcing, grubenv, `search`, the
// loaders (which only record what they would load), and the display commands that do nothing here.
// Failures set `$?` to GRUB's error numbers, since scripts can test them.

import BootModel

typealias GrubCommand = @Sendable (inout GrubMachine, GrubCommandCall) -> GrubFlow

enum GrubCommands {
    /// Whether a command takes the `{ … }` block as a body rather than as a text argument.
    static func takesBlock(_ name: String) -> Bool { name == "menuentry" || name == "submenu" }

    static let table: [String: GrubCommand] = {
        var t: [String: GrubCommand] = [:]
        let succeed: GrubCommand = { m, _ in m.status = 0; return .next }
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
        t["false"] = { m, _ in m.status = GrubError.testFailure; return .next }
        t["keystatus"] = { m, _ in m.status = GrubError.testFailure; return .next }  // no key is held down
        t["smbios"] = { m, _ in m.status = GrubError.testFailure; return .next }
        t["cpuid"] = succeed  // `cpuid -l`: a 64-bit machine
        t["read"] = { m, c in
            for name in c.arguments where !name.startsWithDash { m.setVariable(name, "") }
            m.status = 0
            return .next
        }
        t["echo"] = echo
        t["set"] = set
        t["unset"] = { m, c in
            if let name = c.arguments.first { m.unsetVariable(name) }
            m.status = 0
            return .next
        }
        t["export"] = { m, c in
            m.exported.formUnion(c.arguments)
            m.status = 0
            return .next
        }
        t["test"] = { m, c in m.status = GrubTest.evaluate(c.arguments, files: m) ? 0 : GrubError.testFailure; return .next }
        t["["] = t["test"]
        t["source"] = { m, c in source(&m, c, newContext: false) }
        t["."] = t["source"]
        t["extract_entries_source"] = t["source"]
        t["configfile"] = { m, c in source(&m, c, newContext: true) }
        t["normal"] = { m, c in c.arguments.isEmpty ? .next : source(&m, c, newContext: true) }
        t["extract_entries_configfile"] = t["configfile"]
        t["load_env"] = loadEnv
        t["search"] = { m, c in search(&m, c, kind: nil) }
        t["search.fs_uuid"] = { m, c in search(&m, c, kind: .uuid) }
        t["search.fs_label"] = { m, c in search(&m, c, kind: .label) }
        t["search.file"] = { m, c in search(&m, c, kind: .file) }
        t["probe"] = probe
        t["return"] = { m, c in
            guard m.positional != nil, c.arguments.count <= 1 else {
                m.warn("return: not in a function or menu entry", line: c.line)
                m.status = GrubError.badArgument
                return .next
            }
            if let arg = c.arguments.first {
                guard let n = Int32(arg), n >= 0 else {
                    m.warn("return: '\(arg)' is not a number", line: c.line)
                    m.status = GrubError.badArgument
                    return .next
                }
                m.status = n
            }
            return .returned
        }
        t["exit"] = { m, _ in .returned }
        t["break"] = { m, c in loopControl(&m, c) { .breakLoop($0) } }
        t["continue"] = { m, c in loopControl(&m, c) { .continueLoop($0) } }
        t["shift"] = { m, c in
            guard let params = m.positional else {
                m.status = 0
                return .next
            }
            let n = c.arguments.isEmpty ? 1 : Int(c.arguments[0]) ?? -1
            guard c.arguments.count <= 1, n >= 0, n <= params.count else {
                m.status = GrubError.badArgument
                return .next
            }
            m.positional = Array(params.dropFirst(n))
            m.status = 0
            return .next
        }
        t["setparams"] = { m, c in
            guard m.positional != nil else {
                m.status = GrubError.invalidCommand
                return .next
            }
            m.positional = c.arguments
            m.status = 0
            return .next
        }
        t["eval"] = { m, c in
            let script = GrubParser.parseText(c.arguments.joined(separator: " "), file: m.file)
            for d in script.diagnostics { m.diagnostics.add(Diagnostic(d.severity, d.message, at: SourceLocation(file: m.file, line: c.line))) }
            m.status = 0
            return m.run(script.code)
        }
        t["menuentry"] = { m, c in menuEntry(&m, c, submenu: false) }
        t["submenu"] = { m, c in menuEntry(&m, c, submenu: true) }
        t["regexp"] = regexp
        for name in ["linux", "linux16", "linuxefi"] { t[name] = linux }
        for name in ["initrd", "initrd16", "initrdefi"] { t[name] = initrd }
        t["devicetree"] = { m, c in
            guard let path = c.arguments.first else { return usage(&m, "devicetree needs a file", c.line) }
            guard let file = m.file(path) else { return invalidName(&m, path, c.line) }
            m.loaded.devicetree = file
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
        t["loopback"] = { m, c in
            m.warn("'loopback' (boot from an image file) is not supported yet", line: c.line)
            m.loaded.unbootableReason = m.loaded.unbootableReason ?? "it boots from an image file through 'loopback', not supported yet"
            m.status = GrubError.unknownDevice
            return .next
        }
        t["blscfg"] = { m, c in GrubBLS.run(&m, c.arguments, c.line) }
        return t
    }()

    static func usage(_ m: inout GrubMachine, _ message: String, _ line: Int) -> GrubFlow {
        m.warn(message, line: line)
        m.status = GrubError.badArgument
        return .next
    }

    static func invalidName(_ m: inout GrubMachine, _ name: String, _ line: Int) -> GrubFlow {
        m.warn("invalid file name '\(name)': GRUB needs a path starting with '/' (after any device)", line: line)
        m.status = GrubError.badFilename
        return .next
    }

    static func loopControl(_ m: inout GrubMachine, _ c: GrubCommandCall, _ flow: (Int) -> GrubFlow) -> GrubFlow {
        let count = c.arguments.isEmpty ? 1 : Int(c.arguments[0]) ?? 0
        guard c.arguments.count <= 1, count > 0 else {
            m.warn("\(c.name): needs one positive number", line: c.line)
            m.status = GrubError.badArgument
            return .next
        }
        m.status = 0
        let loops = min(count, m.activeLoops)
        return loops > 0 ? flow(loops) : .next
    }

    static func unbootable(_ reason: String, recordKernel: Bool) -> GrubCommand {
        { m, c in
            let args = c.arguments
            m.loaded = GrubLoadedBoot()
            if recordKernel, let path = args.first {
                guard let file = m.file(path) else { return invalidName(&m, path, c.line) }
                m.loaded.kernel = file
            }
            m.loaded.arguments = args.dropFirst()
            m.loaded.unbootableReason = reason
            m.status = 0
            return .next
        }
    }

    /// `echo [-n] [-e] ARGS`: options only before the first other word (`--` ends them); `-e`
    /// interprets backslash escapes, dropping unknown ones as GRUB does.
    static let echo: GrubCommand = { m, c in
        m.status = 0
        guard m.recordsOutput else { return .next }
        var newline = true
        var escapes = false
        var args = c.arguments[...]
        while let first = args.first, first.startsWithDash, first.utf8.count > 1 {
            if first == "--" {
                args.removeFirst()
                break
            }
            let letters = first.dropFirst()
            guard letters.allSatisfy({ $0 == "n" || $0 == "e" }) else { break }
            if letters.contains("n") { newline = false }
            if letters.contains("e") { escapes = true }
            args.removeFirst()
        }
        if m.echoedBytes < m.limits.textBytes {
            m.echoed.append(c.arguments)
            m.echoedBytes += c.arguments.reduce(0) { $0 + $1.utf8.count }
        }
        var text = ""
        for (n, arg) in args.enumerated() {
            if n > 0 { text += " " }
            guard escapes else {
                text += arg
                continue
            }
            var chars = arg[...]
            while let ch = chars.popFirst() {
                guard ch == "\\" else {
                    text.append(ch)
                    continue
                }
                guard let next = chars.popFirst() else { break }
                switch next {
                case "\\": text += "\\"
                case "a": text += "\u{07}"
                case "c": newline = false
                case "f": text += "\u{0C}"
                case "n": text += "\n"
                case "r": text += "\r"
                case "t": text += "\t"
                case "v": text += "\u{0B}"
                default: break
                }
            }
        }
        m.print(newline ? text + "\n" : text)
        return .next
    }

    /// `set NAME=VALUE` (GRUB looks at the first argument only); `set` alone lists the variables.
    static let set: GrubCommand = { m, c in
        guard let arg = c.arguments.first else {
            for name in m.variableNames { m.print("\(name)=\(m.value(of: name))\n") }
            m.status = 0
            return .next
        }
        guard let (name, value) = GrubArgv.split(arg, at: UInt8(ascii: "=")) else {
            m.warn("set: '\(arg)' is not an assignment", line: c.line)
            m.status = GrubError.badArgument
            return .next
        }
        m.setVariable(name, value)
        m.status = 0
        return .next
    }

    /// `menuentry`/`submenu TITLE [options] [args] { body }`: the body is kept to run when the menu is built.
    static func menuEntry(_ m: inout GrubMachine, _ c: GrubCommandCall, submenu: Bool) -> GrubFlow {
        var args = c.arguments
        var body = c.block?.code
        if body == nil, let at = args.firstIndex(where: { $0 == "--source" || $0.hasBytePrefix("--source=") }) {
            let joined = args[at].hasBytePrefix("--source=")
            let inline = joined ? String(args[at].dropFirst(9)) : (at + 1 < args.count ? args[at + 1] : "")
            args.removeSubrange(at..<min(args.count, joined ? at + 1 : at + 2))
            body = GrubParser.parseText(inline, file: m.file).code
        }
        guard let body else {
            m.warn("\(c.name) without a '{ … }' body on the same line; entry not defined", line: c.line)
            m.status = GrubError.badArgument
            return .next
        }
        m.defineMenuEntry(args, body: body, submenu: submenu, line: c.line)
        return .next
    }

    static let linux: GrubCommand = { m, c in
        m.loaded = GrubLoadedBoot()
        guard let path = c.arguments.first else { return usage(&m, "\(c.name) needs a kernel file", c.line) }
        guard let file = m.file(path) else { return invalidName(&m, path, c.line) }
        m.loaded.kernel = file
        m.loaded.arguments = c.arguments.dropFirst()
        m.status = 0
        return .next
    }

    static let initrd: GrubCommand = { m, c in
        guard m.loaded.kernel != nil, m.loaded.unbootableReason == nil else {
            m.warn("\(c.name) before linux: GRUB needs the kernel loaded first", line: c.line)
            m.status = GrubError.badArgument
            return .next
        }
        guard !c.arguments.isEmpty else { return usage(&m, "\(c.name) needs at least one file", c.line) }
        var files: [BootFile] = []
        for path in c.arguments {
            guard let file = m.file(path) else {
                m.loaded.initrds = []
                return invalidName(&m, path, c.line)
            }
            files.append(file)
        }
        m.loaded.initrds = files
        m.status = 0
        return .next
    }

    /// The kernel command line GRUB hands the kernel (grub-core/lib/cmdline.c): arguments joined
    /// by spaces, `\`, `'` and `"` escaped with a backslash, an argument holding a space quoted.
    static func kernelCommandLine(_ arguments: ArraySlice<String>) -> String {
        // Measured first, so that the buffer is allocated once; every write is a checked append.
        var size = max(0, arguments.count - 1)
        for argument in arguments {
            size += argument.utf8.count + addedBytes(argument.utf8)
        }
        var line: [UInt8] = []
        line.reserveCapacity(size)
        for (index, argument) in zip(arguments.indices, arguments) {
            if index != arguments.startIndex { line.append(UInt8(ascii: " ")) }
            let bytes = argument.utf8
            // Most arguments need neither quotes nor escapes: copied whole.
            guard addedBytes(bytes) > 0 else {
                line.append(contentsOf: bytes)
                continue
            }
            let quote = bytes.contains(UInt8(ascii: " "))
            if quote { line.append(UInt8(ascii: "\"")) }
            for byte in bytes {
                if isEscaped(byte) { line.append(UInt8(ascii: "\\")) }
                line.append(byte)
            }
            if quote { line.append(UInt8(ascii: "\"")) }
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// How many bytes quoting and escaping add to an argument: a backslash per escaped byte, two
    /// quotes when it holds a space.
    private static func addedBytes(_ bytes: String.UTF8View) -> Int {
        var escapes = 0
        var quote = false
        for byte in bytes {
            if byte == UInt8(ascii: " ") { quote = true } else if isEscaped(byte) { escapes += 1 }
        }
        return escapes + (quote ? 2 : 0)
    }

    /// The bytes GRUB escapes with a backslash on a kernel command line.
    private static func isEscaped(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"")
    }

    /// `source FILE` runs FILE in the current context. `configfile FILE` runs it in a new context
    /// (only exported variables, nothing set there comes back) and shows its menu instead.
    static func source(_ m: inout GrubMachine, _ c: GrubCommandCall, newContext: Bool) -> GrubFlow {
        guard let path = c.arguments.first else { return usage(&m, "\(c.name): no file to read", c.line) }
        guard let target = m.file(path) else {
            m.warn("\(c.name): invalid file name '\(path)': GRUB needs a path starting with '/'", line: c.line)
            m.status = 0
            return .next
        }
        guard let text = m.read(target) else {
            m.warn("\(target): file not found", line: c.line)
            m.status = 0
            return .next
        }
        // Reading and parsing a file costs work in proportion: a step per 32 bytes (measured: a
        // step of plain commands takes about as long as parsing 50 bytes).
        guard m.spend(units: text.utf8.count * GrubMachine.unitsPerStep / 32) else { return .exhausted }
        let script = GrubParser.parse(text, file: target.path)
        for d in script.diagnostics { m.diagnostics.add(d) }
        guard newContext else {
            let flow = m.inScope(restoring: .file) { m in
                m.file = target.path
                return m.run(script.code)
            }
            return flow == .exhausted || flow == .returned ? flow : .next
        }
        // A new context sees only exported variables, and its menu replaces the caller's.
        let outerMenu = m.menu
        let flow = m.inScope(restoring: [.file, .variables]) { m in
            m.file = target.path
            m.keepOnlyExported()
            m.menu = []
            return m.run(script.code)
        }
        if m.menu.isEmpty { m.menu = outerMenu }
        return flow == .exhausted ? .exhausted : .next
    }

    /// `load_env [-f FILE] [--skip-sig] [NAME…]`: variables from a grubenv file, all or the named ones.
    static let loadEnv: GrubCommand = { m, c in
        var path: String?
        var names: [String] = []
        var rest = c.arguments[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "-f", "--file": path = rest.popFirst()
            case "-s", "--skip-sig": break
            case _ where arg.hasBytePrefix("--file="): path = String(arg.dropFirst(7))
            default: names.append(arg)
            }
        }
        let name = path ?? (m.value(of: "prefix") + "/grubenv")
        guard let file = m.file(name) else { return invalidName(&m, name, c.line) }
        guard let text = m.read(file) else {
            m.status = GrubError.fileNotFound
            return .next
        }
        guard let block = GrubEnvFile.block(text) else {
            m.warn("\(file): not a GRUB environment block", line: c.line)
            m.status = GrubError.badFileType
            return .next
        }
        for (name, value) in block where names.isEmpty || names.contains(name) {
            m.setVariable(name, value)
        }
        m.status = 0
        return .next
    }

    enum SearchKind { case file, label, uuid }

    /// `search --file|--label|--fs-uuid [--set[=VAR]] [--no-floppy] [--hint…] NAME`: the first
    /// device (the configuration's own first) that has the file, label or UUID. When none has it,
    /// GRUB leaves VAR alone; Baton also remembers the UUID or label, so files on VAR's value wait
    /// for that device to appear.
    static func search(_ m: inout GrubMachine, _ c: GrubCommandCall, kind fixed: SearchKind?) -> GrubFlow {
        var kind = fixed
        var variable: String?
        var words: [String] = []
        var rest = c.arguments[...]
        while let arg = rest.popFirst() {
            guard arg.startsWithDash else {
                words.append(arg)
                continue
            }
            // Hints are most of a generated `search` line, and change nothing here: the hint
            // options named alone take the next word; `--hint…=VALUE` takes none.
            if arg == "-h" || arg.hasBytePrefix("--hint") {
                if Self.searchHints.contains(arg) { _ = rest.popFirst() }
                continue
            }
            switch arg {
            case "-f", "--file": kind = .file
            case "-l", "--label": kind = .label
            case "-u", "--fs-uuid": kind = .uuid
            case "-s", "--set":
                if let next = rest.first, !next.startsWithDash { variable = rest.popFirst() } else { variable = "root" }
            case "-n", "--no-floppy", "--efidisk-only": break
            case _ where arg.hasBytePrefix("--set="): variable = String(arg.dropFirst(6))
            case _ where arg.utf8.count > 1:
                return usage(&m, "search: unknown option \(arg)", c.line)
            default: words.append(arg)
            }
        }
        if fixed != nil { variable = words.count >= 2 ? words[1] : variable }
        guard let target = words.first else { return usage(&m, "search: no name to look for", c.line) }
        guard let kind else { return usage(&m, "search: say --file, --label or --fs-uuid", c.line) }
        m.deviceUse.consultedOthers = true
        let matches = { (device: BootVolume) -> Bool in
            switch kind {
            case .uuid: device.uuid?.equalsIgnoringASCIICase(target) ?? false
            case .label: device.label == target
            case .file: target.hasBytePrefix("/") && device.files.exists(target)
            }
        }
        // The configuration's own device first.
        let configDevice = m.configDevice
        let found = matches(configDevice) ? configDevice : m.devices.first { $0.name != configDevice.name && matches($0) }
        if let found {
            if let variable {
                m.setVariable(variable, found.name)
                m.pendingSearches[variable] = nil
            } else {
                m.print(" \(found.name)")
            }
            m.status = 0
        } else {
            if let variable, kind != .file {
                m.pendingSearches[variable] = (m.variables[variable] ?? "", kind == .uuid ? .uuid(target) : .label(target))
            }
            m.status = GrubError.fileNotFound
        }
        return .next
    }

    /// `search`'s hint options that take the next word as their value.
    static let searchHints: Set<String> = [
        "-h", "--hint", "--hint-bios", "--hint-efi", "--hint-baremetal", "--hint-ieee1275", "--hint-arc", "--hint-uboot",
        "--hint-coreboot", "--hint-qemu",
    ]

    /// `probe [--set VAR] --fs-uuid|--label|--fs DEVICE`.
    static let probe: GrubCommand = { m, c in
        var variable: String?
        var what = ""
        var device: String?
        var rest = c.arguments[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "-s", "--set": variable = rest.popFirst()
            case _ where arg.hasBytePrefix("--set="): variable = String(arg.dropFirst(6))
            case "-u", "--fs-uuid", "-l", "--label", "-f", "--fs", "-d", "--driver", "-p", "--partmap", "--part-uuid": what = arg
            default: device = arg
            }
        }
        let known = m.device(for: m.deviceReference(device ?? ""))
        let value: String? = switch what {
        case "-u", "--fs-uuid": known?.uuid
        case "-l", "--label": known?.label
        case "-f", "--fs": known?.filesystem
        default: nil
        }
        guard let value else {
            m.status = GrubError.unknownDevice
            return .next
        }
        if let variable { m.setVariable(variable, value) } else { m.print(value) }
        m.status = 0
        return .next
    }

    /// `regexp [--set [N:]VAR]… REGEXP STRING`: POSIX extended expressions, matched with
    /// metered work (see GrubRegex): compiling and matching are charged to the budget by what
    /// they cost, and a match that would cost more than is left stops the configuration.
    static let regexp: GrubCommand = { m, c in
        var sets: [(group: Int, variable: String)] = []
        var words: [String] = []
        var rest = c.arguments[...]
        while let arg = rest.popFirst() {
            var spec: String?
            if arg == "-s" || arg == "--set" {
                guard let next = rest.popFirst(), !next.startsWithDash else {
                    return usage(&m, "regexp: --set needs a variable", c.line)
                }
                spec = next
            } else if arg.hasBytePrefix("--set=") {
                spec = String(arg.dropFirst(6))
            } else {
                words.append(arg)
            }
            if let spec {
                guard let set = parseSet(spec) else {
                    return usage(&m, "regexp: invalid variable name format '\(spec)' (a group number, ':', a name)", c.line)
                }
                sets.append(set)
            }
        }
        guard words.count == 2 else { return usage(&m, "regexp: needs an expression and a string", c.line) }
        guard let regex = GrubRegex(words[0]) else {
            // GRUB reports a bad expression as a failed test, not as an error it prints.
            m.warn("regexp: cannot read expression '\(words[0])'", line: c.line)
            m.status = GrubError.testFailure
            return .next
        }
        let available = m.unitsLeft
        var work = available
        let outcome = regex.match(words[1], work: &work)
        guard m.spend(units: regex.compileCost + available - work), outcome != .tooCostly else { return .exhausted }
        guard case .matched(let groups) = outcome else {
            m.status = GrubError.testFailure
            return .next
        }
        for (group, variable) in sets {
            // A group that took no part, or that the expression does not have, unsets the variable.
            if group < groups.count, let value = groups[group] {
                m.setVariable(variable, value)
            } else {
                m.unsetVariable(variable)
            }
        }
        m.status = 0
        return .next
    }

    /// `[N:]VAR`: group N (1 without it) into VAR; nil when N is not a plain decimal number.
    static func parseSet(_ spec: String) -> (group: Int, variable: String)? {
        guard let colon = spec.utf8.firstIndex(of: UInt8(ascii: ":")) else { return (1, spec) }
        let digits = spec.utf8[..<colon]
        guard !digits.isEmpty, digits.count <= 9,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let n = Int(String(decoding: digits, as: UTF8.self)) else { return nil }
        return (n, String(spec[spec.utf8.index(after: colon)...]))
    }
}
