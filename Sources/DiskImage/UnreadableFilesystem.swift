// Filesystems recognised by signature (type, UUID, label) whose files host mode does not read.

enum UnreadableFilesystem {
    static func identify(_ source: any ByteSource) -> FilesystemIdentity? {
        xfs(source) ?? btrfs(source)
    }

    /// XFS: "XFSB" at 0; UUID at 32; 12-byte label at 108.
    static func xfs(_ source: any ByteSource) -> FilesystemIdentity? {
        guard let sb = source.bytes(at: 0, count: 512), sb.matches("XFSB", at: 0) else { return nil }
        return FilesystemIdentity(type: "xfs", uuid: TextDecoding.uuid(sb.slice(32, 16)),
                                  label: TextDecoding.label(TextDecoding.utf8(sb.slice(108, 12))))
    }

    /// Btrfs: superblock at 64 KiB with "_BHRfS_M" at 0x40; fsid at 0x20; 256-byte label at 0x12B.
    static func btrfs(_ source: any ByteSource) -> FilesystemIdentity? {
        guard let sb = source.bytes(at: 0x10000, count: 4096), sb.matches("_BHRfS_M", at: 0x40) else { return nil }
        return FilesystemIdentity(type: "btrfs", uuid: TextDecoding.uuid(sb.slice(0x20, 16)),
                                  label: TextDecoding.label(TextDecoding.utf8(sb.slice(0x12B, 256))))
    }
}
