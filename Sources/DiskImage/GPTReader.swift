// The GUID partition table: header at LBA 1 (backup at the last LBA) and its CRC-checked entries.

struct GPTReader {
    let disk: any ByteSource
    let sectorSize: UInt64

    /// Bounds for a header's claims, so a corrupt one cannot make us read megabytes.
    static let maximumEntries: UInt32 = 4096
    static let maximumEntrySize: UInt32 = 4096

    func read() -> PartitionTable? {
        if let table = read(headerAt: 1) { return table }
        let sectors = disk.size / sectorSize
        guard sectors > 2 else { return nil }
        return read(headerAt: sectors - 1)
    }

    private func read(headerAt lba: UInt64) -> PartitionTable? {
        guard let offset = Checked.multiply(lba, sectorSize),
              let header = disk.bytes(at: offset, count: Int(sectorSize)),
              header.matches("EFI PART", at: 0) else { return nil }
        let headerSize = Int(header.le32(12))
        guard headerSize >= 92, headerSize <= header.count else { return nil }
        var zeroed = header.slice(0, headerSize)
        for i in 16..<20 { zeroed[i] = 0 }
        guard CRC32.checksum(zeroed) == header.le32(16) else { return nil }

        let entriesLBA = header.le64(72)
        let count = header.le32(80)
        let entrySize = header.le32(84)
        guard count <= Self.maximumEntries, entrySize >= 128, entrySize <= Self.maximumEntrySize, entrySize % 8 == 0,
              let entriesOffset = Checked.multiply(entriesLBA, sectorSize),
              let entries = disk.bytes(at: entriesOffset, count: Int(count) * Int(entrySize)),
              CRC32.checksum(entries) == header.le32(88) else { return nil }

        var partitions: [Partition] = []
        for index in 0..<Int(count) {
            let entry = entries.slice(index * Int(entrySize), Int(entrySize))
            let typeGUID = entry.slice(0, 16)
            guard typeGUID.contains(where: { $0 != 0 }) else { continue }
            let first = entry.le64(32), last = entry.le64(40)
            guard last >= first, let offset = Checked.multiply(first, sectorSize),
                  let sectors = Checked.add(last - first, 1), let length = Checked.multiply(sectors, sectorSize) else { continue }
            let name = TextDecoding.utf16LittleEndian(entry.slice(56, 72))
            partitions.append(Partition(
                number: index + 1, offset: offset, length: length,
                type: .gpt(TextDecoding.guid(typeGUID)),
                uuid: TextDecoding.guid(entry.slice(16, 16)),
                name: name.isEmpty ? nil : name))
        }
        return PartitionTable(scheme: .gpt, diskID: TextDecoding.guid(header.slice(56, 16)), partitions: partitions)
    }
}
