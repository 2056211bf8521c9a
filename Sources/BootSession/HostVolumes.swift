// Host mode's devices: a directory seen as a mounted disk (named after its last path component,
// made unique), the volumes given on the command line as the mounts discovery would make, and
// the menu `baton list` shows for them.

import BootModel
import Discovery
import Grub
import LinuxPlatform

package enum HostVolumes {
    /// A directory as a device named after its last path component (`'` added until unique).
    package static func directory(_ directory: String, uuid: String?, label: String?, taken: [BootVolume]) -> Result<BootVolume, HostVolumeError> {
        let root = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard FileSystem.isDirectory(root) else { return .failure(HostVolumeError(message: "\(directory): not a directory")) }
        return .success(BootVolume(name: uniqueName(root, taken: taken), uuid: uuid, label: label, files: HostFileView(root: root)))
    }

    package static func uniqueName(_ root: String, taken: [BootVolume]) -> String {
        var name = String(root.split(separator: "/").last ?? "root")
        while taken.contains(where: { $0.name == name }) { name += "'" }
        return name
    }

    /// The menu host mode shows for the volumes; nil when none holds a boot configuration.
    package static func menu(_ volumes: [BootVolume], grub: GrubOptions, options: BatonOptions = BatonOptions()) -> MenuModel? {
        let mounts = mounts(volumes)
        let sources = DeviceScanner.sources(on: mounts, grub: grub, log: { _ in })
        return sources.isEmpty ? nil : MenuModel(sources: sources, mounts: mounts, options: options)
    }

    /// The volumes as mounted devices: a directory's root is the directory; an image's volume
    /// has no directory and keeps its file view.
    package static func mounts(_ volumes: [BootVolume]) -> [MountedDevice] {
        volumes.map { volume in
            let directory = (volume.files as? HostFileView)?.root
            let probe = BlockProbeResult(type: volume.filesystem, uuid: volume.uuid, label: volume.label)
            return MountedDevice(
                device: BlockDevice(name: volume.name, isPartition: true, probe: probe), root: directory ?? volume.name,
                imageFiles: directory == nil ? volume.files : nil)
        }
    }
}

/// Why a DEVICE given to host mode cannot be used.
package struct HostVolumeError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}
