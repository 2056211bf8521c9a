// Finds block devices in sysfs, probes them with libblkid, mounts filesystems read-only under
// /run/baton/<name>, and reads their boot configurations.

import BootConfig
import BootModel
import Grub
import LinuxPlatform

public struct DeviceScanner {
    /// Problems logged per configuration; the rest are counted.
    static let diagnosticsLogged = 20
    public var mountRoot = "/run/baton"
    public var log: (String) -> Void

    public init(log: @escaping (String) -> Void) { self.log = log }

    /// Block devices now in /sys/class/block, skipping RAM, loop and zram devices.
    public static func blockDeviceNames() -> [String] {
        FileSystem.list("/sys/class/block").filter { name in
            !(name.hasPrefix("ram") || name.hasPrefix("loop") || name.hasPrefix("zram"))
        }
    }

    /// The disk a partition belongs to: the device whose sysfs directory holds the partition's.
    static func disk(of partition: String) -> String? {
        blockDeviceNames().first { $0 != partition && FileSystem.exists("/sys/class/block/\($0)/\(partition)/partition") }
    }

    /// Why a partition is not to be mounted because of its disk (a hybrid image), if it is not.
    static func reasonToSkipPartition(_ device: BlockDevice) -> String? {
        guard device.isPartition, let disk = Self.disk(of: device.name),
              let probe = try? BlockProbe.probe("/dev/" + disk) else { return nil }
        return MountPolicy.reasonToSkipPartition(of: disk, diskType: probe.type, diskUsage: probe.usage)
    }

    public func probe(_ name: String) -> BlockDevice? {
        let isPartition = FileSystem.exists("/sys/class/block/\(name)/partition")
        // Size 0 means no medium (an empty CD drive): nothing to probe.
        if FileSystem.text("/sys/class/block/\(name)/size")?.trimmingBlanks == "0" { return nil }
        do {
            return BlockDevice(name: name, isPartition: isPartition, probe: try BlockProbe.probe("/dev/" + name))
        } catch {
            log("\(error)")
            return nil
        }
    }

    /// Mounts a device read-only (`ro,nosuid,nodev,noexec`, with the options that stop journal
    /// replay), after marking the device itself read-only in the kernel. Returns the mount point.
    public func mount(_ device: BlockDevice, coldplug: () -> Coldplug?) -> String? {
        let decision = MountPolicy.decide(type: device.probe.type, usage: device.probe.usage, partitionTable: device.probe.partitionTable)
        guard case .mount(let type, let options) = decision else {
            if case .skip(let reason) = decision, device.probe.partitionTable == nil || device.isPartition { log("\(device.name): skipped: \(reason)") }
            return nil
        }
        // Asked only of a partition that would be mounted: its disk is probed for a filesystem.
        if let reason = Self.reasonToSkipPartition(device) {
            log("\(device.name): skipped: \(reason)")
            return nil
        }
        let target = "\(mountRoot)/\(device.name)"
        if Mounts.isMountPoint(target) { return target }
        do {
            try BlockDeviceControl.setReadOnly(device.devicePath)
        } catch {
            log("\(device.name): not mounted: cannot make it read-only: \(error)")
            return nil
        }
        do {
            try FileSystem.makeDirectories(target)
            do {
                try Mounts.mount(device.devicePath, on: target, type: type, flags: Mounts.readOnlyFlags, options: options)
            } catch where error.isNoSuchDevice {
                // The filesystem driver is a module not loaded yet: load it by its fs- alias and retry.
                _ = coldplug()?.load(modules: ["fs-" + type] + Self.filesystemHelpers(type))
                try Mounts.mount(device.devicePath, on: target, type: type, flags: Mounts.readOnlyFlags, options: options)
            }
            return target
        } catch {
            log("\(device.name): \(type) not mounted: \(error)")
            return nil
        }
    }

    /// Modules a filesystem asks for by name when mounting (character sets), loaded beforehand
    /// in case the kernel cannot call a modprobe helper.
    static func filesystemHelpers(_ type: String) -> [String] {
        switch type {
        case "vfat", "msdos": ["nls_cp437", "nls_ascii", "nls_utf8"]
        case "iso9660", "udf": ["nls_utf8"]
        default: []
        }
    }

    /// The configurations on mounted devices, in device order.
    public static func sources(on mounts: [MountedDevice], grub: GrubOptions = GrubOptions(), log: (String) -> Void) -> [BootSource] {
        let volumes = mounts.map(\.volume)
        var sources: [BootSource] = []
        for (mount, volume) in zip(mounts, volumes) {
            let configurations = ConfigLocator.loadConfigurations(from: volume, devices: volumes, grub: grub)
            describe(configurations, on: mount.device).forEach(log)
            sources += configurations.map {
                BootSource(mount: mount, configuration: $0, fileProblems: BootPlan.fileProblems(of: $0, on: mount, mounts: mounts))
            }
        }
        return sources
    }

    /// Log lines for what a device's configurations hold.
    static func describe(_ configurations: [BootConfiguration], on device: BlockDevice) -> [String] {
        var lines: [String] = []
        for configuration in configurations {
            lines.append("\(device.summary): \(configuration.path), \(configuration.entries.count) entries")
            // A garbage file can hold thousands of problems: the first ones say enough.
            lines += configuration.diagnostics.prefix(Self.diagnosticsLogged).map { "\(device.name): \($0)" }
            if configuration.diagnostics.count > Self.diagnosticsLogged {
                lines.append("\(device.name): \(configuration.path): \(configuration.diagnostics.count - Self.diagnosticsLogged) more problems not shown")
            }
        }
        return lines
    }

    /// Unmounts everything Baton mounted, before kexec.
    public func unmountAll() {
        for point in Mounts.mounted(under: mountRoot) {
            do { try Mounts.unmount(point) } catch { try? Mounts.unmount(point, detach: true) }
        }
    }
}
