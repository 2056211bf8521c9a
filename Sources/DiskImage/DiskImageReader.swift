// Lists the volumes of a whole-disk image: its partitions, or the disk itself without a table.

/// Reads a disk image as Baton's host mode sees it, without mounting anything.
public enum DiskImageReader {
    /// The partitions in table order, each with its filesystem; the whole disk when there is no
    /// partition table (or an empty one: a boot loader in a filesystem's first sector can look
    /// like an MBR without entries). A hybrid image (an ISO 9660 with a partition table, as `xorriso
    /// -isohybrid-mbr` makes) also lists the whole disk first, as Linux shows both sda and sda1.
    public static func volumes(of disk: any ByteSource) -> [Volume] {
        guard let table = PartitionTable.read(disk), !table.partitions.isEmpty else {
            return [Volume(partition: nil, source: disk)]
        }
        var volumes: [Volume] = []
        let whole = Volume(partition: nil, source: disk)
        if whole.filesystem != nil { volumes.append(whole) }
        for partition in table.partitions {
            volumes.append(Volume(partition: partition, source: partition.region(of: disk)))
        }
        return volumes
    }
}
