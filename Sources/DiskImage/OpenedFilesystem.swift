// A recognised filesystem: its identity, and its files or the reason they cannot be read.

import BootModel

public struct OpenedFilesystem: Sendable {
    public let identity: FilesystemIdentity
    public let files: Result<any FileView, FilesystemError>

    public init(identity: FilesystemIdentity, files: Result<any FileView, FilesystemError>) {
        self.identity = identity
        self.files = files
    }

    /// The file view, or nil when the files cannot be read.
    public var fileView: (any FileView)? { try? files.get() }
}
