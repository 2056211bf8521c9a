// ISO 9660 images built with xorriso: Rock Ridge, Joliet and plain names, and blkid's UUID/LABEL.

import BootModel
import DiskImage
import Foundation
import LinuxPlatform
import Testing

@Suite struct ISOTests {
    static let files: [String: [UInt8]] = [
        "boot/grub/grub.cfg": "menuentry Live { linux /casper/vmlinuz }\n".bytes,
        "casper/vmlinuz": (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 3) },
        "isolinux/isolinux.cfg": "DEFAULT live\n".bytes,
        "EFI/BOOT/Grub Config.cfg": "set root\n".bytes,
        "README.diskdefines": "#define DISKNAME Test\n".bytes,
    ]

    static func build(_ scratch: Scratch, options: [String], label: String?) throws -> (image: String, source: String) {
        var many: [String: [UInt8]] = files
        for index in 1...120 { many["many/some-long-file-name-\(index).txt"] = "\(index)".bytes }
        let source = try scratch.tree("src", files: many, symlinks: [
            "boot/grub/link.cfg": "grub.cfg",
            "vmlinuz": "/casper/vmlinuz",
            "casper/up": "../boot/grub/../grub/grub.cfg",
        ])
        let image = scratch.file("image.iso")
        var arguments = ["-as", "mkisofs", "-quiet"] + options
        if let label { arguments += ["-V", label] }
        try Tool.run("xorriso", arguments + ["-o", image, source])
        return (image, source)
    }

    @Test func rockRidgeAndJoliet() throws {
        let scratch = try Scratch()
        let (image, _) = try Self.build(scratch, options: ["-R", "-J"], label: "Ubuntu 24.04 LTS amd64")
        let opened = try #require(Filesystem.open(try ImageFile(path: image)))
        try Blkid.expectSame(opened.identity, as: image)
        #expect(opened.identity.label == "Ubuntu 24.04 LTS amd64")
        let view = try #require(opened.fileView)
        for (path, bytes) in Self.files { #expect(summary(view.contents(of: "/" + path)) == summary(bytes), "\(path)") }
        let grub = Self.files["boot/grub/grub.cfg"]
        #expect(view.contents(of: "/boot/grub/link.cfg") == grub, "Rock Ridge relative symlink")
        #expect(view.contents(of: "/casper/up") == grub, "Rock Ridge symlink with ..")
        #expect(summary(view.contents(of: "/vmlinuz")) == summary(Self.files["casper/vmlinuz"]), "Rock Ridge absolute symlink")
        #expect(view.contents(of: "/BOOT/GRUB/GRUB.CFG") == nil, "Rock Ridge names are case-sensitive")
        #expect(view.list("/") == ["EFI", "README.diskdefines", "boot", "casper", "isolinux", "many", "vmlinuz"])
        #expect(view.list("/EFI/BOOT") == ["Grub Config.cfg"])
        #expect(view.list("/many").count == 120, "a directory spanning several sectors")
        #expect(view.contents(of: "/many/some-long-file-name-77.txt") == "77".bytes)
    }

    @Test func jolietOnly() throws {
        let scratch = try Scratch()
        let (image, _) = try Self.build(scratch, options: ["--norock", "-J"], label: "Mixed Case Label")
        let opened = try #require(Filesystem.open(try ImageFile(path: image)))
        try Blkid.expectSame(opened.identity, as: image)
        let view = try #require(opened.fileView)
        for (path, bytes) in Self.files { #expect(summary(view.contents(of: "/" + path)) == summary(bytes), "\(path)") }
        #expect(view.contents(of: "/boot/GRUB/Grub.Cfg") == Self.files["boot/grub/grub.cfg"], "Joliet lookups ignore case")
        #expect(view.list("/EFI/BOOT") == ["Grub Config.cfg"])
        #expect(view.list("/").contains("README.diskdefines"))
    }

    @Test func plainISO9660Names() throws {
        let scratch = try Scratch()
        let (image, _) = try Self.build(scratch, options: ["--norock"], label: nil)
        let opened = try #require(Filesystem.open(try ImageFile(path: image)))
        try Blkid.expectSame(opened.identity, as: image)
        let view = try #require(opened.fileView)
        #expect(view.contents(of: "/boot/grub/grub.cfg") == Self.files["boot/grub/grub.cfg"])
        #expect(view.contents(of: "/ISOLINUX/ISOLINUX.CFG") == Self.files["isolinux/isolinux.cfg"])
        #expect(view.list("/isolinux") == ["isolinux.cfg"], "lower case without ;1, as Linux shows them")
    }

    /// The Joliet/primary label merge blkid performs, checked on patched descriptors.
    @Test(arguments: [
        ("MYDISK_LONGER_THAN_SIXTEEN_X", "MyDisk_Longer_Th", "MyDisk_Longer_ThAN_SIXTEEN_X"),
        ("MYDISK", "Other", "Other"),
        ("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOP", "abcdefghijklmnopqrstuvwxyz"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "AbcdefghijklmnoX", "AbcdefghijklmnoX"),
        ("ABCDEFGHIJKLMN_PQRSTUVWXYZ", "abcdefghijklmnép", "abcdefghijklmnépQRSTUVWXYZ"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "", nil),
    ] as [(String, String, String?)])
    func jolietLabelMerge(primary: String, joliet: String, expected: String?) throws {
        let scratch = try Scratch()
        let (image, _) = try Self.build(scratch, options: ["--norock", "-J"], label: "X")
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: image)))
        let pvd = 16 * 2048 + 40, svd = 17 * 2048 + 40
        #expect(bytes[17 * 2048] == 2, "xorriso writes the Joliet descriptor right after the primary one")
        let ascii = Array(primary.utf8) + Array(repeating: 0x20, count: 32 - primary.utf8.count)
        bytes.replaceSubrange(pvd..<(pvd + 32), with: ascii)
        var units = joliet.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        while units.count < 32 { units += [0x00, 0x20] }
        bytes.replaceSubrange(svd..<(svd + 32), with: units)
        try Data(bytes).write(to: URL(fileURLWithPath: image))
        let identity = Filesystem.identify(MemoryBytes(bytes))
        #expect(identity?.label == expected)
        if expected?.utf8.allSatisfy({ $0 < 0x80 }) ?? true { try Blkid.expectSame(identity, as: image) }
    }
}
