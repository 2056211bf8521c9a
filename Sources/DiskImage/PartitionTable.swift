// Finds the partition table of a disk image (GPT, else MBR) and lists its partitions.

/// A disk's partition table. `read` answers nil for a disk without one (the whole disk is then
/// the filesystem), including a FAT filesystem whose boot sector merely ends in 0x55AA.
public struct PartitionTable: Sendable, Equatable {
    public enum Scheme: String, Sendable, Equatable {
        case mbr = "dos"
        case gpt
    }

    public let scheme: Scheme
    /// PTUUID as blkid prints it: the GPT disk GUID, or the MBR disk signature as 8 hex digits.
    public let diskID: String?
    public let partitions: [Partition]

    public init(scheme: Scheme, diskID: String?, partitions: [Partition]) {
        self.scheme = scheme
        self.diskID = diskID
        self.partitions = partitions
    }

    /// GPT sectors are 512 bytes here; 4Kn images are tried as a fallback.
    static let sectorSize: UInt64 = 512

    public static func read(_ disk: any ByteSource) -> PartitionTable? {
        guard let mbr = MBRSector(disk.bytes(at: 0, count: 512)) else { return nil }
        if mbr.isProtective {
            for sectorSize: UInt64 in [512, 4096] {
                if let gpt = GPTReader(disk: disk, sectorSize: sectorSize).read() { return gpt }
            }
        }
        // A FAT boot sector also ends in 0x55AA; blkid ignores such "tables" too.
        if FATBootSector(disk.bytes(at: 0, count: 512) ?? []) != nil { return nil }
        return MBRReader(disk: disk, sector0: mbr).read()
    }
}
