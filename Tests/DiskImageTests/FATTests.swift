// FAT12/16/32 images built with mkfs.vfat and mcopy: identity, long names, case-insensitive lookups.

import BootModel
import DiskImage
import Foundation
import LinuxPlatform
import Testing

@Suite struct FATTests {
    static let files: [String: [UInt8]] = [
        "EFI/BOOT/BOOTX64.EFI": (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 31) },
        "EFI/BOOT/grub.cfg": "search --label root\n".bytes,
        "loader/entries/A Long Entry Name With Spaces.conf": "title Long\n".bytes,
        "loader/loader.conf": "default arch\ntimeout 3\n".bytes,
        "syslinux.cfg": "DEFAULT linux\n".bytes,
        "Ünïcödé ñame.txt": "unicode".bytes,
        "empty.txt": [],
    ]

    static func build(_ scratch: Scratch, size: UInt64, options: [String], label: String) throws -> String {
        let image = try scratch.image("fat.img", size: size)
        try Tool.run("mkfs.vfat", options + ["-n", label, image])
        let source = try scratch.tree("src", files: files)
        for top in ["EFI", "loader", "syslinux.cfg", "Ünïcödé ñame.txt", "empty.txt"] {
            try Tool.run("mcopy", ["-s", "-i", image, source + "/" + top, "::/"])
        }
        return image
    }

    @Test(arguments: [
        (UInt64(2 << 20), ["-F", "12"], "SMALL"),
        (UInt64(24 << 20), ["-F", "16"], "Mixed Case"),
        (UInt64(48 << 20), ["-F", "32", "-s", "1"], "ESP"),
    ])
    func readsFilesAndMatchesBlkid(size: UInt64, options: [String], label: String) throws {
        let scratch = try Scratch()
        let image = try Self.build(scratch, size: size, options: options, label: label)
        let opened = try #require(Filesystem.open(try ImageFile(path: image)))
        try Blkid.expectSame(opened.identity, as: image)
        #expect(opened.identity.type == "vfat")
        let view = try #require(opened.fileView)
        for (path, bytes) in Self.files {
            #expect(summary(view.contents(of: "/" + path)) == summary(bytes), "\(path)")
        }
        #expect(summary(view.contents(of: "/efi/boot/bootx64.efi")) == summary(Self.files["EFI/BOOT/BOOTX64.EFI"]), "case-insensitive")
        #expect(view.contents(of: "/LOADER/ENTRIES/a long entry name with spaces.conf") == "title Long\n".bytes)
        #expect(view.list("/") == ["EFI", "empty.txt", "loader", "syslinux.cfg", "Ünïcödé ñame.txt"])
        #expect(view.list("/loader/entries") == ["A Long Entry Name With Spaces.conf"])
        #expect(view.list("/efi/boot") == ["BOOTX64.EFI", "grub.cfg"])
        #expect(view.exists("/EFI/BOOT"))
        #expect(!view.exists("/EFI/BOOT/missing"))
        #expect(view.contents(of: "/EFI") == nil)
        #expect(view.list("/syslinux.cfg") == [])
    }

    @Test func manyFilesSpanClusters() throws {
        let scratch = try Scratch()
        let image = try scratch.image("fat.img", size: 48 << 20)
        try Tool.run("mkfs.vfat", ["-F", "32", "-s", "1", image])
        var files: [String: [UInt8]] = [:]
        for index in 1...300 { files["dir/entry number \(index).conf"] = "n=\(index)".bytes }
        let source = try scratch.tree("src", files: files)
        try Tool.run("mcopy", ["-s", "-i", image, source + "/dir", "::/"])
        let view = try #require(Filesystem.open(try ImageFile(path: image))?.fileView)
        #expect(view.list("/dir").count == 300)
        #expect(view.contents(of: "/DIR/ENTRY NUMBER 299.CONF") == "n=299".bytes)
        #expect(Filesystem.identify(try ImageFile(path: image))?.label == nil, "no label: blkid prints none")
    }
}
