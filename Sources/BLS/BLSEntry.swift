// One Boot Loader Specification (Type 1) entry: a `loader/entries/*.conf` file of `key value` lines.

import BootModel

public struct BLSEntry: Sendable, Hashable {
    /// Path of the file in its view, and its name without ".conf" (the entry's id).
    public var path: String
    public var id: String
    public var title: String?
    public var version: String?
    public var machineID: String?
    public var sortKey: String?
    public var architecture: String?
    public var linux: String?
    public var efi: String?
    public var initrds: [String] = []
    /// `options` lines, joined by a space (the specification allows several).
    public var options: String?
    public var devicetree: String?
    public var line: [String: Int] = [:]

    /// Parses an entry; unknown keys are kept out silently except for a diagnostic.
    public static func parse(_ text: String, path: String) -> (entry: BLSEntry, diagnostics: [Diagnostic]) {
        let name = String(path.split(separator: "/").last ?? Substring(path))
        var entry = BLSEntry(path: path, id: name.hasSuffix(".conf") ? String(name.dropLast(5)) : name)
        var diagnostics: [Diagnostic] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let key = String(line.prefix { $0 != " " && $0 != "\t" })
            let value = String(line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }).trimmingTrailingBlanks
            entry.line[key] = entry.line[key] ?? n + 1
            switch key {
            case "title": entry.title = value
            case "version": entry.version = value
            case "machine-id": entry.machineID = value
            case "sort-key": entry.sortKey = value
            case "architecture": entry.architecture = value
            case "linux": entry.linux = value
            case "efi": entry.efi = value
            case "initrd": entry.initrds += value.split(separator: " ").map(String.init)
            case "options": entry.options = entry.options.map { $0 + " " + value } ?? value
            case "devicetree": entry.devicetree = value
            case "devicetree-overlay", "grub_users", "grub_arg", "grub_class", "id", "uki", "profile": break
            default:
                diagnostics.append(Diagnostic(.warning, "unknown key '\(key)'", at: SourceLocation(file: path, line: n + 1)))
            }
        }
        return (entry, diagnostics)
    }

    /// The most entry files read from one folder; a folder with more is reported and cut.
    public static let maxEntries = 10_000

    /// Reads every `*.conf` in a folder of the view (at most `maxEntries`).
    public static func entries(in directory: String, of view: some FileView) -> (entries: [BLSEntry], diagnostics: [Diagnostic], bytesRead: Int) {
        var entries: [BLSEntry] = []
        var diagnostics: [Diagnostic] = []
        var bytesRead = 0
        for name in view.list(directory) where name.hasSuffix(".conf") {
            guard entries.count < maxEntries else {
                diagnostics.append(Diagnostic(.warning, "more than \(maxEntries) entries; the rest are not read", at: SourceLocation(file: directory, line: 0)))
                break
            }
            let path = Path.normalized(directory + "/" + name)
            guard let text = view.text(of: path) else { continue }
            bytesRead += text.utf8.count
            let parsed = parse(text, path: path)
            entries.append(parsed.entry)
            diagnostics += parsed.diagnostics
        }
        return (entries, diagnostics, bytesRead)
    }
}
