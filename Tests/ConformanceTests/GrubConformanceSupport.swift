// Shared pieces of the GRUB conformance suites: trees built from corpus folders, Baton runs that
// keep the interpreter's final state, grub-oracle records, and a tally that counts a peer's
// expectation as met through a listed divergence only when real GRUB agrees with Baton.

import BootModel
import TestSupport
import Foundation
@testable import Grub
import Testing

/// A file view made of folders and files mounted at paths, plus files and folders held in memory.
struct TreeView: FileView {
    var mounts: [(at: String, url: URL)] = []
    var files: [String: [UInt8]] = [:]
    var folders: Set<String> = []

    /// What a path is on a real mount: the URL, and whether it is a folder.
    private func real(_ path: String) -> (URL, Bool)? {
        let p = Path.normalized(path)
        for (at, url) in mounts.reversed() {
            let mount = Path.normalized(at)
            let inside: String
            if p == mount {
                inside = ""
            } else if p.hasPrefix(mount == "/" ? "/" : mount + "/") {
                inside = String(p.dropFirst(mount == "/" ? 1 : mount.count + 1))
            } else {
                continue
            }
            let target = inside.isEmpty ? url : url.appendingPathComponent(inside)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) { return (target, isDirectory.boolValue) }
        }
        return nil
    }

    func contents(of path: String) -> [UInt8]? {
        let p = Path.normalized(path)
        if let bytes = files[p] { return bytes }
        guard let (url, isDirectory) = real(p), !isDirectory else { return nil }
        return (try? Data(contentsOf: url)).map { [UInt8]($0) }
    }

    func exists(_ path: String) -> Bool {
        let p = Path.normalized(path)
        if p == "/" || files[p] != nil || folders.contains(p) { return true }
        if files.keys.contains(where: { $0.hasPrefix(p + "/") }) || folders.contains(where: { $0.hasPrefix(p + "/") }) { return true }
        if mounts.contains(where: { Path.normalized($0.at) == p || Path.normalized($0.at).hasPrefix(p + "/") }) { return true }
        return real(p) != nil
    }

    func list(_ path: String) -> [String] {
        let p = Path.normalized(path)
        let prefix = p == "/" ? "/" : p + "/"
        var names: Set<String> = []
        for key in Array(files.keys) + Array(folders) + mounts.map({ Path.normalized($0.at) }) where key.hasPrefix(prefix) {
            if let name = key.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(name)) }
        }
        if let (url, isDirectory) = real(p), isDirectory {
            names.formUnion((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
        }
        return names.sorted()
    }
}

/// Where the conformance test folder is, for our own fixtures and records.
enum ConformanceFolder {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository: URL = root.deletingLastPathComponent().deletingLastPathComponent()

    /// `corpus:…` and `repo:…` references, as grub-oracle-record writes them.
    static func url(_ reference: String) -> URL? {
        if reference.hasPrefix("corpus:") { return Corpus.url(String(reference.dropFirst(7))) }
        if reference.hasPrefix("repo:") { return repository.appendingPathComponent(String(reference.dropFirst(5))) }
        return nil
    }
}

/// A Baton run kept whole: the configuration, and the interpreter as the configuration left it.
struct GrubRun {
    let evaluation: GrubConfig.Evaluation

    init(_ text: String, path: String, device: BootVolume, devices: [BootVolume] = [], options: GrubOptions = GrubOptions()) {
        evaluation = GrubConfig.run(text, path: path, device: device, devices: devices, options: options)
    }

    var configuration: BootConfiguration { evaluation.configuration }
    var entries: [BootEntry] { configuration.entries }

    func variable(_ name: String) -> String { evaluation.machine.variables[name] ?? "" }

    /// What the configuration printed, as a terminal shows it: tabs expanded, control characters
    /// gone, blank lines and trailing blanks dropped (grub-oracle reports output that way).
    var screenLines: [String] { Self.screen(evaluation.machine.outputText) }

