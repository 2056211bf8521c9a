// One volume of a disk image: a partition (or the whole disk), its filesystem and its files.

import BootModel

public struct Volume: Sendable {
    /// The partition, or nil when the volume is the whole disk.
    public let partition: Partition?
    /// The volume's bytes.
    public let source: any ByteSource
    /// What blkid would report; nil when no filesystem is recognised.
    public let filesystem: FilesystemIdentity?
    /// The files, or why they cannot be read.
    public let files: Result<any FileView, FilesystemError>

    public init(partition: Partition?, source: any ByteSource) {
        self.partition = partition
        self.source = source
        let opened = Filesystem.open(source)
        self.filesystem = opened?.identity
        self.files = opened?.files ?? .failure(.unrecognised)
    }

    /// Linux's partition number (sda1 → 1); nil for the whole disk.
    public var number: Int? { partition?.number }
    public var type: String? { filesystem?.type }
    public var uuid: String? { filesystem?.uuid }
    public var label: String? { filesystem?.label }
    /// The file view, or nil when the files cannot be read.
    public var fileView: (any FileView)? { try? files.get() }
}
