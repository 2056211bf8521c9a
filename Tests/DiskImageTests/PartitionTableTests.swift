// MBR (with extended and logical partitions) and GPT tables made by sfdisk, against sfdisk and blkid.

import BootModel
import DiskImage
import Foundation
import LinuxPlatform
import Testing

@Suite struct PartitionTableTests {
    /// `sfdisk --json` of an image: (start sector, size in sectors, type) per partition number.
    static func sfdiskPartitions(_ image: String) throws -> [Int: (start: UInt64, size: UInt64, type: String, uuid: String?)] {
        let json = try Tool.run("sfdisk", ["--json", image])
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let table = object?["partitiontable"] as? [String: Any]
        var result: [Int: (UInt64, UInt64, String, String?)] = [:]
        for case let entry as [String: Any] in table?["partitions"] as? [Any] ?? [] {
            guard let node = entry["node"] as? String, let start = entry["start"] as? Int, let size = entry["size"] as? Int,
                  let type = entry["type"] as? String,
                  let number = Int(node.reversed().prefix { $0.isNumber }.reversed().map(String.init).joined()) else { continue }
            result[number] = (UInt64(start), UInt64(size), type.lowercased(), (entry["uuid"] as? String)?.lowercased())
        }
        return result
    }

    static func filesystem(_ scratch: Scratch, _ name: String, mkfs: [String], size: UInt64, files: [String: [UInt8]]) throws -> String {
        let image = try scratch.image(name, size: size)
        if mkfs[0].hasPrefix("mkfs.ext") {
            let source = try scratch.tree(name + ".src", files: files)
            try Tool.run(mkfs[0], Array(mkfs.dropFirst()) + ["-q", "-F", "-d", source, image])
        } else {
            try Tool.run(mkfs[0], Array(mkfs.dropFirst()) + [image])
            let source = try scratch.tree(name + ".src", files: files)
            for top in try FileManager.default.contentsOfDirectory(atPath: source) {
                try Tool.run("mcopy", ["-s", "-i", image, source + "/" + top, "::/"])
            }
        }
        return image
    }

    static func place(_ filesystem: String, in disk: String, atSector sector: UInt64) throws {
        try Tool.run("dd", ["if=" + filesystem, "of=" + disk, "bs=512", "seek=\(sector)", "conv=notrunc", "status=none"])
    }

    @Test func mbrWithLogicalPartitions() throws {
        let scratch = try Scratch()
        let disk = try scratch.image("disk.img", size: 64 << 20)
        try Tool.run("sfdisk", ["--quiet", disk], input: """
            label: dos
            label-id: 0x1234abcd
            start=2048, size=16384, type=83
            start=18432, size=2048, type=b
            start=20480, size=100000, type=5
            start=22528, size=16384, type=c
            start=40960, size=8192, type=83
            """)
        let ext = try Self.filesystem(scratch, "p1.img", mkfs: ["mkfs.ext4", "-L", "root"], size: 16384 * 512,
                                      files: ["etc/os-release": "ID=test\n".bytes])
        let fat = try Self.filesystem(scratch, "p5.img", mkfs: ["mkfs.vfat", "-n", "LOGICAL"], size: 16384 * 512,
                                      files: ["syslinux.cfg": "DEFAULT x\n".bytes])
        try Self.place(ext, in: disk, atSector: 2048)
        try Self.place(fat, in: disk, atSector: 22528)

        let source = try ImageFile(path: disk)
        let table = try #require(PartitionTable.read(source))
        #expect(table.scheme == .mbr)
        #expect(table.diskID == "1234abcd")
        #expect(table.partitions.map(\.number) == [1, 2, 5, 6], "extended container skipped; logicals from 5")
        let expected = try Self.sfdiskPartitions(disk)
        for partition in table.partitions {
            let row = try #require(expected[partition.number])
            #expect(partition.offset == row.start * 512)
            #expect(partition.length == row.size * 512)
            #expect(partition.type.description == "0x" + (row.type.count == 1 ? "0" : "") + row.type)
            #expect(partition.uuid == String(format: "1234abcd-%02x", partition.number))
        }

        let volumes = DiskImageReader.volumes(of: source)
        #expect(volumes.map(\.number) == [1, 2, 5, 6])
        for volume in volumes {
            let partition = try #require(volume.partition)
            let blkid = try Blkid.probe(disk, offset: partition.offset)
            #expect(volume.type == blkid["TYPE"], "partition \(partition.number)")
            #expect(volume.uuid == blkid["UUID"])
            #expect(volume.label == blkid["LABEL"])
        }
        #expect(volumes[0].fileView?.contents(of: "/etc/os-release") == "ID=test\n".bytes)
        #expect(volumes[1].type == nil, "an empty partition is listed without a filesystem")
        #expect(volumes[1].files.failureValue == .unrecognised)
        #expect(volumes[2].label == "LOGICAL")
        #expect(volumes[2].fileView?.contents(of: "/SYSLINUX.CFG") == "DEFAULT x\n".bytes)
    }

