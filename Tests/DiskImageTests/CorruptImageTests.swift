// Corrupt, truncated and random images: the readers answer nil or empty, never crash or hang.

import BootModel
import DiskImage
import Foundation
import LinuxPlatform
import Testing

@Suite struct CorruptImageTests {
    /// Every path a caller might ask for, through every FileView method.
    static func exercise(_ view: any FileView, depth: Int = 0, path: String = "/") {
        _ = view.exists(path)
        _ = view.contents(of: path)
        guard depth < 4 else { return }
        for name in view.list(path).prefix(40) {
            exercise(view, depth: depth + 1, path: path == "/" ? "/" + name : path + "/" + name)
        }
    }

    static func exerciseDisk(_ bytes: [UInt8]) {
        for volume in DiskImageReader.volumes(of: MemoryBytes(bytes)) {
            if let view = volume.fileView { exercise(view) }
        }
    }

    @Test func randomBytes() {
        var random = SeededBytes(state: 1)
        for size in [0, 1, 511, 512, 4096, 70_000, 1 << 20] {
            let bytes = random.bytes(size)
            #expect(PartitionTable.read(MemoryBytes(bytes)) == nil || size >= 512)
            Self.exerciseDisk(bytes)
        }
        #expect(Filesystem.open(MemoryBytes([])) == nil)
        #expect(DiskImageReader.volumes(of: MemoryBytes(random.bytes(4096))).first?.files.failureValue == .unrecognised)
    }

