// A disk image given to host mode as its volumes: each readable filesystem becomes a device named
// as the kernel would name it, so `baton list` on an image shows what the PID 1 shows in a machine.

import BootModel
import Discovery
import DiskImage
import LinuxPlatform

enum ImageVolumes {
    /// The devices of the image at `path`, named `name` (default: the file name without its
    /// extension) and its partitions `name1`… Nil, with a message, when the image cannot be opened.
    static func devices(_ path: String, name: String?) -> [BootVolume]? {
        let image: ImageFile
        do {
            image = try ImageFile(path: path)
        } catch {
            Console.write("baton: \(error)", fd: 2)
            return nil
        }
        let base = name ?? defaultName(path)
        var devices: [BootVolume] = []
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
                devices.append(BootVolume(name: deviceName, uuid: identity.uuid, label: identity.label, filesystem: identity.type, files: files))
            case .failure(let error):
                Console.write("baton: \(path): \(deviceName) (\(identity.type)): \(error)", fd: 2)
            }
        }
        return devices
    }

    /// The kernel's rule: a partition of `sda` is `sda1`, of `nvme0n1` is `nvme0n1p1`.
    static func partitionName(_ disk: String, _ number: Int) -> String {
        (disk.last?.isNumber ?? false) ? "\(disk)p\(number)" : "\(disk)\(number)"
    }

    static func defaultName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
