// The `blscfg` command of Fedora's and RHEL's GRUB: one menu entry per BLS file in
// `$blsdir` (default /loader/entries, then /boot/loader/entries) on `$root`, newest version first.

import BLS
import BootModel

enum GrubBLS {
    static func run(_ m: inout GrubMachine, _ args: [String], _ line: Int) -> GrubFlow {
        let root = m.value(of: "root")
        let device = m.deviceReference(root)
        guard let view = m.files(on: device) else {
            m.warn("blscfg: device \(device) of $root is not available", line: line)
            m.status = 1
            return .next
        }
        let configured = args.first ?? m.variables["blsdir"]
        let folders = configured.map { [$0] } ?? ["/loader/entries", "/boot/loader/entries"]
        var found: [BLSEntry] = []
        var bytesRead = 0
        for folder in folders {
            let result = BLSEntry.entries(in: folder, of: view)
            bytesRead += result.bytesRead
            for d in result.diagnostics { m.diagnostics.add(d) }
            if !result.entries.isEmpty {
                found = result.entries
                break
            }
        }
        // Each entry file read and parsed costs ten steps, whether or not it becomes an entry, and
        // a step per 32 bytes read, as `source` does.
        let units = found.count * 10 * GrubMachine.unitsPerStep + bytesRead * GrubMachine.unitsPerStep / 32
        guard m.spend(units: units) else { return .exhausted }
        // Fedora sorts by the entry's name-version-release, newest first.
        found.sort { a, b in
            let c = VersionCompare.compare(a.version ?? a.id, b.version ?? b.id)
            return c != 0 ? c > 0 : VersionCompare.compare(a.id, b.id) > 0
        }
        let prefix = root.isEmpty ? "" : "(\(root))"
        for entry in found {
            guard m.menu.count < m.limits.menuEntries else {
                m.warn("more than \(m.limits.menuEntries) menu entries; BLS entry \(entry.path) and those after it are not shown", line: line)
                break
            }
            guard let kernel = entry.linux else {
                m.warn("BLS entry \(entry.path) has no 'linux' line; skipped", line: line)
                continue
            }
            // The entry becomes GRUB script, so `$kernelopts` and friends expand when it runs.
            var text = "linux \(prefix)\(kernel) \(entry.options ?? "$kernelopts")\n"
            if !entry.initrds.isEmpty {
                text += "initrd " + entry.initrds.map { $0.hasPrefix("$") ? $0 : prefix + $0 }.joined(separator: " ") + "\n"
            }
            if let dtb = entry.devicetree { text += "devicetree \(prefix)\(dtb)\n" }
            let script = GrubParser.parseText(text, file: entry.path)
            m.menu.append(GrubMenuNode(
                title: entry.title ?? entry.id, id: entry.id, extraArguments: [], body: script.code, submenu: false,
                origin: SourceLocation(file: entry.path, line: entry.line["linux"] ?? 1), restrictedTo: nil))
        }
        m.status = 0
        return .next
    }
}
