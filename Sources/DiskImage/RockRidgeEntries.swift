// The Rock Ridge (SUSP) entries of a directory record that matter here: NM names, SL symlinks,
// RE relocation marks, following CE continuation areas.

struct RockRidgeEntries {
    var name: String?
    var symlink: String?
    /// A relocated directory's real place is elsewhere (RE); Linux hides this record.
    var isRelocated = false

    /// Bounds on continuation areas, so a CE loop ends.
    static let maximumContinuations = 16
    static let maximumContinuationLength = 65536

    init(systemUse: [UInt8], skip: Int, source: any ByteSource, blockSize: UInt64) {
        var nameBytes: [UInt8] = []
        var hasName = false
        var symlink = SymlinkBuilder()
        var areas: [[UInt8]] = [systemUse.slice(skip, systemUse.count - skip)]
        var continuations = 0
        while let area = areas.popLast() {
            var position = 0
            while area.has(position, 4) {
                let length = Int(area.u8(position + 2))
                guard length >= 4, area.has(position, length) else { break }
                let entry = area.slice(position, length)
                position += length
                if entry.matches("ST", at: 0) { break }
                if entry.matches("NM", at: 0) {
                    // Flags 2 and 4 mean "." and ".."; such names carry no text.
                    if entry.u8(4) & 0x06 == 0 {
                        nameBytes += entry.slice(5, length - 5)
                        hasName = true
                    }
                } else if entry.matches("SL", at: 0) {
                    symlink.add(components: entry.slice(5, length - 5))
                } else if entry.matches("RE", at: 0) {
                    isRelocated = true
                } else if entry.matches("CE", at: 0), continuations < Self.maximumContinuations {
                    continuations += 1
                    let block = UInt64(entry.le32(4)), offset = UInt64(entry.le32(12))
                    let count = min(Int(entry.le32(20)), Self.maximumContinuationLength)
                    if let start = Checked.offset(block, times: blockSize, plus: offset),
                       let bytes = source.bytes(at: start, count: count) {
                        areas.append(bytes)
                    }
                }
            }
        }
        if hasName { name = TextDecoding.utf8(nameBytes) }
        self.symlink = symlink.target
    }
}

/// Joins SL component records: ROOT, CURRENT and PARENT flags, and components continued
/// across records.
struct SymlinkBuilder {
    private var text = ""
    private var started = false
    private var continuing = false

    var target: String? { started ? text : nil }

    mutating func add(components bytes: [UInt8]) {
        var position = 0
        while bytes.has(position, 2) {
            let flags = bytes[position]
            let length = Int(bytes[position + 1])
            let content = bytes.slice(position + 2, length)
            position += 2 + length
            var part: String
            if flags & 0x02 != 0 { part = "." }
            else if flags & 0x04 != 0 { part = ".." }
            else if flags & 0x08 != 0 { part = "" }
            else { part = TextDecoding.utf8(content) }
            if flags & 0x08 != 0 {
                text = "/"
                started = true
                continuing = false
                continue
            }
            if started && !continuing && !text.hasSuffix("/") { text += "/" }
            text += part
            started = true
            continuing = flags & 0x01 != 0
        }
    }
}
