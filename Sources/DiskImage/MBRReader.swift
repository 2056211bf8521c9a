// The DOS/MBR partition table: four primary entries and a chain of extended boot records.

/// One 16-byte entry of an MBR or EBR.
struct MBREntry {
    let bootIndicator: UInt8
    let type: UInt8
    let startSector: UInt64
    let sectorCount: UInt64

    init(_ sector: [UInt8], index: Int) {
        let base = 446 + 16 * index
        bootIndicator = sector.u8(base)
        type = sector.u8(base + 4)
        startSector = UInt64(sector.le32(base + 8))
        sectorCount = UInt64(sector.le32(base + 12))
    }

    var isExtended: Bool { [0x05, 0x0F, 0x85].contains(type) }
    var isUsed: Bool { type != 0 && sectorCount != 0 }
}

/// A sector that carries an MBR signature and plausible entries.
struct MBRSector {
    let bytes: [UInt8]
    let entries: [MBREntry]

    init?(_ bytes: [UInt8]?) {
        guard let bytes, bytes.count >= 512, bytes[510] == 0x55, bytes[511] == 0xAA else { return nil }
        let entries = (0..<4).map { MBREntry(bytes, index: $0) }
        // Like the kernel and blkid: a boot indicator other than 0 or 0x80 means no table.
        guard entries.allSatisfy({ $0.bootIndicator == 0 || $0.bootIndicator == 0x80 }) else { return nil }
        self.bytes = bytes
        self.entries = entries
    }

    var isProtective: Bool { entries.contains { $0.type == 0xEE } }
    var diskSignature: UInt32 { bytes.le32(440) }
}

struct MBRReader {
    let disk: any ByteSource
    let sector0: MBRSector

    /// Bounds the EBR chain: a loop or a very long chain on a corrupt disk stops here.
    static let maximumLogicalPartitions = 256

    func read() -> PartitionTable? {
        let signature = sector0.diskSignature
        let diskID = signature == 0 ? nil : Self.hex32(signature)
        var partitions: [Partition] = []
        var extended: MBREntry?
        for (index, entry) in sector0.entries.enumerated() where entry.isUsed {
            if entry.isExtended {
                if extended == nil { extended = entry }
                continue
            }
            partitions.append(partition(number: index + 1, start: entry.startSector, count: entry.sectorCount, type: entry.type, diskID: diskID))
        }
        if let extended { partitions += logicalPartitions(in: extended, diskID: diskID) }
        return PartitionTable(scheme: .mbr, diskID: diskID, partitions: partitions)
    }

    /// Logical partitions in EBR-chain order, numbered from 5 as Linux does.
    private func logicalPartitions(in extended: MBREntry, diskID: String?) -> [Partition] {
        var result: [Partition] = []
        var visited: Set<UInt64> = []
        var current: UInt64? = extended.startSector
        while let ebrSector = current, result.count < Self.maximumLogicalPartitions, visited.insert(ebrSector).inserted {
            current = nil
            guard let offset = Checked.multiply(ebrSector, PartitionTable.sectorSize),
                  let ebr = MBRSector(disk.bytes(at: offset, count: 512)) else { break }
            for entry in ebr.entries where entry.isUsed && !entry.isExtended {
                guard let start = Checked.add(ebrSector, entry.startSector) else { continue }
                result.append(partition(number: 5 + result.count, start: start, count: entry.sectorCount, type: entry.type, diskID: diskID))
            }
            // The link to the next EBR is relative to the start of the extended partition.
            if let link = ebr.entries.first(where: { $0.isExtended && $0.sectorCount != 0 }) {
                current = Checked.add(extended.startSector, link.startSector)
            }
        }
        return result
    }

    private func partition(number: Int, start: UInt64, count: UInt64, type: UInt8, diskID: String?) -> Partition {
        let size = PartitionTable.sectorSize
        return Partition(
            number: number,
            offset: Checked.multiply(start, size) ?? UInt64.max,
            length: Checked.multiply(count, size) ?? 0,
            type: .mbr(type),
            uuid: diskID.map { $0 + "-" + TextDecoding.hex([UInt8(truncatingIfNeeded: number)]) })
    }

    static func hex32(_ value: UInt32) -> String {
        TextDecoding.hex([24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) })
    }
}
