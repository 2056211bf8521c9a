// ext2/3/4 images built with mke2fs -d: identity against blkid, files, symlinks, htree, block maps.

import BootModel
import DiskImage
import Foundation
import LinuxPlatform
import Testing

@Suite struct ExtTests {
    /// A tree with every kind of entry the reader must handle.
    static func sampleTree(_ scratch: Scratch) throws -> String {
        var files: [String: [UInt8]] = [
            "boot/grub/grub.cfg": "set default=0\nmenuentry 'Linux' { linux /vmlinuz }\n".bytes,
            "boot/vmlinuz-6.1": (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) },
            "boot/big.bin": (0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) },
            "loader/entries/arch.conf": "title Arch\nlinux /vmlinuz-linux\n".bytes,
            "empty": [],
            "MixedCase.TXT": "case".bytes,
        ]
        for index in 1...500 { files["many/file-\(index).txt"] = "file \(index)\n".bytes }
        let longTarget = "../" + String(repeating: "x", count: 70) + "/../boot/grub/grub.cfg"
        return try scratch.tree("src", files: files, symlinks: [
            "fast": "boot/grub/grub.cfg",
            "slow": longTarget,
            "absolute": "/boot/grub/grub.cfg",
            "boot/up": "..",
            "vmlinuz": "boot/vmlinuz-6.1",
            "dangling": "nowhere/at/all",
            "loop1": "loop2",
            "loop2": "loop1",
            "escape": "../../../../etc/passwd",
        ], directories: [String(repeating: "x", count: 70)])
    }

    static func expectSampleTree(_ view: any FileView, source: String) throws {
        let manager = FileManager.default
        for path in ["/boot/grub/grub.cfg", "/boot/vmlinuz-6.1", "/boot/big.bin", "/loader/entries/arch.conf", "/empty", "/many/file-250.txt"] {
            let expected = try #require(manager.contents(atPath: source + path), "\(path) in the source tree")
            #expect(summary(view.contents(of: path)) == summary([UInt8](expected)), "\(path)")
        }
        let grub = view.contents(of: "/boot/grub/grub.cfg")
        #expect(grub != nil)
        #expect(view.contents(of: "/fast") == grub, "fast symlink")
        #expect(view.contents(of: "/slow") == grub, "slow symlink (target longer than 60 bytes)")
        #expect(view.contents(of: "/absolute") == grub, "absolute symlink stays inside the filesystem")
        #expect(view.contents(of: "/boot/up/boot/up/fast") == grub, "symlink to ..")
        #expect(summary(view.contents(of: "/vmlinuz")) == summary(view.contents(of: "/boot/vmlinuz-6.1")))
        #expect(view.contents(of: "/boot//grub/./../grub/grub.cfg") == grub, "unnormalised path")
        #expect(view.contents(of: "/dangling") == nil)
        #expect(!view.exists("/dangling"))
        #expect(view.contents(of: "/loop1") == nil, "symlink loop ends")
        #expect(!view.exists("/loop1"))
        #expect(view.contents(of: "/escape") == nil, "no /etc/passwd inside the image")
        #expect(view.contents(of: "/MIXEDCASE.TXT") == nil, "ext lookups are case-sensitive")
        #expect(view.contents(of: "/MixedCase.TXT") == "case".bytes)
        #expect(view.contents(of: "/boot") == nil, "a directory has no contents")
        #expect(view.exists("/boot/grub"))
        #expect(view.exists("/"))
        #expect(!view.exists("/boot/grub/missing.cfg"))
        #expect(view.list("/boot/grub") == ["grub.cfg"])
        #expect(view.list("/") == ["MixedCase.TXT", "absolute", "boot", "dangling", "empty", "escape", "fast", "loader", "loop1",
                                    "loop2", "lost+found", "many", "slow", "vmlinuz", String(repeating: "x", count: 70)])
        #expect(view.list("/boot") == ["big.bin", "grub", "up", "vmlinuz-6.1"])
        #expect(view.list("/fast") == [], "a file lists nothing")
        let many = view.list("/many")
        #expect(many.count == 500)
        #expect(many == (1...500).map { "file-\($0).txt" }.sorted())
        #expect(view.list("/boot/up") == view.list("/"), "listing through a symlink")
    }

    @Test(arguments: [
        ["mkfs.ext4", "-b", "1024"],
        ["mkfs.ext4", "-b", "4096"],
        ["mkfs.ext4", "-b", "4096", "-O", "64bit,metadata_csum", "-I", "512"],
        ["mkfs.ext4", "-b", "1024", "-O", "^extent,^64bit,^flex_bg"],
        ["mkfs.ext3", "-b", "2048"],
        ["mkfs.ext2", "-b", "1024"],
        ["mkfs.ext2", "-b", "4096", "-I", "128"],
    ])
    func readsFilesAndMatchesBlkid(mkfs: [String]) throws {
        let scratch = try Scratch()
        let source = try Self.sampleTree(scratch)
        let image = try scratch.image("ext.img", size: 32 << 20)
        try Tool.run(mkfs[0], Array(mkfs.dropFirst()) + ["-q", "-F", "-L", "bootfs", "-d", source, image])
        // e2fsck -D rebuilds large directories as htree (dir_index) directories.
        _ = try? Tool.run("e2fsck", ["-fyD", image])
        let stat = try Tool.run("debugfs", ["-R", "stat /many", image])
        #expect(stat.contains("Flags: 0x81000") || stat.contains("Flags: 0x1000"), "the test directory should be an htree: \(stat.prefix(80))")

        let opened = try #require(Filesystem.open(try ImageFile(path: image)))
        try Blkid.expectSame(opened.identity, as: image)
        #expect(opened.identity.label == "bootfs")
        let view = try #require(opened.fileView)
        try Self.expectSampleTree(view, source: source)
    }

    @Test func inlineData() throws {
        let scratch = try Scratch()
        let source = try scratch.tree("src", files: [
            "tiny.txt": "tiny".bytes,
            "medium.txt": (0..<100).map { UInt8(0x41 + $0 % 26) },
            "dir/a": "a".bytes,
            "dir/b": "b".bytes,
        ])
        let image = try scratch.image("inline.img", size: 8 << 20)
        try Tool.run("mkfs.ext4", ["-q", "-F", "-I", "256", "-O", "inline_data", "-d", source, image])
        let view = try #require(Filesystem.open(try ImageFile(path: image))?.fileView)
        #expect(view.contents(of: "/tiny.txt") == "tiny".bytes)
        #expect(view.contents(of: "/medium.txt") == (0..<100).map { UInt8(0x41 + $0 % 26) })
        #expect(view.list("/dir") == ["a", "b"])
        #expect(view.contents(of: "/dir/b") == "b".bytes)
    }

    /// A sparse file past 64 MiB on 1 KiB blocks needs the triple-indirect block; the 16 MiB cap
    /// refuses it through `contents(of:)`, so the tail is checked through a hole-free neighbour.
    @Test func blockMapLimitsAndTripleIndirect() throws {
        let scratch = try Scratch()
        let source = try scratch.tree("src", files: ["small": "x".bytes])
        let sparse = source + "/sparse"
        _ = FileManager.default.createFile(atPath: sparse, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: sparse))
        try handle.seek(toOffset: 70 << 20)
        try handle.write(contentsOf: Data("tail".utf8))
        try handle.close()
        let image = try scratch.image("ext2.img", size: 16 << 20)
        try Tool.run("mkfs.ext2", ["-q", "-F", "-b", "1024", "-d", source, image])
        let view = try #require(Filesystem.open(try ImageFile(path: image))?.fileView)
        #expect(view.exists("/sparse"))
        #expect(view.contents(of: "/sparse") == nil, "larger than 16 MiB: refused")
        #expect(view.contents(of: "/small") == "x".bytes)
    }
}
