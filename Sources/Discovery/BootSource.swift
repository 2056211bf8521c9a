// A mounted filesystem, and a boot configuration found on one.

import BootModel
import LinuxPlatform

/// A filesystem Baton mounted read-only (or, in host mode, a directory or a disk image's volume).
public struct MountedDevice: Sendable {
    public var device: BlockDevice
    /// Where it is mounted.
    public var root: String
    /// The files when they are read from a disk image rather than a mounted directory.
    public var imageFiles: (any FileView)?

    public init(device: BlockDevice, root: String, imageFiles: (any FileView)? = nil) {
        self.device = device
        self.root = root
        self.imageFiles = imageFiles
    }

    public var view: HostFileView { HostFileView(root: root) }

    /// The device as the configuration parsers see it (for `search`).
    public var volume: BootVolume {
        BootVolume(name: device.name, uuid: device.probe.uuid, label: device.probe.label, files: imageFiles ?? view)
    }
}

public struct BootSource: Sendable {
    public var mount: MountedDevice
    public var configuration: BootConfiguration
    /// Per entry, what opening its kernel and initrds said when the device was examined: a
    /// message where one did not open, nil where they did (or the entry cannot boot for a reason
    /// the menu finds itself). Empty when nothing was recorded.
    public var fileProblems: [String?]

    public init(mount: MountedDevice, configuration: BootConfiguration, fileProblems: [String?] = []) {
        self.mount = mount
        self.configuration = configuration
        self.fileProblems = fileProblems
    }

    /// The recorded file problem of entry `index`, if any.
    public func fileProblem(ofEntry index: Int) -> String? {
        fileProblems.indices.contains(index) ? fileProblems[index] : nil
    }

    public var view: HostFileView { mount.view }
    /// How the menu names this source.
    public var label: String { mount.device.name }
}
