// Prints what Baton reads from a syslinux tree: `SYSLINUX_DUMP=/path/to/root swift test --filter SyslinuxDump`
// (SYSLINUX_DUMP_PATH and SYSLINUX_DUMP_CWD pick a file and working directory). For looking, not checking.

import BootModel
import Foundation
import Syslinux
import Testing

@Suite struct SyslinuxDump {
    static let root = ProcessInfo.processInfo.environment["SYSLINUX_DUMP"]

    @Test(.enabled(if: root != nil)) func dump() {
        guard let root = Self.root else { return }
        let view = DirectoryView(root: URL(fileURLWithPath: root))
        let environment = ProcessInfo.processInfo.environment
        let config = environment["SYSLINUX_DUMP_PATH"].map {
            SyslinuxConfig.load(from: view, path: $0, workingDirectory: environment["SYSLINUX_DUMP_CWD"])
        } ?? SyslinuxConfig.load(from: view)
        guard let config else { return print("no syslinux config under \(root)") }
        print("\(config.path): default \(config.defaultIndex), timeout \(config.timeout.map(String.init) ?? "none")")
        for (index, entry) in config.entries.enumerated() {
            print("\(index == config.defaultIndex ? "*" : " ")\(index) \(entry.title) [\(entry.id ?? "-")] \(entry.origin)")
            print("     kernel \(entry.kernel?.description ?? "none") initrds \(entry.initrds.map(\.description)) dtb \(entry.devicetree?.description ?? "none")")
            print("     cmdline \"\(entry.commandLine)\"\(entry.unbootableReason.map { " unbootable: " + $0 } ?? "")")
        }
        for diagnostic in config.diagnostics { print("  \(diagnostic)") }
    }
}
