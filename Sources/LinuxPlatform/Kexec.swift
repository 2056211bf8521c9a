// Loading the next kernel with kexec_file_load and jumping into it with reboot(KEXEC).

internal import CLinux
import Glibc

public enum Kexec {
    /// Loads an open kernel file and initrds into memory for a later `execute()`. Several initrds
    /// are concatenated into one memory file first, as the kernel accepts concatenated cpio
    /// archives. `name` names the kernel in errors.
    public static func load(kernel: FileDescriptor, initrds: [FileDescriptor], commandLine: String, name: String) throws(SystemError) {
        let initrd: FileDescriptor? = initrds.count > 1 ? FileDescriptor(adopting: try concatenate(initrds.map(\.raw))) : initrds.first
        let initrdFD = initrd?.raw ?? -1
        let flags = initrdFD < 0 ? clinux_kexec_file_no_initramfs() : 0
        try retrying("kexec_file_load", name) { clinux_kexec_file_load(kernel.raw, initrdFD, commandLine, flags) }
        withExtendedLifetime(initrd) {}
    }

    /// Why the running kernel refused to load a kernel, in words a user can act on.
    public static func explain(_ error: SystemError) -> String {
        guard error.call == "kexec_file_load" else { return error.description }
        let reason: String
        switch error.errno {
        case EPERM:
            reason = "the running kernel is locked down (lockdown=integrity or Secure Boot) and starts only kernels signed by a key it trusts"
        case EKEYREJECTED, ENOKEY, EBADMSG, EKEYREVOKED, EKEYEXPIRED:
            reason = "the kernel's signature is missing or not trusted, and the running kernel requires a trusted one"
        case ENOEXEC:
            reason = "not a Linux kernel the running kernel can start (a bzImage for this architecture)"
        case ENOMEM, EADDRNOTAVAIL, E2BIG, EFBIG:
            reason = "the kernel and its initrd do not fit in memory"
        case EINVAL:
            reason = "the running kernel rejected the kernel or its command line (too long, or a corrupt file)"
        default:
            reason = error.message
        }
        return "\(reason) (\(error))"
    }

    /// Jumps into the loaded kernel. Returns only on failure.
    public static func execute() throws(SystemError) {
        sync()
        try retrying("reboot", "LINUX_REBOOT_CMD_KEXEC") { clinux_reboot_kexec() }
    }

    private static func concatenate(_ fds: [Int32]) throws(SystemError) -> Int32 {
        let out = try retrying("memfd_create", "initrd") { clinux_memfd_create("initrd") }
        do {
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            for fd in fds {
                while true {
                    let n = try retrying("read", "initrd") { chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
                    if n == 0 { break }
                    try FileSystem.writeAll(Array(chunk[0..<n]), to: out, name: "initrd")
                }
            }
            _ = lseek(out, 0, SEEK_SET)
            return out
        } catch {
            close(out)
            throw error
        }
    }

    /// An empty memory file for a file fetched into memory, to be written and then handed to
    /// `load` (kexec_file_load reads it; it is never on a disk).
    public static func memoryFile(name: String) throws(SystemError) -> FileDescriptor {
        FileDescriptor(adopting: try retrying("memfd_create", name) { clinux_memfd_create(name) })
    }
}
