// Walks an ext4 extent tree (depth 0 in the inode, deeper through index blocks) into runs.

struct ExtentTree {
    let source: any ByteSource
    let blockSize: Int

    static let magic: UInt16 = 0xF30A
    /// The kernel's own maximum depth is 5.
    static let maximumDepth = 5
    /// Bounds the blocks visited, whatever a corrupt tree claims.
    static let maximumNodes = 4096

    /// Runs covering at most `blockCount` logical blocks, or nil when the tree is corrupt.
    func runs(root: [UInt8], blockCount: UInt64) -> [ExtentRun]? {
        var runs: [ExtentRun] = []
        var budget = Self.maximumNodes
        guard walk(node: root, expectedDepth: nil, blockCount: blockCount, runs: &runs, budget: &budget) else { return nil }
        return runs
    }

    private func walk(node: [UInt8], expectedDepth: Int?, blockCount: UInt64, runs: inout [ExtentRun], budget: inout Int) -> Bool {
        guard budget > 0, node.le16(0) == Self.magic else { return false }
        budget -= 1
        let count = Int(node.le16(2))
        let depth = Int(node.le16(6))
        guard depth <= Self.maximumDepth, expectedDepth.map({ $0 == depth }) ?? true,
              node.has(12, count * 12) else { return false }
        for index in 0..<count {
            let entry = 12 + index * 12
            let logical = UInt64(node.le32(entry))
            if logical >= blockCount { break }
            if depth == 0 {
                var length = UInt64(node.le16(entry + 4))
                let unwritten = length > 32768
                if unwritten { length -= 32768 }
                let physical = UInt64(node.le16(entry + 6)) << 32 | UInt64(node.le32(entry + 8))
                runs.append(ExtentRun(logical: logical, physical: physical, length: length, unwritten: unwritten))
            } else {
                let child = UInt64(node.le16(entry + 8)) << 32 | UInt64(node.le32(entry + 4))
                guard let offset = Checked.multiply(child, UInt64(blockSize)),
                      let block = source.bytes(at: offset, count: blockSize),
                      walk(node: block, expectedDepth: depth - 1, blockCount: blockCount, runs: &runs, budget: &budget)
                else { return false }
            }
        }
        return true
    }
}
