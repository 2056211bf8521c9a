// Walks an ext2/3 block map (12 direct, then single, double and triple indirect blocks) into runs.

struct BlockMap {
    let source: any ByteSource
    let blockSize: Int

    /// Runs for the first `blockCount` logical blocks (holes omitted), or nil when an indirect
    /// block cannot be read.
    func runs(blockArea: [UInt8], blockCount: UInt64) -> [ExtentRun]? {
        var builder = RunBuilder()
        for index in 0..<12 where UInt64(index) < blockCount {
            builder.add(logical: UInt64(index), physical: UInt64(blockArea.le32(index * 4)))
        }
        let perBlock = UInt64(blockSize / 4)
        var first: UInt64 = 12
        var span = perBlock
        for level in 1...3 where first < blockCount {
            let pointer = UInt64(blockArea.le32((11 + level) * 4))
            guard walk(block: pointer, level: level, first: first, blockCount: blockCount, builder: &builder) else { return nil }
            first += span
            span *= perBlock  // At most 16384³: no overflow.
        }
        return builder.runs
    }

    /// Reads an indirect block whose entries each cover perBlock^(level-1) logical blocks.
    private func walk(block: UInt64, level: Int, first: UInt64, blockCount: UInt64, builder: inout RunBuilder) -> Bool {
        if block == 0 { return true }  // A hole: every block below it reads as zeros.
        guard let offset = Checked.multiply(block, UInt64(blockSize)),
              let pointers = source.bytes(at: offset, count: blockSize) else { return false }
        let perBlock = UInt64(blockSize / 4)
        var covered: UInt64 = 1
        for _ in 1..<level { covered *= perBlock }
        for index in 0..<Int(perBlock) {
            let logical = first + UInt64(index) * covered
            guard logical < blockCount else { break }
            let pointer = UInt64(pointers.le32(index * 4))
            if level == 1 {
                builder.add(logical: logical, physical: pointer)
            } else if !walk(block: pointer, level: level - 1, first: logical, blockCount: blockCount, builder: &builder) {
                return false
            }
        }
        return true
    }
}

/// Joins single blocks into contiguous runs so data is read in few large reads.
struct RunBuilder {
    private(set) var runs: [ExtentRun] = []

    mutating func add(logical: UInt64, physical: UInt64) {
        guard physical != 0 else { return }
        if let last = runs.last, last.logical + last.length == logical, last.physical &+ last.length == physical {
            runs[runs.count - 1] = ExtentRun(logical: last.logical, physical: last.physical, length: last.length + 1)
        } else {
            runs.append(ExtentRun(logical: logical, physical: physical, length: 1))
        }
    }
}
