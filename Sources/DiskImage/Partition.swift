// One partition of a disk image: where it is and what its table says it holds.

/// A partition as Linux would number it (sda1…sda4 primary, sda5… logical, GPT entry index + 1).
public struct Partition: Sendable, Equatable {
    public let number: Int
    /// Byte offset of the partition within the disk.
    public let offset: UInt64
    /// Length in bytes.
    public let length: UInt64
    public let type: PartitionType
    /// PARTUUID as blkid prints it: the GPT entry's unique GUID, or "<disk id>-<number>" for MBR.
    public let uuid: String?
    /// The GPT partition name (PARTLABEL); nil for MBR.
    public let name: String?

    public init(number: Int, offset: UInt64, length: UInt64, type: PartitionType, uuid: String? = nil, name: String? = nil) {
        self.number = number
        self.offset = offset
        self.length = length
        self.type = type
        self.uuid = uuid
        self.name = name
    }

    /// The partition's bytes within the disk.
    public func region(of disk: any ByteSource) -> ByteRegion {
        ByteRegion(disk, offset: offset, length: length)
    }
}

/// The partition type: an MBR system id byte or a GPT type GUID.
public enum PartitionType: Sendable, Equatable, CustomStringConvertible {
    case mbr(UInt8)
    /// Lowercase 8-4-4-4-12, as blkid prints PART_ENTRY_TYPE.
    case gpt(String)

    public var description: String {
        switch self {
        case .mbr(let id): "0x" + TextDecoding.hex([id])
        case .gpt(let guid): guid
        }
    }
}
