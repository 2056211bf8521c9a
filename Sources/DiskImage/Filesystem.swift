// Recognises the filesystem in a byte source and opens it read-only.

import BootModel

/// Filesystem detection. Signatures are tried from the most specific (ISO 9660 at 32 KiB, ext's
/// magic at 1080) to the least (a FAT boot sector), as blkid does.
public enum Filesystem {
    /// The filesystem's identity and files; nil when no filesystem is recognised.
    public static func open(_ source: any ByteSource) -> OpenedFilesystem? {
        if let iso = ISOVolume(source) {
            // A hybrid ISO's first MBR partition often covers only the descriptors; its root
            // directory then lies outside the partition, and the whole disk is the readable volume.
            let view = ISOFileView(iso)
            let files: Result<any FileView, FilesystemError> = view.entries(of: view.rootNode) != nil
                ? .success(view) : .failure(.corrupt(type: "iso9660", detail: "the root directory lies outside the volume"))
            return OpenedFilesystem(identity: iso.identity, files: files)
        }
        if let superblock = ExtSuperblock(source) {
            let files: Result<any FileView, FilesystemError> =
                ExtFileView(source: source, superblock: superblock).map { .success($0) }
                ?? .failure(.corrupt(type: superblock.typeName, detail: "the root directory cannot be read"))
            return OpenedFilesystem(identity: superblock.identity, files: files)
        }
        if let identity = UnreadableFilesystem.identify(source) {
            return OpenedFilesystem(identity: identity, files: .failure(.unsupported(type: identity.type)))
        }
        if let fat = FATVolume(source) {
            let files: Result<any FileView, FilesystemError> = fat.readRootDirectory() != nil
                ? .success(FATFileView(fat)) : .failure(.corrupt(type: "vfat", detail: "the root directory cannot be read"))
            return OpenedFilesystem(identity: fat.identity, files: files)
        }
        return nil
    }

    /// Only the identity (what blkid would print); nil when no filesystem is recognised.
    public static func identify(_ source: any ByteSource) -> FilesystemIdentity? {
        open(source)?.identity
    }
}