    static func screen(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { raw -> String? in
            var line = ""
            for ch in raw {
                if ch == "\t" {
                    line += String(repeating: " ", count: 8 - line.count % 8)
                } else if let scalar = ch.unicodeScalars.first, scalar.value < 32 || scalar.value == 127 {
                    continue
                } else {
                    line.append(ch)
                }
            }
            while line.last == " " { line.removeLast() }
            return line.isEmpty ? nil : line
        }
    }
}

/// One peer expectation Baton deliberately does not meet, and why. It counts as met only when GRUB
/// (a grub-oracle record, or GRUB's documented behaviour where the oracle cannot run the case)
/// agrees with what Baton does.
struct GrubDivergence {
    let key: String
    let reason: String
}

/// A ConformanceTally that knows the divergences of its suite.
struct GrubTally {
    private(set) var tally = ConformanceTally()
    let divergences: [String: GrubDivergence]

    init(divergences: [GrubDivergence]) {
        self.divergences = Dictionary(divergences.map { ($0.key, $0) }) { first, _ in first }
    }

    /// Counts one expectation: met directly, or through the divergence `key` when GRUB agrees with Baton.
    mutating func expect(_ ok: Bool, _ what: @autoclosure () -> String, key: String? = nil, grubAgrees: @autoclosure () -> Bool? = nil) {
        if ok {
            tally.expect(true, what())
            return
        }
        guard let key, divergences[key] != nil else {
            tally.expect(false, what())
            return
        }
        tally.divergencesUsed.insert(key)
        let agrees = grubAgrees()
        tally.expect(agrees == true, "\(what()) — divergence '\(key)' \(agrees == nil ? "has no GRUB evidence" : "is not GRUB's behaviour")")
    }

    /// Compares the tree's result with its known misses.
    func finish(suite: String, tree: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        tally.finish(suite: suite, tree: tree, sourceLocation: sourceLocation)
    }
}

/// A record written by scripts/grub-oracle-record: what GRUB 2.06 did with one tree.
struct OracleRecord: Decodable {
    struct Mount: Decodable {
        var at: String
        var from: String
    }
    struct Tree: Decodable {
        var mounts: [Mount]?
        var petitboot: String?
    }
    struct Source: Decodable {
        var tree: Tree
        var config: String
        var uuid: String
        var requested_uuid: String?
        var label: String?
        var platform: String
    }
    struct Command: Decodable {
        var cmd: String
        var args: [String]
    }
    struct Entry: Decodable {
        var title: String?
        var path: [String]
        var index: [Int]
        var submenu: Bool?
        var commands: [Command]?
        var error: String?
    }
    struct Result: Decodable {
        var `default`: String?
        var timeout: String?
        var timeout_style: String?
        var fallback: String?
        var config_output: [String]?
        var entries: [Entry]?
        var error: String?
    }
    struct DefaultBoot: Decodable {
        var path: [String]
        var finished: Bool
    }

    var source: Source
    var oracle: Result
    var default_boot: DefaultBoot

    static let folder = ConformanceFolder.root.appendingPathComponent("OracleRecords")

    /// All records of a set ("fixtures", "u-root", "petitboot", "scripts", "debian"), by case name.
    static func load(_ set: String) -> [(name: String, record: OracleRecord)] {
        let dir = folder.appendingPathComponent(set)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = try? Data(contentsOf: dir.appendingPathComponent(name)),
                  let record = try? JSONDecoder().decode(OracleRecord.self, from: data) else {
                Issue.record("unreadable oracle record \(set)/\(name)")
                return nil
            }
            return (String(name.dropLast(5)), record)
        }
    }

