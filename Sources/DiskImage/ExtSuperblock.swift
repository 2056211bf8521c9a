// The ext2/3/4 superblock: geometry, features, and blkid's identity of the filesystem.

struct ExtSuperblock: Sendable {
    let blockSize: Int
    let blocksCount: UInt64
    let inodesCount: UInt32
    let firstDataBlock: UInt64
    let blocksPerGroup: UInt32
    let inodesPerGroup: UInt32
    let inodeSize: Int
    let descriptorSize: Int
    let firstMetaGroup: UInt32
    let compat: UInt32
    let incompat: UInt32
    let roCompat: UInt32
    let flags: UInt32
    let uuid: [UInt8]
    let volumeName: [UInt8]

    enum Feature {
        static let compatHasJournal: UInt32 = 0x4
        static let compatSparseSuper2: UInt32 = 0x200
        static let incompatFiletype: UInt32 = 0x2
        static let incompatRecover: UInt32 = 0x4
        static let incompatJournalDevice: UInt32 = 0x8
        static let incompatMetaGroup: UInt32 = 0x10
        static let incompatExtents: UInt32 = 0x40
        static let incompat64Bit: UInt32 = 0x80
        static let incompatInlineData: UInt32 = 0x8000
        static let roCompatSparseSuper: UInt32 = 0x1
        /// What ext3 (and ext2) can mount; anything else makes blkid call it ext4.
        static let ext3Incompat: UInt32 = incompatFiletype | incompatRecover | incompatMetaGroup
        static let ext2Incompat: UInt32 = incompatFiletype | incompatMetaGroup
        static let ext3RoCompat: UInt32 = 0x1 | 0x2 | 0x4
    }

    init?(_ source: any ByteSource) {
        guard let sb = source.bytes(at: 1024, count: 1024), sb.le16(56) == 0xEF53 else { return nil }
        let logBlockSize = sb.le32(24)
        guard logBlockSize <= 6 else { return nil }
        blockSize = 1024 << Int(logBlockSize)
        incompat = sb.le32(96)
        compat = sb.le32(92)
        roCompat = sb.le32(100)
        flags = sb.le32(352)
        let is64Bit = incompat & Feature.incompat64Bit != 0
        blocksCount = UInt64(sb.le32(4)) | (is64Bit ? UInt64(sb.le32(336)) << 32 : 0)
        inodesCount = sb.le32(0)
        firstDataBlock = UInt64(sb.le32(20))
        blocksPerGroup = sb.le32(32)
        inodesPerGroup = sb.le32(40)
        let revision = sb.le32(76)
        inodeSize = revision == 0 ? 128 : Int(sb.le16(88))
        descriptorSize = is64Bit ? Int(sb.le16(254)) : 32
        firstMetaGroup = sb.le32(260)
        uuid = sb.slice(104, 16)
        volumeName = sb.slice(120, 16)
        // Geometry that would make the reader divide by zero or read past a block.
        guard inodesPerGroup > 0, blocksPerGroup > 0, inodeSize >= 128, inodeSize <= blockSize,
              inodeSize & (inodeSize - 1) == 0, descriptorSize >= 32, descriptorSize <= 1024,
              descriptorSize & (descriptorSize - 1) == 0 else { return nil }
    }

    /// blkid's choice: a journal device is "jbd"; features beyond ext3 make "ext4"; a journal
    /// makes "ext3"; otherwise "ext2".
    var typeName: String {
        if incompat & Feature.incompatJournalDevice != 0 { return "jbd" }
        let hasJournal = compat & Feature.compatHasJournal != 0
        let beyondExt3 = incompat & ~Feature.ext3Incompat != 0 || roCompat & ~Feature.ext3RoCompat != 0
        if beyondExt3 { return flags & 0x4 != 0 ? "ext4dev" : "ext4" }
        if hasJournal { return "ext3" }
        if incompat & ~Feature.ext2Incompat != 0 { return "ext4" }
        return "ext2"
    }

    var identity: FilesystemIdentity {
        FilesystemIdentity(type: typeName, uuid: TextDecoding.uuid(uuid),
                           label: TextDecoding.label(TextDecoding.utf8(volumeName)))
    }

    var hasFileType: Bool { incompat & Feature.incompatFiletype != 0 }

    /// The block holding group descriptor `group` (meta_bg places them inside each meta group).
    func descriptorLocation(group: UInt64) -> (block: UInt64, offset: Int)? {
        let perBlock = UInt64(blockSize / descriptorSize)
        let descriptorBlock = group / perBlock
        let offset = Int(group % perBlock) * descriptorSize
        if incompat & Feature.incompatMetaGroup != 0, descriptorBlock >= UInt64(firstMetaGroup) {
            let firstGroup = descriptorBlock * perBlock
            guard let groupStart = Checked.offset(firstGroup, times: UInt64(blocksPerGroup), plus: firstDataBlock) else { return nil }
            guard let block = Checked.add(groupStart, hasSuperblock(group: firstGroup) ? 1 : 0) else { return nil }
            return (block, offset)
        }
        guard let block = Checked.add(firstDataBlock + 1, descriptorBlock) else { return nil }
        return (block, offset)
    }

    /// Whether a group holds a superblock backup (sparse_super: groups 0, 1 and powers of 3, 5, 7).
    func hasSuperblock(group: UInt64) -> Bool {
        if group <= 1 || roCompat & Feature.roCompatSparseSuper == 0 { return true }
        for base: UInt64 in [3, 5, 7] {
            var power = base
            while power < group, let next = Checked.multiply(power, base) { power = next }
            if power == group { return true }
        }
        return false
    }
}
