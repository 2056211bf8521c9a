// A filesystem as every configuration reader sees it: the name Baton knows it by, the identifiers
// GRUB's `search` and `probe` match, and its files.

public struct BootVolume: Sendable {
    /// The name Baton knows the device by (e.g. "vda1"); `$root` holds it after `search`.
    public var name: String
    public var uuid: String?
    public var label: String?
    /// The filesystem as GRUB names it (`ext2` for ext2/3/4, `fat`, `iso9660`, `btrfs`…), for `probe --fs`.
    public var filesystem: String?
    public var files: any FileView

    public init(name: String, uuid: String? = nil, label: String? = nil, filesystem: String? = nil, files: any FileView) {
        self.name = name
        self.uuid = uuid
        self.label = label
        self.filesystem = filesystem
        self.files = files
    }
}
