// The kernel's modprobe helper (/sbin/modprobe → /init): loads what request_module asks for,
// e.g. `modprobe -q -- nls_cp437` when a vfat filesystem is mounted.

import Discovery

enum ModprobeHelper {
    static func run(arguments: [String]) -> Int32 {
        var names: [String] = []
        var afterDashes = false
        for arg in arguments {
            if afterDashes || !arg.hasPrefix("-") { names.append(arg) } else if arg == "--" { afterDashes = true }
        }
        guard let coldplug = Coldplug() else { return 1 }
        let result = coldplug.load(modules: names)
        return result.errors.isEmpty && coldplug.index.modules(matching: names.first ?? "").isEmpty == false ? 0 : 1
    }
}