    /// Valid images with bytes flipped at random: whatever comes back, nothing traps.
    @Test(arguments: ["ext4", "ext2", "vfat", "iso9660", "gpt"])
    func mutatedImages(kind: String) throws {
        let scratch = try Scratch()
        let image = try Self.sampleImage(kind, scratch)
        let original = [UInt8](try #require(FileManager.default.contents(atPath: image)))
        var random = SeededBytes(state: UInt64(kind.utf8.count) &* 7919)
        // Metadata lives in the first ~200 KiB of these small images; mutate there mostly.
        // DISKIMAGE_MUTATIONS=5000 runs a longer search locally.
        let rounds = ProcessInfo.processInfo.environment["DISKIMAGE_MUTATIONS"].flatMap { Int($0) } ?? 60
        for _ in 0..<rounds {
            var bytes = original
            for _ in 0..<Int.random(in: 1...64, using: &random) {
                let limit = Bool.random(using: &random) ? min(bytes.count, 200_000) : bytes.count
                bytes[Int.random(in: 0..<limit, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            Self.exerciseDisk(bytes)
        }
        // Truncated at every interesting length.
        for length in [0, 512, 1024, 1100, 2048, 4096, 32_768, 34_816, 65_536, 131_072, original.count / 2] {
            Self.exerciseDisk(Array(original.prefix(length)))
        }
    }

    @Test func fatChainLoop() throws {
        let scratch = try Scratch()
        let image = try scratch.image("fat.img", size: 48 << 20)
        try Tool.run("mkfs.vfat", ["-F", "32", "-s", "1", image])
        let source = try scratch.tree("src", files: ["big.bin": [UInt8](repeating: 0x5A, count: 5000)])
        try Tool.run("mcopy", ["-i", image, source + "/big.bin", "::/"])
        let view = try #require(Filesystem.open(try ImageFile(path: image))?.fileView)
        #expect(view.contents(of: "/big.bin")?.count == 5000)

        // Point the file's fifth cluster back at its first: a loop the reader must notice.
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: image)))
        let reserved = Int(bytes[14]) | Int(bytes[15]) << 8
        let fat = reserved * 512
        let clusters = try Self.chain(bytes, fat: fat, from: Self.firstCluster(of: "BIG     BIN", in: bytes))
        #expect(clusters.count == 10)
        let fifth = clusters[4], first = clusters[0]
        for i in 0..<4 { bytes[fat + fifth * 4 + i] = UInt8(truncatingIfNeeded: first >> (8 * i)) }
        let corrupt = try #require(Filesystem.open(MemoryBytes(bytes))?.fileView)
        #expect(summary(corrupt.contents(of: "/big.bin")) == "nil", "a looping chain yields no file")

        // The root directory's own chain looping onto itself: identified, files unreadable.
        let root = Int(bytes[44]) | Int(bytes[45]) << 8
        for i in 0..<4 { bytes[fat + root * 4 + i] = UInt8(truncatingIfNeeded: root >> (8 * i)) }
        let looped = try #require(Filesystem.open(MemoryBytes(bytes)))
        #expect(looped.identity.type == "vfat", "still identified")
        #expect(looped.files.failureValue == .corrupt(type: "vfat", detail: "the root directory cannot be read"))
    }

    @Test func extentHeaderGarbage() throws {
        let scratch = try Scratch()
        let source = try scratch.tree("src", files: ["boot/kernel": [UInt8](repeating: 7, count: 50_000), "ok": "fine".bytes])
        let image = try scratch.image("ext4.img", size: 8 << 20)
        try Tool.run("mkfs.ext4", ["-q", "-F", "-b", "4096", "-d", source, image])
        // debugfs says where the inode is: "located at block B, offset 0xO".
        let imap = try Tool.run("debugfs", ["-R", "imap /boot/kernel", image])
        let located = try #require(imap.range(of: "located at block ")).upperBound
        let rest = imap[located...]
        let block = try #require(Int(rest.prefix { $0.isNumber }))
        let hex = try #require(rest.range(of: "offset 0x")).upperBound
        let offset = try #require(Int(rest[hex...].prefix { $0.isHexDigit }, radix: 16))
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: image)))
        let blockArea = block * 4096 + offset + 40
        #expect(bytes[blockArea] == 0x0A && bytes[blockArea + 1] == 0xF3, "an extent header is where debugfs says")

        var garbage = bytes
        var random = SeededBytes(state: 42)
        garbage.replaceSubrange(blockArea..<(blockArea + 60), with: random.bytes(60))
        let view = try #require(Filesystem.open(MemoryBytes(garbage))?.fileView)
        #expect(view.contents(of: "/boot/kernel") == nil)
        #expect(view.contents(of: "/ok") == "fine".bytes, "other files still read")

        // A valid header claiming depth 3 with an index pointing at itself.
        var deep = bytes
        deep[blockArea + 6] = 3
        let view2 = try #require(Filesystem.open(MemoryBytes(deep))?.fileView)
        #expect(view2.contents(of: "/boot/kernel") == nil)
    }

    // MARK: Helpers

    static func sampleImage(_ kind: String, _ scratch: Scratch) throws -> String {
        let files: [String: [UInt8]] = [
            "boot/grub/grub.cfg": "menuentry x {}\n".bytes,
            "a/b/c/d.txt": [UInt8](repeating: 1, count: 9000),
            "Long Name Here.txt": "long".bytes,
        ]
        let source = try scratch.tree("src", files: files, symlinks: ["link": "boot/grub/grub.cfg", "self": "self"])
        switch kind {
        case "ext4", "ext2":
            let image = try scratch.image("img", size: 2 << 20)
            try Tool.run("mkfs." + kind, ["-q", "-F", "-b", "1024", "-d", source, image])
            return image
        case "vfat":
            let image = try scratch.image("img", size: 1 << 20)
            try Tool.run("mkfs.vfat", [image])
            for top in ["boot", "a", "Long Name Here.txt"] { try Tool.run("mcopy", ["-s", "-i", image, source + "/" + top, "::/"]) }
            return image
        case "iso9660":
            let image = scratch.file("img")
            try Tool.run("xorriso", ["-as", "mkisofs", "-quiet", "-R", "-J", "-o", image, source])
            return image
        default:
            let image = try scratch.image("img", size: 4 << 20)
            try Tool.run("sfdisk", ["--quiet", image], input: "label: gpt\nstart=2048, size=4096, type=linux\n")
            let fs = try scratch.image("fs", size: 2 << 20)
            try Tool.run("mkfs.ext4", ["-q", "-F", "-b", "1024", "-d", source, fs])
            try Tool.run("dd", ["if=" + fs, "of=" + image, "bs=512", "seek=2048", "conv=notrunc", "status=none"])
            return image
        }
    }

    /// The first cluster of a root-directory entry of a FAT32 image (8.3 name, space padded).
    static func firstCluster(of shortName: String, in bytes: [UInt8]) throws -> Int {
        let reserved = Int(bytes[14]) | Int(bytes[15]) << 8
        let fats = Int(bytes[16])
        let fatSize = (0..<4).reduce(0) { $0 | Int(bytes[36 + $1]) << (8 * $1) }
        let dataStart = (reserved + fats * fatSize) * 512
        let rootCluster = Int(bytes[44]) | Int(bytes[45]) << 8
        let root = dataStart + (rootCluster - 2) * 512
        for entry in stride(from: root, to: root + 512, by: 32) where Array(bytes[entry..<(entry + 11)]) == Array(shortName.utf8) {
            return Int(bytes[entry + 26]) | Int(bytes[entry + 27]) << 8 | Int(bytes[entry + 20]) << 16 | Int(bytes[entry + 21]) << 24
        }
        throw ToolError(description: "\(shortName) not in the root directory")
    }

    static func chain(_ bytes: [UInt8], fat: Int, from first: Int) throws -> [Int] {
        var clusters: [Int] = []
        var cluster = first
        while cluster >= 2, cluster < 0x0FFF_FFF8, clusters.count < 1000 {
            clusters.append(cluster)
            cluster = (0..<4).reduce(0) { $0 | Int(bytes[fat + cluster * 4 + $1]) << (8 * $1) } & 0x0FFF_FFFF
        }
        return clusters
    }
}
