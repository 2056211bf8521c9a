// Loading one kernel module file with finit_module; "already loaded" counts as success.

internal import CLinux
import Glibc

public enum ModuleLoader {
    public static func load(_ path: String, parameters: String = "") throws(SystemError) {
        let fd = try retrying("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        do {
            try retrying("finit_module", path) { clinux_finit_module(fd, parameters, 0) }
        } catch where error.errno == EEXIST {
            return
        }
    }

    /// Names of the modules the kernel has loaded now (from /proc/modules).
    public static func loaded() -> Set<String> {
        guard let text = FileSystem.text("/proc/modules") else { return [] }
        return Set(text.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
    }
}
