// Baton against real GRUB 2.06: every record scripts/grub-oracle-record made (our fixture trees,
// u-root's and petitboot's trees, GRUB's script tests, Debian's configs) is rebuilt and evaluated
// by Baton the way grub-oracle ran GRUB (one device, hd0), then compared entry by entry: titles,
// what the loaders load, the kernel command line, the variables the menu uses, what the config
// printed, and the entry GRUB boots by default.

import BootModel
import TestSupport
import Foundation
@testable import Grub
import Testing

@Suite struct GrubOracleConformanceTests {
    static let divergences: [GrubDivergence] = [
        GrubDivergence(key: "empty submenu", reason:
            "GRUB shows a submenu with no entries; Baton's menu lists bootable choices and leaves it out."),
    ]

    static let sets = ["fixtures", "u-root", "petitboot", "scripts", "debian"]

    /// The tree a record was made from.
    static func view(_ record: OracleRecord) -> TreeView? {
        if let mounts = record.source.tree.mounts {
            var view = TreeView()
            for mount in mounts {
                guard let url = ConformanceFolder.url(mount.from) else { return nil }
                view.mounts.append((mount.at, url))
            }
            return view
        }
        if let name = record.source.tree.petitboot, let test = PetitbootCase(name) {
            var world = PetitbootWorld()
            for step in test.steps where step.call != "test_run_parser" && !(step.call ?? "").hasPrefix("check_") {
                var ignored = GrubTally(divergences: [])
                GrubPetitbootConformanceTests.apply(step, test: test, world: &world, tally: &ignored)
            }
            guard let context = world.devices[PetitbootWorld.contextDevice], let config = world.config else { return nil }
            return TreeView(files: context.files.merging([Path.normalized(config.path): Array(config.text.utf8)]) { _, new in new },
                            folders: context.folders)
        }
        return nil
    }

    /// Title paths of Baton's entries, in menu order (titles may hold " > " themselves).
    static func paths(_ items: [GrubMenuItem], prefix: [String] = []) -> [[String]] {
        items.flatMap { item -> [[String]] in
            switch item {
            case .entry(let title, _): [prefix + [title]]
            case .submenu(let title, _, let children): paths(children, prefix: prefix + [title])
            }
        }
    }

    /// Titles of the empty submenus in Baton's menu tree.
    static func emptySubmenus(_ items: [GrubMenuItem], prefix: [String] = []) -> [[String]] {
        items.flatMap { item -> [[String]] in
            guard case .submenu(let title, _, let children) = item else { return [] }
            return children.isEmpty ? [prefix + [title]] : emptySubmenus(children, prefix: prefix + [title])
        }
    }

    static let suite = "grub-oracle"

    /// Every record as "set/name", but those of trees grub-oracle did not finish (nothing to
    /// compare); an unreadable record stays, to fail.
    static func trees() -> [String] {
        sets.flatMap { set in
            let folder = OracleRecord.folder.appendingPathComponent(set)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            return files.map { String($0.dropLast(5)) }.filter { name in
                guard let record = OracleRecord.named(set, name) else { return true }
                return record.oracle.error == nil && record.default_boot.finished
            }.map { "\(set)/\($0)" }
        }
    }

    @Test func recordedTrees() {
        guard Corpus.require() else { return }
        let trees = Self.trees()
        #expect(trees.count >= 90, "expected the recorded trees, found \(trees.count)")
        KnownMisses.checkSuite(Self.suite, trees: trees, divergences: Self.divergences.map(\.key))
    }

    @Test(arguments: trees()) func batonAgreesWithRecordedGrub(_ label: String) throws {
        guard Corpus.require() else { return }
        var tally = GrubTally(divergences: Self.divergences)
        defer { tally.finish(suite: Self.suite, tree: label) }
        let parts = label.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let record = OracleRecord.named(parts[0], parts[1]) else {
            tally.expect(false, "\(label): record unreadable")
            return
        }
        guard let view = Self.view(record), let run = GrubRun.oracleMode(record, view: view) else {
            tally.expect(false, "\(label): tree could not be rebuilt")
            return
        }
        compare(label, record, run, &tally)
    }

