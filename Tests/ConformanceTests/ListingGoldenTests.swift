// `baton list --json` of every corpus tree that is a filesystem root, kept as a golden file
// (Tests/ConformanceTests/Listings/<tree>.json), as u-root keeps its parsers' JSON: each tree is
// listed alone, the way `baton list --json TREE` lists it, through the same host-mode code. A tree
// with no boot configuration lists as `[]`. Re-record with BATON_RECORD_GOLDEN=1 and review the diff.

import BootModel
import BootSession
import Foundation
import Grub
import TestSupport
import Testing

@Suite struct ListingGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Listings")

    /// The corpus folders whose children are filesystem roots.
    static let parents = [
        "u-root/pkg/boot/grub/testdata_new", "u-root/pkg/boot/syslinux/testdata", "u-root/pkg/boot/bls/testdata",
        "petitboot/test/parser/fixtures",
    ]

    /// Every tree, as a corpus-relative path.
    static func trees() -> [String] {
        parents.flatMap { parent in
            Corpus.list(parent).filter { child in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: Corpus.url("\(parent)/\(child)").path, isDirectory: &isDirectory) && isDirectory.boolValue
            }.map { "\(parent)/\($0)" }
        }
    }

    static func golden(_ tree: String) -> URL { folder.appendingPathComponent(tree.replacingOccurrences(of: "/", with: "__") + ".json") }

    @Test func everyTreeHasAListing() throws {
        guard Corpus.require() else { return }
        let trees = Self.trees()
        #expect(trees.count >= 30, "expected the corpus's filesystem trees, found \(trees.count)")
        let recorded = Set((try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path)) ?? [])
        let expected = Set(trees.map { Self.golden($0).lastPathComponent })
        if KnownMisses.recording {
            for stale in recorded.subtracting(expected) { try FileManager.default.removeItem(at: Self.folder.appendingPathComponent(stale)) }
        } else {
            #expect(recorded == expected, "listings without a tree: \(recorded.subtracting(expected).sorted()); trees without a listing: \(expected.subtracting(recorded).sorted())")
        }
    }

    @Test(arguments: trees()) func listing(_ tree: String) throws {
        let volume = try HostVolumes.directory(Corpus.url(tree).path, uuid: nil, label: nil, taken: []).get()
        let listing = HostVolumes.menu([volume], grub: GrubOptions()).map(EntryReport.json) ?? "[]"
        let url = Self.golden(tree)
        if KnownMisses.recording {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try (listing + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let recorded = try? String(contentsOf: url, encoding: .utf8)
        #expect(recorded == listing + "\n", """
            `baton list --json \(tree)` differs from \(url.lastPathComponent) (re-record with \(KnownMisses.recordVariable)=1 and review the diff):
            \(listing)
            """)
    }
}
