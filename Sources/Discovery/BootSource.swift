// A mounted filesystem and the boot configuration found on it.

import BootConfig
import LinuxPlatform

public struct BootSource: Sendable {
    public var device: BlockDevice?
    /// Where the filesystem is mounted (or the folder given in host mode).
    public var root: String
    public var configuration: BootConfiguration

    public init(device: BlockDevice?, root: String, configuration: BootConfiguration) {
        self.device = device
        self.root = root
        self.configuration = configuration
    }

    public var view: HostFileView { HostFileView(root: root) }
    /// How the menu names this source.
    public var label: String { device?.name ?? root }
}
