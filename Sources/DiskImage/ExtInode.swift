// One ext2/3/4 inode: its type, size, flags and the 60-byte block area (extents, map or inline).

struct ExtInode: Sendable {
    let number: UInt32
    let raw: [UInt8]

    static let extentsFlag: UInt32 = 0x80000
    static let inlineDataFlag: UInt32 = 0x1000_0000

    var mode: UInt16 { raw.le16(0) }
    var size: UInt64 { UInt64(raw.le32(4)) | UInt64(raw.le32(108)) << 32 }
    var flags: UInt32 { raw.le32(32) }
    var blockArea: [UInt8] { raw.slice(40, 60) }

    var isDirectory: Bool { mode & 0xF000 == 0x4000 }
    var isRegular: Bool { mode & 0xF000 == 0x8000 }
    var isSymlink: Bool { mode & 0xF000 == 0xA000 }
    var usesExtents: Bool { flags & Self.extentsFlag != 0 }
    var hasInlineData: Bool { flags & Self.inlineDataFlag != 0 }

    /// A fast symlink keeps its target in the block area; the kernel writes one whenever the
    /// target is shorter than 60 bytes, and never with the extents or inline-data flag.
    var isFastSymlink: Bool { isSymlink && size < 60 && !usesExtents && !hasInlineData }

    /// The "system.data" extended attribute in the inode's extra space: the part of inline data
    /// beyond the 60-byte block area.
    var inlineDataAttribute: [UInt8] {
        guard raw.count > 128 else { return [] }
        let start = 128 + Int(raw.le16(128))
        guard raw.le32(start) == 0xEA02_0000 else { return [] }
        let entriesStart = start + 4
        var position = entriesStart
        // Each entry is at least 16 bytes, so the walk ends within the inode.
        while raw.has(position, 16), raw.le32(position) != 0 {
            let nameLength = Int(raw.u8(position))
            let nameIndex = raw.u8(position + 1)
            let valueOffset = Int(raw.le16(position + 2))
            let valueInode = raw.le32(position + 4)
            let valueSize = Int(raw.le32(position + 8))
            let name = raw.slice(position + 16, nameLength)
            if nameIndex == 7, name.elementsEqual("data".utf8), valueInode == 0 {
                guard raw.has(entriesStart + valueOffset, valueSize) else { return [] }
                return raw.slice(entriesStart + valueOffset, valueSize)
            }
            position += (16 + nameLength + 3) & ~3
        }
        return []
    }
}
