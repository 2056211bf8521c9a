// One ISO 9660 directory record: extent, size, flags, raw name and System Use area.

struct ISODirectoryRecord: Sendable {
    let extent: UInt32
    let extendedAttributeLength: UInt8
    let size: UInt32
    let flags: UInt8
    let name: [UInt8]
    let systemUse: [UInt8]

    var isDirectory: Bool { flags & 0x02 != 0 }
    /// "." and ".." are stored as the single bytes 0 and 1.
    var isDotOrDotDot: Bool { name == [0] || name == [1] }

    init?(_ bytes: [UInt8]) {
        let length = Int(bytes.u8(0))
        let nameLength = Int(bytes.u8(32))
        guard length >= 34, bytes.has(0, length), 33 + nameLength <= length else { return nil }
        extendedAttributeLength = bytes.u8(1)
        extent = bytes.le32(2)
        size = bytes.le32(10)
        flags = bytes.u8(25)
        name = bytes.slice(33, nameLength)
        // The name is padded to an even offset before the System Use area.
        let systemUseStart = 33 + nameLength + (nameLength % 2 == 0 ? 1 : 0)
        systemUse = systemUseStart < length ? bytes.slice(systemUseStart, length - systemUseStart) : []
    }

    /// The records of a directory's bytes. A record never crosses a sector boundary; a zero
    /// length byte means the rest of the sector is padding.
    static func parse(_ bytes: [UInt8], sectorSize: Int) -> [ISODirectoryRecord] {
        var records: [ISODirectoryRecord] = []
        var position = 0
        while position < bytes.count {
            let length = Int(bytes.u8(position))
            let sectorEnd = (position / sectorSize + 1) * sectorSize
            if length == 0 || position + length > sectorEnd {
                position = sectorEnd
                continue
            }
            if let record = ISODirectoryRecord(bytes.slice(position, length)) { records.append(record) }
            position += length
        }
        return records
    }
}