    static func named(_ set: String, _ name: String) -> OracleRecord? {
        let url = folder.appendingPathComponent(set).appendingPathComponent(name + ".json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(OracleRecord.self, from: data)
    }

    /// The entries GRUB shows (submenus left out), in menu order; nil when GRUB did not finish.
    var menuEntries: [Entry]? {
        guard oracle.error == nil, let entries = oracle.entries else { return nil }
        return entries.filter { $0.submenu != true }
    }

    /// GRUB did not know `blscfg` (upstream 2.06 has no such command).
    var lacksBlscfg: Bool { oracle.config_output?.contains { $0.contains("can't find command `blscfg'") } ?? false }

    /// What the config printed, GRUB's own error lines left out.
    var printed: [String] { (oracle.config_output ?? []).filter { !$0.hasPrefix("error: ") } }
}

/// What an entry's loader commands leave loaded in real GRUB: each `linux` replaces the kernel and
/// drops the initrd, each `initrd` replaces the initrds, and needs a kernel; a file name without a
/// leading `/` (after any device) is refused. (grub-oracle runs loaders as functions that only
/// print their arguments; this replays them with GRUB's loader rules. A function called with no
/// arguments shows one empty argument there, which is read as none.)
struct OracleBoot: Equatable {
    enum Kind: Equatable { case none, linux, multiboot, other }
    var kind = Kind.none
    var kernel: String?
    var arguments: [String] = []
    var initrds: [String] = []
    var devicetree: String?

    init(_ commands: [OracleRecord.Command]) {
        for command in commands {
            let args = command.args == [""] ? [] : command.args
            switch command.cmd {
            case "linux", "linux16", "linuxefi":
                self = OracleBoot([])
                guard let first = args.first, Self.valid(first) else { continue }
                kind = .linux
                kernel = Self.path(first)
                arguments = Array(args.dropFirst())
            case "initrd", "initrd16", "initrdefi":
                guard kind == .linux, !args.isEmpty, args.allSatisfy(Self.valid) else { continue }
                initrds = args.map(Self.path)
            case "multiboot", "multiboot2":
                self = OracleBoot([])
                guard let first = args.first, Self.valid(first) else { continue }
                kind = .multiboot
                kernel = Self.path(first)
                arguments = Array(args.dropFirst())
            case "devicetree", "fdt":
                if let first = args.first, Self.valid(first) { devicetree = Self.path(first) }
            case "chainloader", "knetbsd", "kfreebsd", "kopenbsd", "xnu_kernel", "xnu_kernel64", "appleloader", "fwsetup":
                if command.cmd != "fwsetup" {
                    self = OracleBoot([])
                    kind = .other
                }
            default:
                continue
            }
        }
    }

    static func valid(_ argument: String) -> Bool {
        var rest = Substring(argument)
        if rest.hasPrefix("(") {
            guard let close = rest.firstIndex(of: ")") else { return false }
            rest = rest[rest.index(after: close)...]
        }
        return rest.hasPrefix("/")
    }

    /// The path part of `(device)/path`, normalized.
    static func path(_ argument: String) -> String {
        var rest = Substring(argument)
        if rest.hasPrefix("("), let close = rest.firstIndex(of: ")") { rest = rest[rest.index(after: close)...] }
        return Path.normalized(String(rest))
    }

    /// The kernel command line GRUB builds from the arguments.
    var commandLine: String { GrubCommands.kernelCommandLine(arguments[...]) }
}

extension BootEntry {
    /// The entry as GRUB's loaders would leave it, to compare with OracleBoot.
    var grubKind: OracleBoot.Kind {
        if kernel == nil { return unbootableReason?.contains("chainloader") == true ? .other : .none }
        if unbootableReason?.contains("multiboot") == true || unbootableReason?.contains("Xen") == true { return .multiboot }
        return .linux
    }

    /// Titles of the submenus and the entry.
    var titlePath: [String] { title.components(separatedBy: " > ") }
}

extension GrubRun {
    /// Baton run the way grub-oracle ran GRUB on a record's tree: one device, `hd0`, with the
    /// record's UUID and label, the configuration sourced two levels down.
    static func oracleMode(_ record: OracleRecord, view: some FileView) -> GrubRun? {
        guard let text = view.text(of: record.source.config) else { return nil }
        let device = BootVolume(name: "hd0", uuid: record.source.uuid, label: record.source.label, filesystem: "ext2", files: view)
        var options = GrubOptions()
        options.platform = record.source.platform
        options.limits.initialDepth = 2
        return GrubRun(text, path: record.source.config, device: device, options: options)
    }
}
