// Mounting and unmounting: the kernel's pseudo filesystems, and users' disks strictly read-only.

import Glibc

public enum Mounts {
    /// Flags for users' disks: never written, nothing on them runs.
    public static let readOnlyFlags = UInt(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

    public static func mount(_ source: String, on target: String, type: String, flags: UInt = 0, options: String = "") throws(SystemError) {
        try retrying("mount", "\(source) on \(target) type \(type)") { Glibc.mount(source, target, type, flags, options.isEmpty ? nil : options) }
    }

    /// Mounts a pseudo filesystem, treating "already mounted" as done.
    public static func mountPseudo(_ type: String, on target: String, flags: UInt = UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC), options: String = "") throws(SystemError) {
        try FileSystem.makeDirectories(target)
        do {
            try mount(type, on: target, type: type, flags: flags, options: options)
        } catch where error.errno == EBUSY {
            return
        }
    }

    /// The kernel's own filesystems PID 1 needs: /proc, /sys, /dev (devtmpfs) and /run. The
    /// errors of those that could not be mounted; one already mounted counts as done.
    public static func mountKernelFilesystems() -> [SystemError] {
        let mounts: [(type: String, target: String, options: String)] = [
            ("proc", "/proc", ""), ("sysfs", "/sys", ""), ("devtmpfs", "/dev", "mode=0755"), ("tmpfs", "/run", "mode=0755"),
        ]
        var errors: [SystemError] = []
        for mount in mounts {
            // Device nodes live in /dev only; nothing is executed from any of them.
            let flags = mount.type == "devtmpfs" ? UInt(MS_NOSUID) : UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC)
            do {
                try mountPseudo(mount.type, on: mount.target, flags: flags, options: mount.options)
            } catch {
                errors.append(error)
            }
        }
        return errors
    }

    public static func unmount(_ target: String, detach: Bool = false) throws(SystemError) {
        try retrying("umount", target) { umount2(target, detach ? Int32(MNT_DETACH) : 0) }
    }

    /// Whether something is mounted exactly at the path.
    public static func isMountPoint(_ path: String) -> Bool {
        guard let text = FileSystem.text("/proc/self/mounts") else { return false }
        return text.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 1 && fields[1] == path
        }
    }

    /// Mount points currently mounted below a folder, deepest first (from /proc/self/mounts).
    public static func mounted(under folder: String) -> [String] {
        guard let text = FileSystem.text("/proc/self/mounts") else { return [] }
        return text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 1 else { return nil }
            let point = String(fields[1])
            return point.hasPrefix(folder + "/") ? point : nil
        }.sorted { $0.count > $1.count }
    }
}
