// One entry of an ext2/3/4 directory block (inode, record length, name).

struct ExtDirectoryRecord: Equatable {
    let inode: UInt32
    let name: [UInt8]

    /// The named entries of one directory block, without "." and ".."; parsing stops at the
    /// first record whose length is impossible, as the kernel rejects such a block.
    static func parse(block: [UInt8]) -> [ExtDirectoryRecord] {
        var records: [ExtDirectoryRecord] = []
        var position = 0
        while block.has(position, 8) {
            let inode = block.le32(position)
            var recordLength = Int(block.le16(position + 4))
            // 64 KiB blocks store a full-block record length as 0 or 65535.
            if block.count >= 65536, recordLength == 0 || recordLength == 65535 { recordLength = 65536 }
            let nameLength = Int(block.u8(position + 6))
            guard recordLength >= 8, block.has(position, recordLength), 8 + nameLength <= recordLength else { break }
            let name = block.slice(position + 8, nameLength)
            let isDot = name == [0x2E] || name == [0x2E, 0x2E]
            if inode != 0, nameLength > 0, !isDot { records.append(ExtDirectoryRecord(inode: inode, name: name)) }
            position += recordLength
        }
        return records
    }
}
