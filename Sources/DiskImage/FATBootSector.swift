// The FAT boot sector (BPB): geometry, FAT12/16/32 kind, serial number and boot-sector label.

struct FATBootSector: Sendable {
    enum Kind: Int, Sendable { case fat12 = 12, fat16 = 16, fat32 = 32 }

    let bytesPerSector: UInt64
    let sectorsPerCluster: UInt64
    let reservedSectors: UInt64
    let fatCount: UInt64
    let rootEntryCount: UInt64
    let totalSectors: UInt64
    let sectorsPerFAT: UInt64
    let rootCluster: UInt32
    let kind: Kind
    let clusterCount: UInt64
    /// The volume serial (UUID) when the extended boot signature says it is there.
    let serial: [UInt8]?
    let bootLabel: [UInt8]?

    init?(_ sector: [UInt8]) {
        guard sector.count >= 512 else { return nil }
        bytesPerSector = UInt64(sector.le16(11))
        sectorsPerCluster = UInt64(sector.u8(13))
        reservedSectors = UInt64(sector.le16(14))
        fatCount = UInt64(sector.u8(16))
        rootEntryCount = UInt64(sector.le16(17))
        let sectors16 = UInt64(sector.le16(19))
        totalSectors = sectors16 != 0 ? sectors16 : UInt64(sector.le32(32))
        let media = sector.u8(21)
        let fat16Size = UInt64(sector.le16(22))
        sectorsPerFAT = fat16Size != 0 ? fat16Size : UInt64(sector.le32(36))
        let jump = sector.u8(0)
        // A plausible BPB, as blkid checks one: powers of two, a media byte, some FATs.
        guard [512, 1024, 2048, 4096].contains(bytesPerSector),
              sectorsPerCluster != 0, sectorsPerCluster & (sectorsPerCluster - 1) == 0,
              reservedSectors != 0, (1...4).contains(fatCount), media == 0xF0 || media >= 0xF8,
              sectorsPerFAT != 0, totalSectors != 0, jump == 0xEB || jump == 0xE9 else { return nil }

        let rootDirectorySectors = (rootEntryCount * 32 + bytesPerSector - 1) / bytesPerSector
        let dataStart = reservedSectors + fatCount * sectorsPerFAT + rootDirectorySectors
        guard dataStart < totalSectors else { return nil }
        clusterCount = (totalSectors - dataStart) / sectorsPerCluster
        if fat16Size == 0 {
            kind = .fat32
            rootCluster = sector.le32(44)
            let signature = sector.u8(66)
            serial = signature == 0x29 || signature == 0x28 ? sector.slice(67, 4) : nil
            bootLabel = signature == 0x29 ? sector.slice(71, 11) : nil
        } else {
            kind = clusterCount < 4085 ? .fat12 : .fat16
            rootCluster = 0
            let signature = sector.u8(38)
            serial = signature == 0x29 || signature == 0x28 ? sector.slice(39, 4) : nil
            bootLabel = signature == 0x29 ? sector.slice(43, 11) : nil
        }
    }

    var clusterSize: UInt64 { sectorsPerCluster * bytesPerSector }
    var fatOffset: UInt64 { reservedSectors * bytesPerSector }
    var rootDirectoryOffset: UInt64 { (reservedSectors + fatCount * sectorsPerFAT) * bytesPerSector }
    var rootDirectorySize: UInt64 { rootEntryCount * 32 }
    var dataOffset: UInt64 {
        let rootSectors = (rootEntryCount * 32 + bytesPerSector - 1) / bytesPerSector
        return (reservedSectors + fatCount * sectorsPerFAT + rootSectors) * bytesPerSector
    }

    /// Byte offset of a data cluster (clusters are numbered from 2).
    func offset(ofCluster cluster: UInt32) -> UInt64 {
        dataOffset + UInt64(cluster - 2) * clusterSize
    }

    func isDataCluster(_ cluster: UInt32) -> Bool {
        cluster >= 2 && UInt64(cluster) < clusterCount + 2
    }
}
