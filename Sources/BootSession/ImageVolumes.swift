// A disk image given to host mode as its volumes: each readable filesystem becomes a device named
// as the kernel would name it, so `baton list` on an image shows what the PID 1 shows in a machine.

import BootModel
import Discovery
import DiskImage
import LinuxPlatform

package enum ImageVolumes {
    /// What an image holds: its readable volumes, and a message for each one that cannot be read.
    package struct Found {
        package var volumes: [BootVolume] = []
        package var problems: [String] = []
    }

    /// The devices of the image at `path`, named `name` (default: the file name without its
    /// extension) and its partitions `name1`…; a message when the image cannot be opened.
    package static func devices(_ path: String, name: String?) -> Result<Found, SystemError> {
        let image: ImageFile
        do {
            image = try ImageFile(path: path)
        } catch {
            return .failure(error)
        }
        return .success(devices(of: image, path: path, name: name ?? defaultName(path)))
    }

    /// The volumes of an opened image, named from `base`.
    package static func devices(of image: some ByteSource, path: String, name base: String) -> Found {
        var found = Found()
        let volumes = DiskImageReader.volumes(of: image)
        // A hybrid image (a filesystem on the whole disk beside a partition table): the PID 1
        // reads the disk, not its partitions, and so does this.
        let disk = volumes.first { $0.number == nil }?.filesystem
        let partitionsSkipped = MountPolicy.reasonToSkipPartition(of: base, diskType: disk?.type, diskUsage: "filesystem") != nil
        for volume in volumes where volume.number == nil || !partitionsSkipped {
            let deviceName = volume.number.map { partitionName(base, $0) } ?? base
            guard let identity = volume.filesystem else { continue }
            switch volume.files {
            case .success(let files):
                found.volumes.append(BootVolume(name: deviceName, uuid: identity.uuid, label: identity.label, filesystem: identity.type, files: files))
            case .failure(let error):
                found.problems.append("\(path): \(deviceName) (\(identity.type)): \(error)")
            }
        }
        return found
    }

    /// The kernel's rule: a partition of `sda` is `sda1`, of `nvme0n1` is `nvme0n1p1`.
    package static func partitionName(_ disk: String, _ number: Int) -> String {
        (disk.last?.isNumber ?? false) ? "\(disk)p\(number)" : "\(disk)\(number)"
    }

    package static func defaultName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
