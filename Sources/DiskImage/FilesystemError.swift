// Why the files of a volume cannot be read in host mode.

public enum FilesystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No filesystem signature was found.
    case unrecognised
    /// The filesystem was identified but this module does not read its files.
    case unsupported(type: String)
    /// The signature was found but the metadata needed to read files is inconsistent.
    case corrupt(type: String, detail: String)

    public var description: String {
        switch self {
        case .unrecognised:
            "no filesystem recognised"
        case .unsupported(let type):
            "\(type): files cannot be read in host mode (only ext2/3/4, vfat and iso9660 can); mount the image to read it"
        case .corrupt(let type, let detail):
            "\(type): \(detail)"
        }
    }
}
