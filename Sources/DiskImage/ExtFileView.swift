// Reads files of an ext2/3/4 filesystem: inodes, extent trees, block maps and directories.

import BootModel

/// A read-only view of an ext2/3/4 filesystem. Names compare byte for byte, as Linux does.
struct ExtFileView: DirectoryTree {
    let source: any ByteSource
    let superblock: ExtSuperblock
    let rootNode: ExtInode

    static let rootInode: UInt32 = 2
    /// Directories larger than this are not read (a 16 MiB directory holds ~500 000 names).
    static let directorySizeLimit: UInt64 = 16 << 20

    init?(source: any ByteSource, superblock: ExtSuperblock) {
        guard let root = Self.inode(Self.rootInode, source: source, superblock: superblock), root.isDirectory else { return nil }
        self.source = source
        self.superblock = superblock
        self.rootNode = root
    }

    // MARK: Inodes

    func inode(_ number: UInt32) -> ExtInode? {
        Self.inode(number, source: source, superblock: superblock)
    }

    static func inode(_ number: UInt32, source: any ByteSource, superblock: ExtSuperblock) -> ExtInode? {
        guard number >= 1, number <= superblock.inodesCount else { return nil }
        let group = UInt64((number - 1) / superblock.inodesPerGroup)
        let index = UInt64((number - 1) % superblock.inodesPerGroup)
        guard let location = superblock.descriptorLocation(group: group),
              let descriptorOffset = Checked.offset(location.block, times: UInt64(superblock.blockSize), plus: UInt64(location.offset)),
              let descriptor = source.bytes(at: descriptorOffset, count: superblock.descriptorSize)
        else { return nil }
        var table = UInt64(descriptor.le32(8))
        if superblock.descriptorSize >= 64 { table |= UInt64(descriptor.le32(0x28)) << 32 }
        guard let tableOffset = Checked.multiply(table, UInt64(superblock.blockSize)),
              let offset = Checked.offset(index, times: UInt64(superblock.inodeSize), plus: tableOffset),
              let raw = source.bytes(at: offset, count: superblock.inodeSize) else { return nil }
        return ExtInode(number: number, raw: raw)
    }

    // MARK: Data

    /// The first `limit` bytes of an inode's data (holes and unwritten extents read as zeros),
    /// or nil when its size exceeds `limit` or its blocks cannot be read.
    func data(of inode: ExtInode, limit: UInt64) -> [UInt8]? {
        let size = inode.size
        guard size <= limit else { return nil }
        if inode.hasInlineData {
            let bytes = inode.blockArea + inode.inlineDataAttribute
            return bytes.count >= Int(size) ? Array(bytes.prefix(Int(size))) : nil
        }
        let blockSize = UInt64(superblock.blockSize)
        let blockCount = (size + blockSize - 1) / blockSize
        let runs: [ExtentRun]?
        if inode.usesExtents {
            runs = ExtentTree(source: source, blockSize: superblock.blockSize).runs(root: inode.blockArea, blockCount: blockCount)
        } else {
            runs = BlockMap(source: source, blockSize: superblock.blockSize).runs(blockArea: inode.blockArea, blockCount: blockCount)
        }
        guard let runs else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        for run in runs where !run.unwritten && run.logical < blockCount {
            let length = min(run.length, blockCount - run.logical)
            let start = run.logical * blockSize
            let count = Int(min(length * blockSize, size - start))
            guard let offset = Checked.multiply(run.physical, blockSize),
                  let chunk = source.bytes(at: offset, count: count) else { return nil }
            bytes.replaceSubrange(Int(start)..<(Int(start) + count), with: chunk)
        }
        return bytes
    }

    // MARK: Directories

    func entries(of directory: ExtInode) -> [(name: String, node: ExtInode)]? {
        guard let records = directoryRecords(of: directory) else { return nil }
        return records.compactMap { record in
            inode(record.inode).map { (String(decoding: record.name, as: UTF8.self), $0) }
        }
    }

    func lookup(_ name: String, in directory: ExtInode) -> ExtInode? {
        let wanted = Array(name.utf8)
        guard let record = directoryRecords(of: directory)?.first(where: { $0.name == wanted }) else { return nil }
        return inode(record.inode)
    }

    /// Directory entries read block by block; htree index blocks look like empty entries, so a
    /// linear read sees every name.
    private func directoryRecords(of directory: ExtInode) -> [ExtDirectoryRecord]? {
        guard directory.isDirectory else { return nil }
        if directory.hasInlineData {
            // The block area starts with the parent's inode number, then entries.
            return ExtDirectoryRecord.parse(block: directory.blockArea.slice(4, 56))
                + ExtDirectoryRecord.parse(block: directory.inlineDataAttribute)
        }
        guard let bytes = data(of: directory, limit: Self.directorySizeLimit) else { return nil }
        var records: [ExtDirectoryRecord] = []
        var start = 0
        while start < bytes.count {
            records += ExtDirectoryRecord.parse(block: bytes.slice(start, superblock.blockSize))
            start += superblock.blockSize
        }
        return records
    }

    // MARK: Nodes

    func isDirectory(_ node: ExtInode) -> Bool { node.isDirectory }

    func symlinkTarget(of node: ExtInode) -> String? {
        guard node.isSymlink else { return nil }
        if node.isFastSymlink { return TextDecoding.utf8(node.blockArea.slice(0, Int(node.size))) }
        return data(of: node, limit: 4096).map(TextDecoding.utf8)
    }

    func fileContents(of node: ExtInode) -> [UInt8]? {
        guard node.isRegular else { return nil }
        return data(of: node, limit: UInt64(fileSizeLimit))
    }
}
