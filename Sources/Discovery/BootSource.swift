// A mounted filesystem, and a boot configuration found on one.

import BootConfig
import LinuxPlatform

/// A filesystem Baton mounted read-only (or a directory given in host mode).
public struct MountedDevice: Sendable {
    public var device: BlockDevice
    /// Where it is mounted.
    public var root: String

    public init(device: BlockDevice, root: String) {
        self.device = device
        self.root = root
    }

    public var view: HostFileView { HostFileView(root: root) }

    /// The device as the configuration parsers see it (for `search`).
    public var grubDevice: GrubDevice {
        GrubDevice(name: device.name, uuid: device.probe.uuid, label: device.probe.label, files: view)
    }
}

public struct BootSource: Sendable {
    public var mount: MountedDevice
    public var configuration: BootConfiguration

    public init(mount: MountedDevice, configuration: BootConfiguration) {
        self.mount = mount
        self.configuration = configuration
    }

    public var view: HostFileView { mount.view }
    /// How the menu names this source.
    public var label: String { mount.device.name }
}