    func compare(_ label: String, _ record: OracleRecord, _ run: GrubRun, _ tally: inout GrubTally) {
        // Entries: GRUB's, Baton's (BLS ones left out where GRUB lacked blscfg). A GRUB run that
        // timed out keeps its place; one whose title was lost (a submenu that could not be read)
        // ends the comparable part of the menu.
        var grub = record.menuEntries ?? []
        var complete = true
        if let cut = grub.firstIndex(where: { $0.error != nil && ($0.title ?? "").isEmpty }) {
            grub = Array(grub[..<cut])
            complete = false
        }
        let paths = Self.paths(run.evaluation.tree)
        // A submenu grub-oracle could not read (drawn through a theme, say) shows no entries in the
        // record; what Baton has in it cannot be compared.
        let all = record.oracle.entries ?? []
        let unread = all.filter { sub in sub.submenu == true && !all.contains { $0.path.count > sub.path.count && Array($0.path.prefix(sub.path.count)) == sub.path } }
            .map(\.path)
        for path in unread where Self.paths(run.evaluation.tree).contains(where: { $0.count > path.count && Array($0.prefix(path.count)) == path }) {
            print("  note: \(label): grub-oracle could not read submenu '\(path.joined(separator: " > "))'; its entries are not compared")
        }
        var baton = zip(run.entries, paths).filter { entry, path in
            !(record.lacksBlscfg && entry.origin.file.contains("/loader/entries/"))
                && !unread.contains { path.count > $0.count && Array(path.prefix($0.count)) == $0 }
        }
        if !complete { baton = Array(baton.prefix(grub.count)) }
        for empty in Self.emptySubmenus(run.evaluation.tree) {
            if let at = grub.firstIndex(where: { $0.path == empty && ($0.commands ?? []).isEmpty }) {
                grub.remove(at: at)
                tally.expect(false, "\(label): empty submenu '\(empty.joined(separator: " > "))'", key: "empty submenu", grubAgrees: true)
            }
        }
        if complete {
            tally.expect(grub.count == baton.count, "\(label): \(baton.count) entries, GRUB shows \(grub.count)", key: "\(label): count")
        }
        for (n, (g, (b, path))) in zip(grub, baton).enumerated() {
            let what = "\(label): entry \(n) '\(b.title)'"
            tally.expect(g.path == path, "\(what) is '\(g.path.joined(separator: " > "))' in GRUB", key: "\(label): title(\(n))")
            guard g.error == nil else { continue }
            let loaded = OracleBoot(g.commands ?? [])
            tally.expect(loaded.kind == b.grubKind, "\(what) loads \(b.grubKind), GRUB \(loaded.kind)", key: "\(label): kind(\(n))")
            guard loaded.kind == b.grubKind, loaded.kind == .linux || loaded.kind == .multiboot else { continue }
            tally.expect(loaded.kernel == b.kernel?.path, "\(what) kernel \(b.kernel?.path ?? "none"), GRUB \(loaded.kernel ?? "none")", key: "\(label): kernel(\(n))")
            tally.expect(loaded.initrds == b.initrds.map(\.path), "\(what) initrds \(b.initrds.map(\.path)), GRUB \(loaded.initrds)", key: "\(label): initrds(\(n))")
            tally.expect(loaded.commandLine == b.commandLine, "\(what) command line '\(b.commandLine)', GRUB '\(loaded.commandLine)'", key: "\(label): cmdline(\(n))")
            tally.expect(loaded.devicetree == b.devicetree?.path, "\(what) devicetree \(b.devicetree?.path ?? "none"), GRUB \(loaded.devicetree ?? "none")", key: "\(label): devicetree(\(n))")
        }
        for (variable, grubValue) in [("default", record.oracle.default), ("timeout", record.oracle.timeout),
                                      ("timeout_style", record.oracle.timeout_style), ("fallback", record.oracle.fallback)] {
            guard let grubValue else { continue }
            let value = run.variable(variable)
            tally.expect(value == grubValue, "\(label): \(variable)='\(value)', GRUB '\(grubValue)'", key: "\(label): \(variable)")
        }
        // What the config printed; grub-oracle's own loader functions print `@@…` lines, left out.
        let printed = run.screenLines
        let grubPrinted = record.printed.filter { !$0.hasPrefix("@@") }
        tally.expect(printed == grubPrinted, "\(label): printed \(printed), GRUB printed \(grubPrinted)", key: "\(label): output")
        // The entry GRUB boots by default; "@@OOR" means an index past the menu, where GRUB takes the first.
        let path = record.default_boot.path
        if !path.isEmpty, !(record.lacksBlscfg && path.contains { $0.contains("@@") }) {
            let expected: [String]? = path.contains("@@OOR") ? baton.first?.1 : path
            let entry = run.entries.indices.contains(run.configuration.defaultIndex) ? run.entries[run.configuration.defaultIndex] : nil
            let actual = paths.indices.contains(run.configuration.defaultIndex) ? paths[run.configuration.defaultIndex] : []
            if let expected, Self.emptySubmenus(run.evaluation.tree).contains(expected) {
                tally.expect(false, "\(label): GRUB's default is the empty submenu '\(expected.joined(separator: " > "))'", key: "empty submenu", grubAgrees: true)
                return
            }
            let blsDefault = entry?.origin.file.contains("/loader/entries/") ?? false
            if let expected, !(record.lacksBlscfg && blsDefault) {
                tally.expect(actual == expected, "\(label): default '\(actual.joined(separator: " > "))', GRUB boots '\(expected.joined(separator: " > "))'", key: "\(label): default entry")
            }
        }
    }
}
