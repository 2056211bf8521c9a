// What blkid would say about a filesystem: its type, UUID and label.

/// A filesystem's identity, formatted exactly as `blkid -p -o export` prints TYPE, UUID and LABEL.
public struct FilesystemIdentity: Sendable, Equatable, CustomStringConvertible {
    /// "ext4", "ext3", "ext2", "vfat", "iso9660", "xfs" or "btrfs".
    public let type: String
    public let uuid: String?
    public let label: String?

    public init(type: String, uuid: String?, label: String?) {
        self.type = type
        self.uuid = uuid
        self.label = label
    }

    public var description: String {
        var text = "TYPE=\(type)"
        if let uuid { text += " UUID=\(uuid)" }
        if let label { text += " LABEL=\(label)" }
        return text
    }
}
