// Little- and big-endian field access on byte arrays that answers zero instead of trapping.

extension Array where Element == UInt8 {
    /// Whether `count` bytes at `offset` are inside the array.
    func has(_ offset: Int, _ count: Int) -> Bool {
        offset >= 0 && count >= 0 && offset <= self.count && count <= self.count - offset
    }

    func u8(_ offset: Int) -> UInt8 { has(offset, 1) ? self[offset] : 0 }

    func le16(_ offset: Int) -> UInt16 {
        guard has(offset, 2) else { return 0 }
        return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func le32(_ offset: Int) -> UInt32 {
        guard has(offset, 4) else { return 0 }
        var value: UInt32 = 0
        for i in (0..<4).reversed() { value = value << 8 | UInt32(self[offset + i]) }
        return value
    }

    func le64(_ offset: Int) -> UInt64 {
        UInt64(le32(offset)) | UInt64(le32(offset + 4)) << 32
    }

    func be16(_ offset: Int) -> UInt16 {
        guard has(offset, 2) else { return 0 }
        return UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// `count` bytes at `offset`, clamped to the array (empty when outside it).
    func slice(_ offset: Int, _ count: Int) -> [UInt8] {
        guard offset >= 0, offset < self.count, count > 0 else { return [] }
        return Array(self[offset..<(offset + Swift.min(count, self.count - offset))])
    }

    /// Whether the bytes at `offset` spell `text` (ASCII).
    func matches(_ text: String, at offset: Int) -> Bool {
        slice(offset, text.utf8.count).elementsEqual(text.utf8)
    }
}