    @Test func gpt() throws {
        let scratch = try Scratch()
        let disk = try scratch.image("disk.img", size: 128 << 20)
        try Tool.run("sfdisk", ["--quiet", disk], input: """
            label: gpt
            start=2048, size=81920, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI System"
            start=83968, size=4096, type=21686148-6449-6E6F-744E-656564454649
            start=90112, size=32768, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"
            """)
        // Delete the second entry so numbering must follow entry indices (1 and 3).
        try Tool.run("sfdisk", ["--quiet", "--delete", disk, "2"])
        let esp = try Self.filesystem(scratch, "esp.img", mkfs: ["mkfs.vfat", "-F", "32", "-s", "1", "-n", "EFI"], size: 81920 * 512,
                                      files: ["EFI/BOOT/grub.cfg": "configfile x\n".bytes])
        let root = try Self.filesystem(scratch, "root.img", mkfs: ["mkfs.ext4", "-L", "gptroot"], size: 32768 * 512,
                                       files: ["boot/grub/grub.cfg": "menuentry x {}\n".bytes])
        try Self.place(esp, in: disk, atSector: 2048)
        try Self.place(root, in: disk, atSector: 90112)

        let source = try ImageFile(path: disk)
        let table = try #require(PartitionTable.read(source))
        #expect(table.scheme == .gpt)
        #expect(table.diskID == (try Blkid.probe(disk))["PTUUID"])
        #expect(table.partitions.map(\.number) == [1, 3])
        let expected = try Self.sfdiskPartitions(disk)
        for partition in table.partitions {
            let row = try #require(expected[partition.number])
            #expect(partition.offset == row.start * 512)
            #expect(partition.length == row.size * 512)
            #expect(partition.type.description == row.type)
            #expect(partition.uuid == row.uuid)
        }
        #expect(table.partitions.first?.name == "EFI System")

        let volumes = DiskImageReader.volumes(of: source)
        #expect(volumes.map(\.number) == [1, 3])
        for volume in volumes {
            let partition = try #require(volume.partition)
            let blkid = try Blkid.probe(disk, offset: partition.offset)
            #expect(volume.type == blkid["TYPE"])
            #expect(volume.uuid == blkid["UUID"])
            #expect(volume.label == blkid["LABEL"])
        }
        #expect(volumes[0].fileView?.contents(of: "/efi/boot/GRUB.CFG") == "configfile x\n".bytes)
        #expect(volumes[1].fileView?.contents(of: "/boot/grub/grub.cfg") == "menuentry x {}\n".bytes)

        // With the primary header destroyed, the backup header at the last sector still works.
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: disk)))
        bytes.replaceSubrange(512..<1024, with: [UInt8](repeating: 0, count: 512))
        #expect(PartitionTable.read(MemoryBytes(bytes))?.partitions.map(\.number) == [1, 3])
    }

    /// An ISO with an appended EFI partition, as distributions ship them: the ISO is on the whole
    /// disk and the MBR lists it too, so both are volumes.
    @Test func hybridISO() throws {
        let scratch = try Scratch()
        let efi = try Self.filesystem(scratch, "efi.img", mkfs: ["mkfs.vfat", "-n", "EFIIMG"], size: 4 << 20,
                                      files: ["EFI/BOOT/grub.cfg": "search x\n".bytes])
        let source = try scratch.tree("iso", files: ["boot/grub/grub.cfg": "menuentry iso {}\n".bytes])
        let image = scratch.file("hybrid.iso")
        try Tool.run("xorriso", ["-as", "mkisofs", "-quiet", "-R", "-J", "-V", "HYBRID", "-append_partition", "2", "0xef", efi, "-o", image, source])
        let disk = try ImageFile(path: image)
        let volumes = DiskImageReader.volumes(of: disk)
        #expect(volumes.map(\.number) == [nil, 1, 2])
        #expect(volumes.first?.label == "HYBRID")
        #expect(volumes.first?.fileView?.contents(of: "/boot/grub/grub.cfg") == "menuentry iso {}\n".bytes)
        #expect(volumes[1].type == "iso9660")
        try Blkid.expectSame(volumes.first?.filesystem, as: image)
        let esp = try #require(volumes.last?.partition)
        try Blkid.expectSame(volumes.last?.filesystem, as: image, offset: esp.offset)
        #expect(volumes.last?.fileView?.contents(of: "/efi/boot/grub.cfg") == "search x\n".bytes)
    }

    @Test func wholeDiskFilesystemHasNoTable() throws {
        let scratch = try Scratch()
        let fat = try Self.filesystem(scratch, "fat.img", mkfs: ["mkfs.vfat", "-n", "WHOLE"], size: 4 << 20,
                                      files: ["a.txt": "a".bytes])
        let source = try ImageFile(path: fat)
        #expect(PartitionTable.read(source) == nil, "a FAT boot sector ends in 0x55AA but is not a table")
        let volumes = DiskImageReader.volumes(of: source)
        #expect(volumes.count == 1)
        #expect(volumes.first?.number == nil)
        #expect(volumes.first?.label == "WHOLE")
        #expect(volumes.first?.fileView?.contents(of: "/A.TXT") == "a".bytes)
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
