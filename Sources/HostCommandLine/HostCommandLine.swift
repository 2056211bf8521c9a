// Baton's command line as an ordinary program on a developer's machine, parsed into one value
// (`HostInvocation`) that the executable acts on. Each command has a table of the options it
// takes; an unknown option, a missing or malformed value, or a missing DEVICE is an error that
// says which. DEVICE words are taken in order: `--uuid`, `--label` and `--as` describe the
// DEVICE after them. (swift-argument-parser was measured for this and not taken: it links
// FoundationEssentials into the PID 1 binary, +7.24 MB; see Docs/decisions/0003.)

import BootModel

/// What the command line asks for.
package struct HostInvocation: Sendable, Hashable {
    package enum Command: Sendable, Hashable {
        case list(json: Bool)
        case dryRun(entry: Int?, console: String?)
        case menu(timeout: Int?)
        case grubAST(path: String)
        case benchConfigs(paths: [String])
        case fetch(url: String, output: String?, certificates: String?)
        case netboot(interface: String, url: String?, json: Bool)
    }

    package var command: Command
    package var devices: [DeviceArgument] = []
    /// GRUB's `grub_platform`, "pc" or "efi".
    package var platform = "pc"
    /// GRUB variables set before the configuration runs.
    package var variables: [String: String] = [:]
}

/// A DEVICE word: a directory seen as a mounted disk or a disk image, with what named it.
package struct DeviceArgument: Sendable, Hashable {
    package var path: String
    package var uuid: String?
    package var label: String?
    /// The kernel name of a disk image (default: its file name).
    package var name: String?

    package init(path: String, uuid: String? = nil, label: String? = nil, name: String? = nil) {
        self.path = path
        self.uuid = uuid
        self.label = label
        self.name = name
    }
}

/// Why the command line was not run: a usage error, or a request for help or the version
/// (which are answered, not errors, and exit 0).
package struct HostCommandLineError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable { case usage, help, version }
    package var kind: Kind
    package var message: String

    package static func usage(_ message: String) -> Self { Self(kind: .usage, message: message) }

    package var description: String {
        switch kind {
        case .usage: "baton: \(message)\n\(HostCommandLine.usage)"
        case .help: HostCommandLine.usage
        case .version: "baton \(BatonVersion.string)"
        }
    }
}

