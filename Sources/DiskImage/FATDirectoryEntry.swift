// One FAT directory entry after long-name assembly: its name, attributes, cluster and size.

struct FATDirectoryEntry: Sendable {
    let name: String
    let isDirectory: Bool
    let firstCluster: UInt32
    let size: UInt32

    static let attributeVolumeLabel: UInt8 = 0x08
    static let attributeDirectory: UInt8 = 0x10
    static let attributeLongName: UInt8 = 0x0F

    /// The visible entries of raw directory bytes: deleted entries, volume labels, "." and ".."
    /// skipped; a VFAT long name is used when its sequence and checksum match the short entry.
    static func parse(_ bytes: [UInt8]) -> [FATDirectoryEntry] {
        var entries: [FATDirectoryEntry] = []
        var longName = LongNameAssembly()
        var position = 0
        while bytes.has(position, 32) {
            let raw = bytes.slice(position, 32)
            position += 32
            let first = raw[0]
            if first == 0x00 { break }  // No entries after this one.
            if first == 0xE5 { longName.reset(); continue }
            let attributes = raw[11]
            if attributes & 0x3F == attributeLongName {
                longName.add(raw)
                continue
            }
            let long = longName.finish(checksum: shortNameChecksum(raw.slice(0, 11)))
            if attributes & attributeVolumeLabel != 0 { continue }
            let short = shortName(raw)
            if short == "." || short == ".." { continue }
            let cluster = UInt32(raw.le16(20)) << 16 | UInt32(raw.le16(26))
            entries.append(FATDirectoryEntry(
                name: long ?? short, isDirectory: attributes & attributeDirectory != 0,
                firstCluster: cluster, size: raw.le32(28)))
        }
        return entries
    }

    /// The volume label entry of a root directory, as blkid reads LABEL.
    static func volumeLabel(_ bytes: [UInt8]) -> [UInt8]? {
        var position = 0
        while bytes.has(position, 32) {
            let raw = bytes.slice(position, 32)
            position += 32
            if raw[0] == 0x00 { break }
            if raw[0] == 0xE5 || raw[11] & 0x3F == attributeLongName { continue }
            if raw[11] & (attributeVolumeLabel | attributeDirectory) == attributeVolumeLabel {
                var label = raw.slice(0, 11)
                if label[0] == 0x05 { label[0] = 0xE5 }
                return label
            }
        }
        return nil
    }

    /// "NAME.EXT" from the 8.3 fields; the NT case bits (0x08 base, 0x10 extension) ask for
    /// lower case, which is how Linux shows such names.
    static func shortName(_ raw: [UInt8]) -> String {
        var base = raw.slice(0, 8)
        if base.first == 0x05 { base[0] = 0xE5 }
        let caseBits = raw.u8(12)
        let name = text(base, lower: caseBits & 0x08 != 0)
        let ext = text(raw.slice(8, 3), lower: caseBits & 0x10 != 0)
        return ext.isEmpty ? name : name + "." + ext
    }

    /// OEM bytes beyond ASCII are read as Latin-1: rare on boot partitions, and not worth a table.
    private static func text(_ bytes: [UInt8], lower: Bool) -> String {
        var bytes = bytes
        while bytes.last == 0x20 { bytes.removeLast() }
        var result = ""
        for byte in bytes {
            let folded = lower && (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            result.unicodeScalars.append(Unicode.Scalar(folded))
        }
        return result
    }

    static func shortNameChecksum(_ name: [UInt8]) -> UInt8 {
        var sum: UInt8 = 0
        for byte in name { sum = (sum & 1 == 1 ? 0x80 : 0) &+ (sum >> 1) &+ byte }
        return sum
    }
}

/// Collects VFAT long-name entries, which precede their short entry in reverse order.
struct LongNameAssembly {
    private var parts: [Int: [UInt16]] = [:]
    private var expected = 0
    private var total = 0
    private var checksum: UInt8 = 0
    private var valid = false

    mutating func reset() {
        parts = [:]
        valid = false
    }

    mutating func add(_ raw: [UInt8]) {
        let sequence = Int(raw[0] & 0x1F)
        if raw[0] & 0x40 != 0 {
            reset()
            guard sequence >= 1 else { return }
            valid = true
            total = sequence
            expected = sequence
            checksum = raw[13]
        }
        guard valid, sequence == expected, raw[13] == checksum else { reset(); return }
        let offsets = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30]
        parts[sequence] = offsets.map { raw.le16($0) }
        expected -= 1
    }

    /// The long name if a complete, matching one was collected; resets either way.
    mutating func finish(checksum shortChecksum: UInt8) -> String? {
        defer { reset() }
        guard valid, expected == 0, checksum == shortChecksum else { return nil }
        var units: [UInt16] = []
        for index in 1...total { units += parts[index] ?? [] }
        // The name ends at a NUL; 0xFFFF pads the last entry.
        if let end = units.firstIndex(of: 0) { units.removeSubrange(end...) }
        units.removeAll { $0 == 0xFFFF }
        let name = TextDecoding.utf16(units)
        return name.isEmpty ? nil : name
    }
}
