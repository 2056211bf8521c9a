// Loading the next kernel with kexec_file_load and jumping into it with reboot(KEXEC).

import CLinux
import Glibc

public enum Kexec {
    /// Loads kernel and initrd files into memory for a later `execute()`. Several initrds are
    /// concatenated into one memory file first, as the kernel accepts concatenated cpio archives.
    public static func load(kernel: String, initrds: [String], commandLine: String) throws(SystemError) {
        let kernelFD = try retrying("open", kernel) { open(kernel, O_RDONLY | O_CLOEXEC) }
        defer { close(kernelFD) }
        var initrdFD: Int32 = -1
        defer { if initrdFD >= 0 { close(initrdFD) } }
        if initrds.count == 1 {
            initrdFD = try retrying("open", initrds[0]) { open(initrds[0], O_RDONLY | O_CLOEXEC) }
        } else if initrds.count > 1 {
            initrdFD = try concatenate(initrds)
        }
        let flags = initrdFD < 0 ? clinux_kexec_file_no_initramfs() : 0
        try retrying("kexec_file_load", kernel) { clinux_kexec_file_load(kernelFD, initrdFD, commandLine, flags) }
    }

    /// Jumps into the loaded kernel. Returns only on failure.
    public static func execute() throws(SystemError) {
        sync()
        try retrying("reboot", "LINUX_REBOOT_CMD_KEXEC") { clinux_reboot_kexec() }
    }

    private static func concatenate(_ paths: [String]) throws(SystemError) -> Int32 {
        let out = try retrying("memfd_create", "initrd") { clinux_memfd_create("initrd") }
        do {
            for path in paths {
                let bytes = try FileSystem.read(path, limit: Int.max)
                try FileSystem.writeAll(bytes, to: out, name: "initrd")
            }
            _ = lseek(out, 0, SEEK_SET)
            return out
        } catch {
            close(out)
            throw error
        }
    }
}
