// A FAT12/16/32 volume: the boot sector plus cluster-chain and directory reading.

struct FATVolume: Sendable {
    let source: any ByteSource
    let bootSector: FATBootSector

    /// A FAT directory holds at most 65536 entries of 32 bytes.
    static let directorySizeLimit: UInt64 = 65536 * 32

    init?(_ source: any ByteSource) {
        guard let sector = source.bytes(at: 0, count: 512), let bootSector = FATBootSector(sector) else { return nil }
        self.source = source
        self.bootSector = bootSector
    }

    var identity: FilesystemIdentity {
        let serial = bootSector.serial.map { s in
            TextDecoding.hex([s[3], s[2]], uppercase: true) + "-" + TextDecoding.hex([s[1], s[0]], uppercase: true)
        }
        let label = readRootDirectory().flatMap(FATDirectoryEntry.volumeLabel).flatMap { TextDecoding.label(TextDecoding.utf8($0)) }
        return FilesystemIdentity(type: "vfat", uuid: serial, label: label)
    }

    /// The FAT entry of `cluster`: the next cluster, or an end/bad/free marker.
    private func fatEntry(_ cluster: UInt32, cache: inout [UInt64: [UInt8]]) -> UInt32? {
        let byteOffset: UInt64
        switch bootSector.kind {
        case .fat12: byteOffset = UInt64(cluster) + UInt64(cluster) / 2
        case .fat16: byteOffset = UInt64(cluster) * 2
        case .fat32: byteOffset = UInt64(cluster) * 4
        }
        let fatBytes = bootSector.sectorsPerFAT * bootSector.bytesPerSector
        guard byteOffset < fatBytes else { return nil }
        // Read the FAT in 4 KiB pages (plus the bytes of an entry straddling the page's end):
        // a chain touches the same page again and again.
        let page = byteOffset / 4096
        if cache[page] == nil {
            let start = bootSector.fatOffset + page * 4096
            let available = min(4096 + 4, fatBytes - page * 4096)
            cache[page] = source.bytes(at: start, count: Int(available))
        }
        guard let bytes = cache[page] else { return nil }
        let within = Int(byteOffset % 4096)
        guard bytes.has(within, bootSector.kind == .fat32 ? 4 : 2) else { return nil }
        switch bootSector.kind {
        case .fat12:
            let pair = bytes.le16(within)
            return UInt32(cluster & 1 == 1 ? pair >> 4 : pair & 0x0FFF)
        case .fat16: return UInt32(bytes.le16(within))
        case .fat32: return bytes.le32(within) & 0x0FFF_FFFF
        }
    }

    private var endOfChain: UInt32 {
        switch bootSector.kind {
        case .fat12: 0xFF8
        case .fat16: 0xFFF8
        case .fat32: 0x0FFF_FFF8
        }
    }

    /// The clusters of a chain, at most `limit` of them; nil when the chain loops or points
    /// outside the data area before `limit` is reached or the chain ends.
    func chain(from start: UInt32, limit: Int) -> [UInt32]? {
        var clusters: [UInt32] = []
        var seen: Set<UInt32> = []
        var cache: [UInt64: [UInt8]] = [:]
        var cluster = start
        while clusters.count < limit {
            guard bootSector.isDataCluster(cluster), seen.insert(cluster).inserted else { return nil }
            clusters.append(cluster)
            guard let next = fatEntry(cluster, cache: &cache) else { return nil }
            if next >= endOfChain { break }
            cluster = next
        }
        return clusters
    }

    /// The bytes of `clusters`, trimmed to `size`; contiguous clusters are read together.
    func read(clusters: [UInt32], size: UInt64) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size))
        var index = 0
        while index < clusters.count, UInt64(bytes.count) < size {
            var runEnd = index + 1
            while runEnd < clusters.count, clusters[runEnd] == clusters[runEnd - 1] &+ 1 { runEnd += 1 }
            let wanted = min(UInt64(runEnd - index) * bootSector.clusterSize, size - UInt64(bytes.count))
            guard let chunk = source.bytes(at: bootSector.offset(ofCluster: clusters[index]), count: Int(wanted)) else { return nil }
            bytes += chunk
            index = runEnd
        }
        return UInt64(bytes.count) == size ? bytes : nil
    }

    /// The root directory: a fixed area on FAT12/16, a cluster chain on FAT32.
    func readRootDirectory() -> [UInt8]? {
        if bootSector.kind == .fat32 { return readDirectory(cluster: bootSector.rootCluster) }
        return source.bytes(at: bootSector.rootDirectoryOffset, count: Int(bootSector.rootDirectorySize))
    }

    func readDirectory(cluster: UInt32) -> [UInt8]? {
        let limit = Int(Self.directorySizeLimit / bootSector.clusterSize) + 1
        guard let clusters = chain(from: cluster, limit: limit) else { return nil }
        return read(clusters: clusters, size: UInt64(clusters.count) * bootSector.clusterSize)
    }

    func readFile(cluster: UInt32, size: UInt32) -> [UInt8]? {
        if size == 0 { return [] }
        let count = (UInt64(size) + bootSector.clusterSize - 1) / bootSector.clusterSize
        guard let clusters = chain(from: cluster, limit: Int(count)), clusters.count == Int(count) else { return nil }
        return read(clusters: clusters, size: UInt64(size))
    }
}