package enum HostCommandLine {
    package static let usage = """
        usage: baton list [--json] [OPTIONS] DEVICE...
                   the entries Baton would offer, each DEVICE a directory seen as a mounted disk,
                   or a disk image (its partitions read as Baton reads disks: ext2/3/4, vfat, iso9660)
               baton --dry-run [--entry N] [--console NAME] [OPTIONS] DEVICE...
                   what Baton would boot (the default entry unless --entry N)
               baton menu [--timeout N] [OPTIONS] DEVICE...
                   the boot menu on this terminal; choosing an entry prints what would boot
               baton grub-ast FILE
                   the syntax tree of a GRUB script
               baton bench-configs DIR...
                   time to find and evaluate every configuration under the directories
               baton fetch [--out FILE] [--ca PATH] URL
                   a file over the network (tftp://, http:// or https://SERVER/PATH) to FILE or standard
                   output, and the rate; https:// checked against the CA certificates at PATH (default
                   /etc/ssl/certs)
               baton netboot [--json] [--url URL] INTERFACE
                   (as root) DHCP on INTERFACE, then the entries its boot file leads to (iPXE, pxelinux,
                   GRUB, a kernel), or those URL leads to
        OPTIONS: --uuid U, --label L   the filesystem UUID or label of the next directory (for `search`)
                 --as NAME             the kernel name of the next disk image (default: its file name);
                                       its partitions are NAME1, NAME2… (nvme0n1p1 for names ending in a digit)
                 --platform pc|efi     GRUB's grub_platform (default pc)
                 --set NAME=VALUE      a GRUB variable set before the configuration runs
        As /init (PID 1), Baton shows its boot menu.
        """

    /// The text to print for an error, and where: help and the version on standard output.
    package static func message(for error: HostCommandLineError) -> String { error.description }

    /// 0 for help and the version, 2 for a usage error.
    package static func exitCode(for error: HostCommandLineError) -> Int32 { error.kind == .usage ? 2 : 0 }

    /// The invocation the arguments (without the program name) ask for.
    package static func parse(_ arguments: [String]) throws(HostCommandLineError) -> HostInvocation {
        if arguments.contains(where: { ["-h", "--help"].contains($0) }) || arguments.first == "help" {
            throw HostCommandLineError(kind: .help, message: "")
        }
        if arguments.first == "--version" { throw HostCommandLineError(kind: .version, message: "") }
        var words = arguments[...]
        let verb: Verb
        if let first = words.first, let named = Verb(rawValue: first) {
            verb = named
            words = words.dropFirst()
        } else if arguments.contains("--dry-run") {
            verb = .dryRun
        } else {
            throw .usage(arguments.isEmpty ? "say what to do: \(Verb.names)"
                                           : "'\(arguments[0])' is not a command: say \(Verb.names)")
        }
        var reader = Reader(verb: verb)
        try reader.read(words)
        return try reader.invocation()
    }

    enum Verb: String {
        case list, menu, dryRun = "--dry-run", grubAST = "grub-ast", benchConfigs = "bench-configs", fetch, netboot

        static let names = "list, --dry-run, menu, grub-ast, bench-configs, fetch or netboot"

        /// The options the command takes (device options and GRUB's where it reads devices).
        var options: Set<String> {
            let devices: Set<String> = ["--uuid", "--label", "--as", "--platform", "--set"]
            switch self {
            case .list: return devices.union(["--json"])
            case .dryRun: return devices.union(["--dry-run", "--entry", "--console"])
            case .menu: return devices.union(["--timeout"])
            case .grubAST, .benchConfigs: return []
            case .fetch: return ["--out", "--ca"]
            case .netboot: return ["--json", "--url"]
            }
        }
    }

    /// Options that are flags; every other option takes a value.
    static let flags: Set<String> = ["--json", "--dry-run"]

    struct Reader {
        let verb: Verb
        var json = false
        var entry: Int?
        var console: String?
        var timeout: Int?
        var output: String?
        var url: String?
        var certificates: String?
        var platform = "pc"
        var variables: [String: String] = [:]
        var devices: [DeviceArgument] = []
        var next = DeviceArgument(path: "")
        var paths: [String] = []

        init(verb: Verb) { self.verb = verb }

        mutating func read(_ words: ArraySlice<String>) throws(HostCommandLineError) {
            var rest = words
            while let word = rest.popFirst() {
                if word == "--" {
                    for path in rest { add(path) }
                    return
                }
                guard word.hasPrefix("-"), word.count > 1 else {
                    add(word)
                    continue
                }
                // `--name=value` or `--name value`.
                let name = word.firstIndex(of: "=").map { String(word[..<$0]) } ?? word
                guard verb.options.contains(name) else {
                    throw .usage("unknown option '\(name)' for \(verb == .dryRun ? "--dry-run" : verb.rawValue)")
                }
                if HostCommandLine.flags.contains(name) {
                    guard name == word else { throw .usage("\(name) takes no value") }
                    if name == "--json" { json = true }
                    continue
                }
                let value: String
                if let eq = word.firstIndex(of: "=") {
                    value = String(word[word.index(after: eq)...])
                } else if let following = rest.popFirst() {
                    value = following
                } else {
                    throw .usage("\(name) needs a value")
                }
                try take(name, value)
            }
        }

        mutating func add(_ path: String) {
            next.path = path
            devices.append(next)
            paths.append(path)
            next = DeviceArgument(path: "")
        }

        mutating func take(_ name: String, _ value: String) throws(HostCommandLineError) {
            switch name {
            case "--entry": entry = try number(name, value)
            case "--timeout": timeout = try number(name, value)
            case "--console": console = value
            case "--out": output = value
            case "--url": url = value
            case "--ca": certificates = value
            case "--uuid": next.uuid = value
            case "--label": next.label = value
            case "--as": next.name = value
            case "--platform":
                guard ["pc", "efi"].contains(value) else { throw .usage("--platform is pc or efi, not '\(value)'") }
                platform = value
            default:
                guard let eq = value.firstIndex(of: "="), eq != value.startIndex else {
                    throw .usage("--set takes NAME=VALUE, not '\(value)'")
                }
                variables[String(value[..<eq])] = String(value[value.index(after: eq)...])
            }
        }

        func number(_ name: String, _ value: String) throws(HostCommandLineError) -> Int {
            guard let n = Int(value), n >= 0 else { throw .usage("\(name) takes a number, not '\(value)'") }
            return n
        }

        func invocation() throws(HostCommandLineError) -> HostInvocation {
            if next.uuid != nil || next.label != nil || next.name != nil {
                throw .usage("--uuid, --label and --as describe the DEVICE after them; none follows")
            }
            let command: HostInvocation.Command
            switch verb {
            case .list: command = .list(json: json)
            case .dryRun: command = .dryRun(entry: entry, console: console)
            case .menu: command = .menu(timeout: timeout)
            case .grubAST:
                guard paths.count == 1 else { throw .usage("grub-ast takes one FILE") }
                return HostInvocation(command: .grubAST(path: paths[0]))
            case .benchConfigs:
                guard !paths.isEmpty else { throw .usage("bench-configs takes one DIR or more") }
                return HostInvocation(command: .benchConfigs(paths: paths))
            case .fetch:
                guard paths.count == 1 else { throw .usage("fetch takes one URL") }
                return HostInvocation(command: .fetch(url: paths[0], output: output, certificates: certificates))
            case .netboot:
                guard paths.count == 1 else { throw .usage("netboot takes one INTERFACE") }
                return HostInvocation(command: .netboot(interface: paths[0], url: url, json: json))
            }
            guard !devices.isEmpty else { throw .usage("give at least one DEVICE") }
            return HostInvocation(command: command, devices: devices, platform: platform, variables: variables)
        }
    }
}
