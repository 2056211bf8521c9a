// Baton as an ordinary program: lists the entries of a directory tree, or prints the boot plan
// (`--dry-run`), without privileges and without touching any device.

import BootConfig
import Discovery
import LinuxPlatform

enum HostCommand {
    static let usage = """
        usage: baton list [--json] DIR       entries Baton would offer for DIR (as if a mounted disk)
               baton --dry-run [--entry N] [--console NAME] DIR
                                            what Baton would boot from DIR (default entry unless --entry)
        As /init (PID 1), Baton shows its boot menu.
        """

    static func run(arguments: [String]) -> Int32 {
        var json = false
        var dryRun = false
        var entry: Int?
        var console: String?
        var words: [String] = []
        var rest = arguments[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "--json": json = true
            case "--dry-run": dryRun = true
            case "--entry": entry = rest.popFirst().flatMap { Int($0) }
            case "--console": console = rest.popFirst()
            case "-h", "--help", "help":
                Console.write(usage)
                return 0
            default: words.append(arg)
            }
        }
        if dryRun, words.count == 1 { return plan(directory: words[0], entry: entry, console: console) }
        if words.count == 2, words[0] == "list" { return list(directory: words[1], json: json) }
        Console.write(usage, fd: 2)
        return 2
    }

    static func source(_ directory: String) -> BootSource? {
        let root = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard FileSystem.isDirectory(root) else {
            Console.write("baton: \(directory): not a directory", fd: 2)
            return nil
        }
        let device = GrubDevice(name: "host", files: HostFileView(root: root))
        guard let configuration = ConfigLocator.loadConfigurations(from: device).first else {
            Console.write("baton: \(directory): no boot configuration found (looked for \(ConfigLocator.searchedPaths.joined(separator: ", ")))", fd: 2)
            return nil
        }
        return BootSource(device: nil, root: root, configuration: configuration)
    }

    static func list(directory: String, json: Bool) -> Int32 {
        guard let source = source(directory) else { return 1 }
        let config = source.configuration
        for diagnostic in config.diagnostics { Console.write("baton: \(diagnostic)", fd: 2) }
        if json {
            Console.write(JSON.entries(config))
            return 0
        }
        for (n, entry) in config.entries.enumerated() {
            let mark = n == config.defaultIndex ? "*" : " "
            Console.write("\(mark) \(n) \(entry.title)")
            if let reason = entry.unbootableReason { Console.write("      unbootable: \(reason)") }
            if let kernel = entry.kernel { Console.write("      linux  \(kernel) \(entry.commandLine)") }
            if !entry.initrds.isEmpty { Console.write("      initrd \(entry.initrds.map(\.description).joined(separator: " "))") }
        }
        Console.write("timeout: " + (config.timeout.map { "\($0) s" } ?? "none (wait for the user)"))
        return 0
    }

    static func plan(directory: String, entry: Int?, console: String?) -> Int32 {
        guard let source = source(directory) else { return 1 }
        let index = entry ?? source.configuration.defaultIndex
        guard source.configuration.entries.indices.contains(index) else {
            Console.write("baton: no entry \(index) (there are \(source.configuration.entries.count))", fd: 2)
            return 1
        }
        let chosen = source.configuration.entries[index]
        switch BootPlan.make(entry: chosen, source: source, console: console) {
        case .failure(let error):
            Console.write("baton: cannot boot \"\(chosen.title)\": \(error)", fd: 2)
            return 1
        case .success(let plan):
            Console.write("would boot: \(chosen.title)")
            Console.write("kernel:     \(plan.kernel)")
            Console.write("initrds:    \(plan.initrds.joined(separator: " "))")
            Console.write("cmdline:    \(plan.commandLine)")
            return 0
        }
    }
}

/// Hand-written JSON output: Baton carries no Foundation.
enum JSON {
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func entries(_ config: BootConfiguration) -> String {
        let items = config.entries.enumerated().map { n, e in
            var fields = [
                "\"title\": \(string(e.title))",
                "\"kernel\": \(e.kernel.map { string($0.description) } ?? "null")",
                "\"initrds\": [\(e.initrds.map { string($0.description) }.joined(separator: ", "))]",
                "\"cmdline\": \(string(e.commandLine))",
                "\"default\": \(n == config.defaultIndex)",
                "\"origin\": \(string(e.origin.description))",
            ]
            if let reason = e.unbootableReason { fields.append("\"unbootable\": \(string(reason))") }
            return "  {" + fields.joined(separator: ", ") + "}"
        }
        return "[\n" + items.joined(separator: ",\n") + "\n]"
    }
}
